package org.brewpi.interlocks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One interlock as configured, checked: what must hold ({@link #conditions}, combined by {@link #matchAll}),
 * what it refuses while not healthy ({@link #blocks}) and what it sends on a trip ({@link #forces}).
 */
record Rule(String id, String text, boolean matchAll, List<Condition> conditions, List<Block> blocks,
        List<Force> forces, boolean latched, long delayMs) {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final int MAX_TEXT = 200;
    static final long MAX_DELAY_MS = 3_600_000;

    Rule {
        conditions = List.copyOf(conditions);
        blocks = List.copyOf(blocks);
        forces = List.copyOf(forces);
    }

    /** Parses and checks a rule; every problem is an {@link IllegalArgumentException} naming the rule and the part. */
    static Rule parse(String id, String text, String match, String[] conditions, String[] blocks, String[] forces,
            boolean latched, long delayMs) {
        String rid = id == null ? "" : id.trim();
        if (!ID.matcher(rid).matches()) {
            throw new IllegalArgumentException("id '" + rid + "' must match " + ID.pattern());
        }
        String t = text == null ? "" : text.trim();
        if (t.isEmpty() || t.length() > MAX_TEXT) {
            throw new IllegalArgumentException(rid + ": text must be 1-" + MAX_TEXT + " characters");
        }
        String m = match == null || match.isBlank() ? "all" : match.trim().toLowerCase(Locale.ROOT);
        if (!m.equals("all") && !m.equals("any")) {
            throw new IllegalArgumentException(rid + ": match '" + match + "' is not all or any");
        }
        if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
            throw new IllegalArgumentException(rid + ": delay_ms must be 0-" + MAX_DELAY_MS);
        }
        try {
            List<Condition> cs = items(conditions).stream().map(Condition::parse).toList();
            List<Block> bs = items(blocks).stream().map(Block::parse).toList();
            List<Force> fs = items(forces).stream().map(Force::parse).toList();
            if (cs.isEmpty()) {
                throw new IllegalArgumentException("it has no conditions");
            }
            if (bs.isEmpty() && fs.isEmpty()) {
                throw new IllegalArgumentException("it neither blocks nor forces anything");
            }
            Set<TagRef> forced = new LinkedHashSet<>();
            for (Force f : fs) {
                if (!forced.add(f.tag())) {
                    throw new IllegalArgumentException("it forces " + f.tag() + " twice");
                }
            }
            return new Rule(rid, t, m.equals("all"), cs, bs, fs, latched, delayMs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(rid + ": " + e.getMessage());
        }
    }

    /**
     * The items of a list setting. A {@code .cfg} file gives a list as one comma-separated string, a
     * {@code .config} file or ConfigAdmin as an array: both are accepted.
     */
    static List<String> items(String[] values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                if (v == null) {
                    continue;
                }
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }

    /**
     * Why the rule's conditions do not hold, {@code null} when they do: with {@code all}, the first condition
     * failing; with {@code any}, every one of them (none holds).
     */
    Condition.Failure failure(PlantReading plant) {
        List<Condition.Failure> failures = new ArrayList<>();
        for (Condition c : conditions) {
            Condition.Failure f = c.check(plant);
            if (f == null && !matchAll) {
                return null;
            }
            if (f != null && matchAll) {
                return f;
            }
            if (f != null) {
                failures.add(f);
            }
        }
        if (matchAll) {
            return null;
        }
        return new Condition.Failure(String.join(" and ", failures.stream().map(Condition.Failure::text).toList()),
                failures.stream().anyMatch(Condition.Failure::noData));
    }

    /** Whether the rule reads or forces anything of this zone. */
    boolean concerns(String zone) {
        return conditions.stream().anyMatch(c -> c.zone().equals(zone))
                || forces.stream().anyMatch(f -> f.tag().zone().equals(zone));
    }

    boolean reads(String zone, String tag) {
        return conditions.stream().anyMatch(c -> c.reads(zone, tag));
    }

    String match() {
        return matchAll ? "all" : "any";
    }
}
