package org.brewpi.historian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.h2store.H2Schema;
import org.junit.jupiter.api.Test;

/**
 * The history file across restarts and failures: what survives a close, the streams and watermarks the sync
 * service reads, a damaged or newer file, and the migrations.
 */
class HistoryFileTest extends HistorianTestBase {

    @Test
    void restartOnTheSameFileKeepsDataAndMigrationsRunOnce() throws SQLException {
        for (int run = 0; run < 3; run++) {
            H2Historian h = open();
            assertThat(h.history("mash", "pv", T0, T0 + 100_000, 100)).hasSize(run * 10);
            for (int i = 0; i < 10; i++) {
                long t = T0 + (run * 10 + i) * 1000L;
                h.tagsChanged(List.of(analog("mash", "pv", 65.0, t)));
            }
            h.close();
            opened.remove(h);
        }
        assertThat(query("SELECT version || ' ' || description FROM schema_version"))
                .containsExactly("1 history tables", "2 sync watermarks");
        assertThat(query("SELECT COUNT(*) || ' ' || COUNT(DISTINCT seq) || ' ' || MIN(seq) FROM samples"))
                .containsExactly("30 30 1");
        assertThat(query("SELECT name FROM qualities ORDER BY code")).containsExactly("GOOD", "BAD", "STALE", "OFFLINE");

        try (Connection c = connect()) {
            assertThat(HistoryStore.migrate(c)).isEqualTo(2); // again: nothing to do
            assertThat(H2Schema.currentVersion(c)).isEqualTo(2);
        }
        assertThat(query("SELECT COUNT(*) FROM schema_version")).containsExactly("2");
        // seq keeps rising across restarts: what a sync watermark relies on
        assertThat(query("SELECT seq FROM samples ORDER BY ts"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 30).mapToObj(String::valueOf).toList());
    }

    @Test
    void closeCommitsEverythingStillQueued() {
        // a batch this size at this interval would not be written for a minute
        H2Historian h = open(new Settings(historyDir(), 60_000, 1_000_000, 100_000, 1000));
        for (int i = 0; i < 1000; i++) {
            h.tagsChanged(List.of(analog("glycol", "pv", -2.0, T0 + i)));
        }
        h.event(new ZoneEvent("glycol", 1, 1, 1, T0, "info", "started", true, null));
        // neither full nor due for a minute: the batch stays in memory while the test watches
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> h.committed(Stream.SAMPLES) == 0);
        assertThat(h.committed(Stream.SAMPLES)).isZero();

        long started = System.nanoTime();
        h.close();
        opened.remove(h);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
        assertThat(h.details()).containsEntry("rows.samples", 1000L).containsEntry("rows.events", 1L)
                .containsEntry("state", "closed").containsEntry("dropped", 0L);

