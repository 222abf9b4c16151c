package org.brewpi.alarms;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;

/**
 * What the alarm book knows of the plant (the last value of every tag, each zone's state) and of the box (the
 * health of its components), and whether an alarm's condition holds on it. Not thread-safe: the book calls it
 * under its lock.
 */
final class PlantPicture {

    private static final long RATE_WINDOW_MS = 60_000;
    private static final long RATE_MIN_SPAN_MS = 5_000;

    private final Map<String, ZoneState> zoneStates = new HashMap<>();
    private final Map<String, Map<String, TagValue>> tags = new HashMap<>();
    private final Map<String, Long> lastSeen = new HashMap<>();
    private final Map<String, SystemWatch.Health> components = new HashMap<>();
    private final long started;

    PlantPicture(long started) {
        this.started = started;
    }

    void tag(TagValue v) {
        tags.computeIfAbsent(v.zone(), z -> new HashMap<>()).put(v.tag(), v);
    }

    void zone(ZoneSnapshot zone) {
        zoneStates.put(zone.id(), zone.state());
        lastSeen.put(zone.id(), zone.lastSeen());
        tags.put(zone.id(), new HashMap<>(zone.tags()));
    }

    void components(Map<String, SystemWatch.Health> health) {
        components.clear();
        components.putAll(health);
    }

    /** Whether the zone's boolean tag is true with GOOD quality (a state the alarms can trust). */
    boolean isTrue(String zone, String tag) {
        TagValue v = tags.getOrDefault(zone, Map.of()).get(tag);
        return v != null && v.quality() == Quality.GOOD && Boolean.TRUE.equals(v.value());
    }

    /** Whether the alarm condition holds; {@code null} when the data to judge it is missing or not GOOD. */
    Boolean condition(Slot slot, long now, long startupGraceMs) {
        AlarmDefinition d = slot.def;
        Map<String, TagValue> zoneTags = tags.getOrDefault(d.zone(), Map.of());
        TagValue tv = zoneTags.get(d.tag());
        if (d.kind() == AlarmKind.SYSTEM) {
            SystemWatch.Health health = components.get(d.tag());
            if (health == null) {
                return false; // not (or no longer) running: nothing of its own to report
            }
            slot.value = health.text();
            if (health.alarming() && AlarmDefinition.DEFAULT.equals(d.source())) {
                slot.def = Defaults.systemMessage(d, health.text()); // the operator reads the component's own words
            }
            return health.alarming();
        }
        if (d.kind() == AlarmKind.COMM_LOSS) {
            ZoneState state = zoneStates.get(d.zone());
            boolean neverSeen = lastSeen.getOrDefault(d.zone(), 0L) == 0;
            if (neverSeen && (state == null || state == ZoneState.OFFLINE)
                    && now - started < startupGraceMs) {
                return null; // just started: the PLC is still connecting
            }
            if (state == ZoneState.OFFLINE) {
                slot.value = "zone offline";
                return true;
            }
            if (d.tag().isEmpty()) {
                if (state == null) {
                    slot.value = "zone never reported";
                    return true;
                }
                slot.value = "zone " + state.wire();
                return false;
            }
            if (tv == null) {
                return null;
            }
            slot.value = d.tag() + " " + tv.quality().name().toLowerCase(Locale.ROOT);
            return tv.quality() != Quality.GOOD;
        }
        if (tv == null || tv.quality() != Quality.GOOD || tv.value() == null) {
            return null;
        }
        if (d.kind() == AlarmKind.DISCRETE) {
            slot.value = String.valueOf(tv.value());
            return slot.value.equalsIgnoreCase(d.state());
        }
        if (!(tv.value() instanceof Number n)) {
            return null;
        }
        double v = n.doubleValue();
        double band = slot.active ? d.deadband() : 0; // once active, the value must come back past the deadband
        switch (d.kind()) {
            case HI, HIHI -> {
                slot.value = format(v);
                return v > d.limit() - band;
            }
            case LO, LOLO -> {
                slot.value = format(v);
                return v < d.limit() + band;
            }
            case DEVIATION -> {
                TagValue sv = zoneTags.get("sv");
                if (sv == null || sv.quality() != Quality.GOOD || !(sv.value() instanceof Number s)) {
                    return null;
                }
                double deviation = v - s.doubleValue();
                slot.value = format(v) + " (sv " + format(s.doubleValue()) + ")";
                return Math.abs(deviation) > d.limit() - band;
            }
            case RATE -> {
                Double perMinute = rate(slot, v, now);
                if (perMinute == null) {
                    return null;
                }
                slot.value = format(perMinute) + "/min";
                return Math.abs(perMinute) > d.limit() - band;
            }
            default -> throw new IllegalStateException("unhandled kind " + d.kind());
        }
    }

    /** A RATE alarm's tag changed: one more sample in its window. */
    static void sample(Slot slot, TagValue v, long now) {
        if (v.quality() == Quality.GOOD && v.value() instanceof Number n) {
            slot.rate.addLast(new double[] { now, n.doubleValue() });
        } else {
            slot.rate.clear(); // a gap in the data must not look like a jump
        }
    }

    /** Units per minute from the oldest sample of the last minute to the value now. */
    private static Double rate(Slot slot, double current, long now) {
        ArrayDeque<double[]> window = slot.rate;
        while (window.size() > 1) {
            double[] first = window.pollFirst();
            if (window.peekFirst()[0] > now - RATE_WINDOW_MS) {
                window.addFirst(first); // keep one sample at or before the window's start as the anchor
                break;
            }
        }
        if (window.isEmpty()) {
            return null;
        }
        double[] anchor = window.peekFirst();
        double span = now - anchor[0];
        if (span < RATE_MIN_SPAN_MS) {
            return null;
        }
        return (current - anchor[1]) * 60_000 / span;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
