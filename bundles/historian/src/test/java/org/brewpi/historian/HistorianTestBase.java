package org.brewpi.historian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The historian outside OSGi, on a real H2 file in a temporary folder: what the historian's tests share. Each
 * historian opened through {@link #open} is closed after the test.
 */
abstract class HistorianTestBase {

    /** 2025-06-15T15:06:40Z; a round number so bucket arithmetic is easy to follow. */
    static final long T0 = 1_750_000_000_000L;

    @TempDir
    Path dataDir;

    final List<H2Historian> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(H2Historian::close);
    }

    Path historyDir() {
        return dataDir.resolve("history");
    }

    /** Quick flushes and indexing, so tests need not wait. */
    H2Historian open() {
        return open(new Settings(historyDir(), 20, 5000, 100_000, 1000).withIndexing(10_000, 50));
    }

    H2Historian open(Settings settings) {
        H2Historian h = new H2Historian(settings);
        opened.add(h);
        return h;
    }

    static void awaitCommitted(H2Historian h, org.brewpi.historian.Stream stream, long rows) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).untilAsserted(
                () -> assertThat(h.committed(stream)).as("rows committed to " + stream.table).isEqualTo(rows));
    }

    /** The writer indexes by tag in the background; some checks need it done. */
    static void awaitIndexed(H2Historian h, long rows) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).untilAsserted(
                () -> assertThat(h.details()).containsEntry("index.rows", rows));
    }

    static TagValue analog(String zone, String tag, double value, long time) {
        return new TagValue(zone, tag, value, Quality.GOOD, time - 7, time);
    }

    static ZoneSnapshot zone(String id, ZoneState state, String reason, long telemetry) {
        return new ZoneSnapshot(id, "mqtt", null, state, reason, T0,
                Map.of(), new ZoneCounters(telemetry, 0, 0, 0, 0, 0, Map.of()));
    }

    /** Reads the file directly, as the later sync service will. */
    List<String> query(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        return new org.h2.Driver().connect("jdbc:h2:file:" + historyDir().resolve("history") + ";IFEXISTS=TRUE", p);
    }
}
