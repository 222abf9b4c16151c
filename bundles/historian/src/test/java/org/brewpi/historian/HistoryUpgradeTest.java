package org.brewpi.historian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A box upgraded with its data dir: {@code fixtures/history-f621f1d.mv.db} was written by the historian as it was
 * at commit f621f1d, before the migrations moved to org.brewpi.h2store: ten samples of fv1.pv (18.0 to 27.0, one
 * a second from 1,750,000,000,000), one event, one zone state; watermarks samples 4, events 1. Its version table
 * has the old layout (a timestamp, not epoch ms). It opens as it is, and writing goes on.
 */
class HistoryUpgradeTest {

    private static final long T0 = 1_750_000_000_000L;

    @TempDir
    Path dataDir;

    @Test
    void aHistoryWrittenByTheOldCodeOpensWithItsRowsAndWatermarks() throws Exception {
        Path dir = dataDir.resolve("history");
        Files.createDirectories(dir);
        try (InputStream in = getClass().getResourceAsStream("fixtures/history-f621f1d.mv.db")) {
            Files.copy(in, dir.resolve("history.mv.db"));
        }
        // retention off: the fixture's synced samples are older than 30 days, and removing them is not the point here
        H2Historian h = new H2Historian(new Settings(dir, 20, 5000, 100_000, 1000)
                .withDisk(new DiskGuard.Policy(0, 0, 60_000, DiskGuard.Policy.SLICE_ROWS)));
        try {
            assertThat(h.status()).isEqualTo(Status.UP);
            assertThat(h.details()).doesNotContainKey("error");
            assertThat(h.history("fv1", "pv", T0, T0 + 9_000, 100)).hasSize(10);
            assertThat(h.backlog("samples")).isEqualTo(new StreamBacklog("samples", 10, 4, 6, T0 + 4_000));
            assertThat(h.backlog("events")).isEqualTo(new StreamBacklog("events", 1, 1, 0, null));
            // a zone state is stamped when it arrived: when the fixture was made
            assertThat(h.backlog("zone_states")).extracting(StreamBacklog::localRows, StreamBacklog::syncedSeq,
                    StreamBacklog::waiting).containsExactly(1L, 0L, 1L);

            h.tagsChanged(List.of(new TagValue("fv1", "pv", 28.0, Quality.GOOD, T0 + 10_000, T0 + 10_000)));
            await().atMost(Duration.ofSeconds(30)).until(() -> h.committed(Stream.SAMPLES) == 1);
            assertThat(h.read("samples", 9, 10).rows()).extracting(r -> r[0]).containsExactly(10L, 11L);
        } finally {
            h.close();
        }
        assertThat(query(dir, "SELECT version || ' ' || description || ' ' || script FROM schema_version ORDER BY version"))
                .containsExactly("1 history tables V1__history_tables.sql", "2 sync watermarks V2__sync_watermarks.sql");
    }

    private static List<String> query(Path dir, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = HistoryStore.connect("jdbc:h2:file:" + dir.resolve("history") + ";IFEXISTS=TRUE");
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
