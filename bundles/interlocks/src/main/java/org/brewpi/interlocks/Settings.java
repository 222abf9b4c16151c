package org.brewpi.interlocks;

/** The engine's settings, checked and in milliseconds. */
record Settings(long bypassMaxMs, long signatureMaxAgeMs, long reforceIntervalMs, long firstOutWindowMs,
        long startupGraceMs, long tickMs) {

    static final long MINUTE = 60_000;

    Settings {
        bypassMaxMs = Math.max(MINUTE, bypassMaxMs);
        signatureMaxAgeMs = Math.max(10_000, signatureMaxAgeMs);
        reforceIntervalMs = Math.max(100, reforceIntervalMs);
        firstOutWindowMs = Math.max(0, firstOutWindowMs);
        startupGraceMs = Math.max(0, startupGraceMs);
        tickMs = Math.max(20, Math.min(1_000, tickMs));
    }

    static Settings of(InterlocksConfig c) {
        return new Settings(c.bypass_max_minutes() * MINUTE, c.signature_max_age_seconds() * 1000L,
                c.reforce_interval_ms(), c.first_out_window_ms(), c.startup_grace_ms(), c.tick_ms());
    }

    static Settings standard() {
        return new Settings(240 * MINUTE, 300_000, 2_000, 2_000, 15_000, 100);
    }

    Settings withStartupGrace(long ms) {
        return new Settings(bypassMaxMs, signatureMaxAgeMs, reforceIntervalMs, firstOutWindowMs, ms, tickMs);
    }
}
