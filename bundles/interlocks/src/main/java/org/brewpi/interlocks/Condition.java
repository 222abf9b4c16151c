package org.brewpi.interlocks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneState;

/**
 * One condition of a rule, as written: {@code zone.tag OP value} (OP one of {@code > >= < <= == !=}) or
 * {@code zone online}. It holds only on good data: a tag that is STALE, BAD, OFFLINE or never seen, or a
 * zone that is not online, makes it fail, because an interlock that cannot see must assume the worst.
 *
 * @param tag {@code null} for {@code zone online}
 */
record Condition(String text, String zone, TagRef tag, String op, Literal value) {

    private static final Pattern COMPARISON = Pattern.compile("([^\\s<>=!]+)\\s*(>=|<=|==|!=|>|<)\\s*(.+)");
    private static final Pattern ONLINE = Pattern.compile("([^\\s]+)\\s+online");

    /** Why a condition does not hold: the text for the operator, and whether it is for want of good data. */
    record Failure(String text, boolean noData) {
    }

    static Condition parse(String raw) {
        String s = raw.trim();
        Matcher online = ONLINE.matcher(s);
        if (online.matches()) {
            String zone = online.group(1);
            if (!TagRef.ZONE.matcher(zone).matches()) {
                throw new IllegalArgumentException("zone '" + zone + "' must match " + TagRef.ZONE.pattern());
            }
            return new Condition(zone + " online", zone, null, "online", null);
        }
        Matcher m = COMPARISON.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("condition '" + s + "' is neither 'zone.tag OP value' nor 'zone online'");
        }
        TagRef ref = TagRef.parse(m.group(1));
        String op = m.group(2);
        Literal value = Literal.parse(m.group(3));
        if (!value.isNumber() && !op.equals("==") && !op.equals("!=")) {
            throw new IllegalArgumentException("condition '" + s + "': " + op + " compares numbers only");
        }
        return new Condition(ref + " " + op + " " + value, ref.zone(), ref, op, value);
    }

    /** @return {@code null} when the condition holds */
    Failure check(PlantReading plant) {
        ZoneState state = plant.state(zone);
        if (tag == null) {
            // offline or never heard of is a want of data; fail-safe is news from a PLC that is there
            return state == ZoneState.ONLINE ? null
                    : new Failure(text + " (zone is " + (state == null ? "unknown" : state.wire()) + ")",
                            state != ZoneState.FAILSAFE);
        }
        if (state == ZoneState.OFFLINE) {
            return new Failure(text + " (zone " + zone + " is offline)", true);
        }
        TagValue live = plant.tag(tag.zone(), tag.tag());
        if (live == null || live.quality() != Quality.GOOD || live.value() == null) {
            String why = live == null ? "no value yet" : live.quality() != Quality.GOOD ? live.quality().name() : "no value";
            return new Failure(text + " (" + why + ")", true);
        }
        Object v = live.value();
        boolean holds;
        if (value.isNumber()) {
            if (!(v instanceof Number n)) {
                return new Failure(text + " (is '" + v + "', not a number)", false);
            }
            double x = n.doubleValue();
            double limit = (Double) value.value();
            holds = switch (op) {
                case ">" -> x > limit;
                case ">=" -> x >= limit;
                case "<" -> x < limit;
                case "<=" -> x <= limit;
                case "==" -> x == limit;
                default -> x != limit;
            };
        } else {
            holds = op.equals("==") == value.matches(v);
        }
        return holds ? null : new Failure(text + " (is " + display(v) + ")", false);
    }

    /** Whether this condition reads the tag (a write to it can change the outcome). */
    boolean reads(String zoneId, String tagName) {
        return tag != null && tag.zone().equals(zoneId) && tag.tag().equals(tagName);
    }

    private static String display(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        return text;
    }
}