        H2Historian again = open();
        assertThat(again.history("glycol", "pv", T0, T0 + 999, 5000)).hasSize(1000);
        assertThat(again.events("glycol", T0, T0, 10)).hasSize(1);
    }

    @Test
    void streamsAreReadInSeqOrderAfterTheWatermarkWhichOnlyMovesForward() {
        H2Historian h = open();
        assertThat(h.streams()).containsExactly("events", "zone_states", "samples");
        for (int i = 0; i < 10; i++) {
            h.tagsChanged(List.of(analog("fv1", "pv", i, T0 + i)));
        }
        h.event(new ZoneEvent("hlt", 7, 1, 1, T0 + 500, "failsafe", "heartbeat_timeout", true, null));
        awaitCommitted(h, Stream.SAMPLES, 10);
        awaitCommitted(h, Stream.EVENTS, 1);

        StreamRows first = h.read("samples", 0, 4);
        assertThat(first.columns()).startsWith("seq").contains("ts", "num_value");
        assertThat(first.rows()).extracting(r -> r[0]).containsExactly(1L, 2L, 3L, 4L);
        assertThat(first.rows().get(2)[first.columns().indexOf("num_value")]).isEqualTo(2.0);
        assertThat(first.lastSeq(0)).isEqualTo(4);
        assertThat(h.read("samples", 8, 100).rows()).extracting(r -> r[0]).containsExactly(9L, 10L);
        assertThat(h.read("samples", 10, 100).lastSeq(10)).isEqualTo(10);
        StreamRows events = h.read("events", 0, 10);
        assertThat(events.rows()).hasSize(1);
        assertThat(events.rows().get(0)[events.columns().indexOf("active")]).isEqualTo(true);

        assertThat(h.backlog("samples")).isEqualTo(new StreamBacklog("samples", 10, 0, 10, T0));
        h.markSynced("samples", 4);
        h.markSynced("samples", 2); // late and stale: ignored
        assertThat(h.backlog("samples")).isEqualTo(new StreamBacklog("samples", 10, 4, 6, T0 + 4));
        h.markSynced("samples", 10);
        assertThat(h.backlog("samples")).isEqualTo(new StreamBacklog("samples", 10, 10, 0, null));
        assertThat(h.backlog("events").waiting()).isEqualTo(1);

        // the watermark is durable
        h.close();
        opened.remove(h);
        assertThat(open().backlog("samples").syncedSeq()).isEqualTo(10);
        assertThatThrownBy(() -> h.read("nope", 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDamagedFileIsMovedAsideAndANewOneStarted() throws Exception {
        Path history = dataDir.resolve("history");
        Files.createDirectories(history);
        byte[] junk = new byte[20_000];
        new java.util.Random(42).nextBytes(junk);
        Files.write(history.resolve("history.mv.db"), junk);

        H2Historian h = open();
        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        Map<String, Object> d = h.details();
        assertThat(d).containsEntry("state", "open");
        assertThat((String) d.get("alarm")).contains("damaged").contains("moved aside");
        Path aside = Path.of((String) d.get("set.aside.file"));
        assertThat(aside.getFileName().toString()).matches("history\\.corrupt-\\d{8}-\\d{6}\\.mv\\.db");
        assertThat(Files.readAllBytes(aside)).isEqualTo(junk); // kept as it was

        h.tagsChanged(List.of(analog("fv1", "pv", 1.0, T0)));
        awaitCommitted(h, Stream.SAMPLES, 1);
        assertThat(h.history("fv1", "pv", T0, T0, 10)).hasSize(1);
        // seqs of the new file start past any the damaged one can have handed out
        assertThat((Long) h.read("samples", 0, 1).rows().get(0)[0]).isGreaterThan(1_000_000_000_000_000L);

        // a healthy file is never moved: the next start opens it as it is
        h.close();
        opened.remove(h);
        H2Historian again = open();
        assertThat(again.status()).isEqualTo(Status.UP);
        assertThat(again.backlog("samples").localRows()).isEqualTo(1);
        try (var files = Files.list(history)) {
            assertThat(files.filter(f -> f.getFileName().toString().contains("corrupt")).count()).isEqualTo(1);
        }
    }

    @Test
    void aNewerSchemaIsLeftAlone() throws SQLException {
        H2Historian h = open();
        h.close();
        opened.remove(h);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version (version, description, script) VALUES (99, 'future', 'V99__future.sql')");
        }
        H2Historian old = open();
        assertThat(old.status()).isEqualTo(Status.DOWN);
        assertThat((String) old.details().get("error")).contains("version 99").contains("newer");
    }

    @Test
    void aFileThatCannotBeOpenedGivesHealthDownAndNeverBlocksTheCaller() throws Exception {
        Files.writeString(historyDir(), "not a folder");
        H2Historian h = open(new Settings(historyDir(), 20, 5000, 50, 5000));

        assertThat(h.status()).isEqualTo(Status.DOWN);
        assertThat(h.details()).containsEntry("state", "failed");
        assertThat((String) h.details().get("error")).contains(historyDir().toString());

        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            h.tagsChanged(List.of(analog("fv1", "pv", i, T0 + i), analog("fv1", "sv", i, T0 + i),
                    analog("fv1", "out", i, T0 + i), analog("fv1", "pv2", i, T0 + i),
                    analog("fv1", "sv2", i, T0 + i), analog("fv1", "out2", i, T0 + i),
                    analog("fv1", "a", i, T0 + i), analog("fv1", "b", i, T0 + i), analog("fv1", "c", i, T0 + i),
                    analog("fv1", "d", i, T0 + i)));
        }
        // the offer timeout is 5 s, but nobody waits for a store that is down
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
        assertThat(h.details()).containsEntry("dropped", 150L).containsEntry("queue.depth", 50);
        assertThatThrownBy(() -> h.history("fv1", "pv", T0, T0 + 100, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("history unavailable");

        h.close();
        opened.remove(h);
        assertThat(h.details()).containsEntry("dropped", 200L).containsEntry("rows.samples", 0L);
    }

    @Test
    void everyMigrationScriptIsListedInOrder() throws Exception {
        Path folder = Path.of("src/main/resources/org/brewpi/historian/migrations");
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(HistoryStore.MIGRATIONS);
        }
        assertThat(H2Schema.scripts(HistoryStore.MIGRATIONS)).extracting(H2Schema.Script::version).containsExactly(1, 2);
        assertThat(H2Schema.statements("-- a comment\nCREATE TABLE a (x INT);\n\n-- b\nCREATE TABLE b (y INT);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)");
    }
}
