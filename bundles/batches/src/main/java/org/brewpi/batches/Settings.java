package org.brewpi.batches;

import java.nio.file.Path;

/** The component's settings, checked: a bad value falls back to its default. */
record Settings(Path dataDir, Path confDir, long pollMs, long maxGapMs, int historyPoints) {

    static Settings of(BatchesConfig c) {
        return new Settings(dir(c.data_dir(), "data"), dir(c.conf_dir(), "conf"),
                c.poll_ms() >= 100 ? c.poll_ms() : 2000,
                (c.max_gap_seconds() >= 1 ? c.max_gap_seconds() : 300) * 1000L,
                c.history_points() >= 10 && c.history_points() <= 1_000_000 ? c.history_points() : 20_000);
    }

    private static Path dir(String value, String fallback) {
        return Path.of(value == null || value.isBlank() ? fallback : value.strip());
    }

    Path recipeDir() {
        return confDir.resolve("recipes");
    }
}
