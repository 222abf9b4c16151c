package org.brewpi.alarms;

import java.util.Set;

/** The engine's settings, checked and in plain units. */
record Settings(boolean defaults, Set<String> suppressedZones, int journalSize, long shelveMaxMs, int floodThreshold,
        int chatterCount, long chatterWindowMs, long staleMs, long tickMs, long startupGraceMs) {

    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;

    Settings {
        suppressedZones = Set.copyOf(suppressedZones);
        journalSize = Math.max(10, journalSize);
        shelveMaxMs = Math.max(MINUTE, shelveMaxMs);
        floodThreshold = Math.max(1, floodThreshold);
        chatterCount = Math.max(2, chatterCount);
        chatterWindowMs = Math.max(1_000, chatterWindowMs);
        staleMs = Math.max(MINUTE, staleMs);
        tickMs = Math.max(50, Math.min(5_000, tickMs));
        startupGraceMs = Math.max(0, startupGraceMs);
    }

    static Settings of(AlarmsConfig c) {
        Set<String> zones = new java.util.TreeSet<>();
        for (String z : c.suppressed_zones() == null ? new String[0] : c.suppressed_zones()) {
            // Felix file install may hand a comma-separated string as one element
            for (String part : z.split(",")) {
                if (!part.isBlank()) {
                    zones.add(part.trim());
                }
            }
        }
        return new Settings(c.defaults_enabled(), zones, c.journal_size(), c.shelve_max_minutes() * MINUTE,
                c.flood_threshold(), c.chatter_count(), c.chatter_window_ms(), c.stale_hours() * HOUR, c.tick_ms(),
                c.startup_grace_ms());
    }

    /** The defaults of {@link AlarmsConfig}, for tests and for running without configuration. */
    static Settings standard() {
        return new Settings(true, Set.of(), 1000, 480 * MINUTE, 10, 3, MINUTE, 24 * HOUR, 250, 30_000);
    }

    Settings withSuppressedZones(Set<String> zones) {
        return new Settings(defaults, zones, journalSize, shelveMaxMs, floodThreshold, chatterCount, chatterWindowMs,
                staleMs, tickMs, startupGraceMs);
    }
}
