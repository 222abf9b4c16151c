package org.brewpi.alarms;

import java.util.List;
import java.util.Set;

/**
 * The engine's settings, checked and in plain units.
 *
 * @param suppressWhen {@code zone.tag} or {@code *.tag}: while that boolean tag is true, the zone's process alarms
 *        are suppressed by design
 * @param healthPollMs how often the health components are looked at for the system alarms
 * @param degradedMs how long a component must stay DEGRADED (without saying {@code alarm}) to raise its alarm
 * @param bundleErrorMs how long a framework ERROR event keeps {@code system.bundles} active
 */
record Settings(boolean defaults, Set<String> suppressedZones, List<String> suppressWhen, int journalSize,
        long shelveMaxMs, int floodThreshold, int chatterCount, long chatterWindowMs, long staleMs, long tickMs, long startupGraceMs, long healthPollMs,
        long degradedMs, long bundleErrorMs) {

    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;

    Settings {
        suppressedZones = Set.copyOf(suppressedZones);
        suppressWhen = List.copyOf(suppressWhen);
        journalSize = Math.max(10, journalSize);
        shelveMaxMs = Math.max(MINUTE, shelveMaxMs);
        floodThreshold = Math.max(1, floodThreshold);
        chatterCount = Math.max(2, chatterCount);
        chatterWindowMs = Math.max(1_000, chatterWindowMs);
        staleMs = Math.max(MINUTE, staleMs);
        tickMs = Math.max(50, Math.min(5_000, tickMs));
        startupGraceMs = Math.max(0, startupGraceMs);
        healthPollMs = Math.max(100, Math.min(60_000, healthPollMs));
        degradedMs = Math.max(0, degradedMs);
        bundleErrorMs = Math.max(0, bundleErrorMs);
    }

    static Settings of(AlarmsConfig c) {
        List<String> states = new java.util.ArrayList<>();
        for (String s : list(c.suppress_when())) {
            if (s.matches("(\\*|[^.*]+)\\.[^.*]+")) {
                states.add(s);
            } else {
                org.slf4j.LoggerFactory.getLogger(Settings.class)
                        .warn("Alarm setting suppress.when: '{}' is not zone.tag or *.tag; ignored", s);
            }
        }
        return new Settings(c.defaults_enabled(), new java.util.TreeSet<>(list(c.suppressed_zones())), states,
                c.journal_size(), c.shelve_max_minutes() * MINUTE,
                c.flood_threshold(), c.chatter_count(), c.chatter_window_ms(), c.stale_hours() * HOUR, c.tick_ms(),
                c.startup_grace_ms(), c.health_poll_ms(), c.system_degraded_minutes() * MINUTE,
                c.bundle_error_minutes() * MINUTE);
    }

    /** Felix file install may hand a comma-separated string as one element. */
    private static List<String> list(String[] values) {
        List<String> out = new java.util.ArrayList<>();
        for (String v : values == null ? new String[0] : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /** The defaults of {@link AlarmsConfig}, for tests and for running without configuration. */
    static Settings standard() {
        return new Settings(true, Set.of(), List.of("*.cip"), 1000, 480 * MINUTE, 10, 3, MINUTE, 24 * HOUR, 250, 30_000, 5_000,
                5 * MINUTE, 10 * MINUTE);
    }

    Settings withSuppressedZones(Set<String> zones) {
        return new Settings(defaults, zones, suppressWhen, journalSize, shelveMaxMs, floodThreshold, chatterCount, chatterWindowMs,
                staleMs, tickMs, startupGraceMs, healthPollMs, degradedMs, bundleErrorMs);
    }

    Settings withSuppressWhen(List<String> states) {
        return new Settings(defaults, suppressedZones, states, journalSize, shelveMaxMs, floodThreshold, chatterCount,
                chatterWindowMs, staleMs, tickMs, startupGraceMs, healthPollMs, degradedMs, bundleErrorMs);
    }

    Settings withHealthPoll(long pollMs, long degradedMs) {
        return new Settings(defaults, suppressedZones, suppressWhen, journalSize, shelveMaxMs, floodThreshold, chatterCount,
                chatterWindowMs, staleMs, tickMs, startupGraceMs, pollMs, degradedMs, bundleErrorMs);
    }
}
