package org.brewpi.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.brewpi.api.history.StreamRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync engine with the real historian on a real H2 file and the real PostgreSQL, each test
 * in its own schema.
 */
class SyncEngineTest {

    /** 2026-01-31T23:50:00Z: the test data crosses into February, so two partitions are filled. */
    private static final long T0 = Instant.parse("2026-01-31T23:50:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    private final TestPostgres pg = new TestPostgres();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        pg.close();
    }

    @Test
    void postgresHoldsExactlyWhatTheBoxHoldsWhileThePlantRuns() {
        LocalHistory box = open(new LocalHistory(dataDir));
        long samples = box.produce(T0, 1000, 1000);
        SyncEngine sync = open(new SyncEngine(box.historian, settings(TestPostgres.url(), "postgres", "site-a", 5000)));
        samples += box.produce(T0 + 1_000_000, 1000, 1000); // while the sync ships
        box.awaitCommitted(samples);

        awaitCaughtUp(box, sync);
        assertThat(samples).isEqualTo(60_000);
        assertSameRows(box, "site-a");
        assertThat(pg.count("SELECT COUNT(*) FROM pg_tables WHERE schemaname = '" + pg.schema
                + "' AND tablename LIKE 'samples_y2026m0%'")).as("Jan, Feb and the month ahead").isEqualTo(3);
        assertThat(pg.count("SELECT COUNT(*) FROM ONLY " + pg.schema + ".samples_y2026m02")).isPositive();
        Map<String, Object> d = sync.report(System.currentTimeMillis()).details();
        assertThat(sync.report(System.currentTimeMillis()).status()).isEqualTo(SyncEngine.Status.UP);
        assertThat(d).containsEntry("state", "syncing").containsEntry("rows.waiting", 0L).doesNotContainKey("alarm")
                .doesNotContainKey("last.error").containsKey("last.good.sync");
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) ((Map<String, Object>) d.get("streams")).get("samples");
        assertThat(s).containsEntry("rows.local", samples).containsEntry("rows.synced", samples)
                .containsEntry("rows.waiting", 0L);
    }

    @Test
    void anOutageLosesNothingAndDuplicatesNothing() throws Exception {
        LocalHistory box = open(new LocalHistory(dataDir));
        TcpProxy proxy = open(new TcpProxy(TestPostgres.HOST, TestPostgres.PORT));
        SyncEngine sync = open(new SyncEngine(box.historian,
                settings(TestPostgres.url("127.0.0.1", proxy.port()), "postgres", "site-b", 2000)));
        long samples = box.produce(T0, 1000, 300);
        box.awaitCommitted(samples);
        awaitCaughtUp(box, sync);

        proxy.cut();
        samples += box.produce(T0 + 300_000, 1000, 700); // the plant keeps running
        box.awaitCommitted(samples);
        await("the outage shows in health", () -> sync.report(System.currentTimeMillis()).status() == SyncEngine.Status.DEGRADED);
        Map<String, Object> d = sync.report(System.currentTimeMillis()).details();
        assertThat(d).containsEntry("state", "retrying").containsEntry("last.error.kind", "unreachable");
        assertThat((Long) d.get("rows.waiting")).isPositive();
        LocalHistory.sleep(2500); // some retries against the cut line

        proxy.restore();
        awaitCaughtUp(box, sync);
        assertSameRows(box, "site-b");
        assertThat(sync.report(System.currentTimeMillis()).status()).isEqualTo(SyncEngine.Status.UP);
    }

    @Test
    void rowsReSentAfterACrashBeforeTheWatermarkMovedAreNotDuplicated() throws Exception {
        LocalHistory box = new LocalHistory(dataDir);
        long samples = box.produce(T0, 1000, 400);
        box.awaitCommitted(samples);
        SyncEngine sync = new SyncEngine(box.historian, settings(TestPostgres.url(), "postgres", "site-c", 3000));
        awaitCaughtUp(box, sync);
        sync.close();
        box.close();

        // as if the box had died after PostgreSQL's commit but before the watermark's
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("history/history"), "sa", "");
                Statement st = h2.createStatement()) {
            assertThat(st.executeUpdate("UPDATE sync_watermarks SET synced_seq = synced_seq - 5000 WHERE stream = 'samples'"))
                    .isEqualTo(1);
            st.executeUpdate("DELETE FROM sync_watermarks WHERE stream = 'events'");
        }
        box = open(new LocalHistory(dataDir));
        assertThat(box.backlog("samples").waiting()).isEqualTo(5000);
        samples += box.produce(T0 + 400_000, 1000, 100);
        box.awaitCommitted(samples);
        sync = open(new SyncEngine(box.historian, settings(TestPostgres.url(), "postgres", "site-c", 3000)));
        awaitCaughtUp(box, sync);

        assertSameRows(box, "site-c");
        assertThat((Long) sync.report(System.currentTimeMillis()).details().get("batches.overlapping")).isPositive();
    }

    @Test
    void aRefusedLoginShowsInHealthKeepsTheRowsAndRecoversWhenFixed() {
        String role = "brewpi_t_" + UUID.randomUUID().toString().substring(0, 8);
        pg.execute("CREATE ROLE " + role + " NOLOGIN");
        try {
            pg.execute("CREATE SCHEMA " + pg.schema + " AUTHORIZATION " + role);
            LocalHistory box = open(new LocalHistory(dataDir));
            long samples = box.produce(T0, 1000, 200);
            box.awaitCommitted(samples);
            SyncEngine sync = open(new SyncEngine(box.historian, settings(TestPostgres.url(), role, "site-d", 2000)));

            await("the refused login shows", () -> "login refused".equals(
                    sync.report(System.currentTimeMillis()).details().get("last.error.kind")));
            SyncEngine.Report r = sync.report(System.currentTimeMillis());
            assertThat(r.status()).isEqualTo(SyncEngine.Status.DEGRADED);
            assertThat((String) r.details().get("last.error")).contains(role);
            assertThat(box.backlog("samples").waiting()).isEqualTo(samples);

            pg.execute("ALTER ROLE " + role + " LOGIN");
            awaitCaughtUp(box, sync);
            assertSameRows(box, "site-d");
            assertThat(sync.report(System.currentTimeMillis()).status()).isEqualTo(SyncEngine.Status.UP);
        } finally {
            pg.close();
            pg.execute("DROP ROLE " + role);
        }
    }

    @Test
    void aReadOnlyDatabaseShowsInHealthKeepsTheRowsAndRecoversWhenFixed() {
        String role = "brewpi_t_" + UUID.randomUUID().toString().substring(0, 8);
        pg.execute("CREATE ROLE " + role + " LOGIN");
        try {
            pg.execute("CREATE SCHEMA " + pg.schema + " AUTHORIZATION " + role);
            LocalHistory box = open(new LocalHistory(dataDir));
            long samples = box.produce(T0, 1000, 100);
            box.awaitCommitted(samples);
            SyncEngine sync = open(new SyncEngine(box.historian, settings(TestPostgres.url(), role, "site-e", 2000)));
            awaitCaughtUp(box, sync);

            pg.execute("ALTER ROLE " + role + " SET default_transaction_read_only = on");
            pg.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            samples += box.produce(T0 + 100_000, 1000, 100);
            box.awaitCommitted(samples);
            await("the read-only database shows", () -> "read-only".equals(
                    sync.report(System.currentTimeMillis()).details().get("last.error.kind")));
            assertThat(sync.report(System.currentTimeMillis()).status()).isEqualTo(SyncEngine.Status.DEGRADED);
            assertThat(box.backlog("samples").waiting()).isEqualTo(3000);

            pg.execute("ALTER ROLE " + role + " RESET default_transaction_read_only");
            awaitCaughtUp(box, sync);
            assertSameRows(box, "site-e");
        } finally {
            pg.close();
            pg.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            pg.execute("DROP ROLE " + role);
        }
    }

    @Test
    void withoutPostgresTheBoxKeepsItsHistoryLocallyWithoutErrors() {
        LocalHistory box = open(new LocalHistory(dataDir));
        SyncSettings local = SyncSettings.from(SyncServiceConfigs.defaults(), name -> null, name -> null);
        assertThat(local.configured()).isFalse();
        SyncEngine sync = open(new SyncEngine(box.historian, local));
        long samples = box.produce(T0, 1000, 10);
        box.awaitCommitted(samples);
        SyncEngine.Report r = sync.report(System.currentTimeMillis());
        assertThat(r.status()).isEqualTo(SyncEngine.Status.UP);
        assertThat(r.details()).containsEntry("state", "local only").doesNotContainKey("last.error")
                .doesNotContainKey("alarm");
    }

    @Test
    void anOldBacklogRaisesTheAlarm() throws Exception {
        LocalHistory box = open(new LocalHistory(dataDir));
        TcpProxy proxy = open(new TcpProxy(TestPostgres.HOST, TestPostgres.PORT));
        proxy.cut();
        SyncSettings s = settings(TestPostgres.url("127.0.0.1", proxy.port()), "postgres", "site-f", 2000);
        SyncEngine sync = open(new SyncEngine(box.historian, new SyncSettings(s.url(), s.user(), s.password(),
                s.site(), s.schema(), s.batchSize(), s.idleMs(), s.retryMinMs(), s.retryMaxMs(), 60_000)));
        long samples = box.produce(System.currentTimeMillis() - 120_000, 1000, 10); // rows two minutes old
        box.awaitCommitted(samples);
        await("the alarm", () -> sync.report(System.currentTimeMillis()).details().containsKey("alarm"));
        assertThat((String) sync.report(System.currentTimeMillis()).details().get("alarm")).contains("sync backlog")
                .contains("limit 60 s");
        proxy.restore();
        awaitCaughtUp(box, sync);
        assertThat(sync.report(System.currentTimeMillis()).details()).doesNotContainKey("alarm");
    }

    // --- helpers ------------------------------------------------------------------------------

    private SyncSettings settings(String url, String user, String site, int batch) {
        return new SyncSettings(url, user, "", site, pg.schema, batch, 50, 100, 400, 3_600_000);
    }

    private <T extends AutoCloseable> T open(T resource) {
        toClose.add(resource);
        return resource;
    }

    private static void awaitCaughtUp(LocalHistory box, SyncEngine sync) {
        await("every row synced (" + box.waitingTotal() + " waiting; " + sync.lastError() + ")",
                () -> box.waitingTotal() == 0);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LocalHistory.sleep(50);
        }
    }

    /** Every stream's rows, value for value, in PostgreSQL as in H2, once each. */
    private void assertSameRows(LocalHistory box, String site) {
        for (String stream : box.historian.streams()) {
            StreamRows local = box.historian.read(stream, 0, Integer.MAX_VALUE);
            List<String> expected = new ArrayList<>();
            for (Object[] row : local.rows()) {
                expected.add(line(row));
            }
            List<String> select = new ArrayList<>();
            for (String c : local.columns()) {
                select.add(c.equals("ts") ? "(EXTRACT(EPOCH FROM ts) * 1000)::bigint" : c);
            }
            List<String> actual = new ArrayList<>();
            try (Connection c = TestPostgres.admin(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + String.join(", ", select) + " FROM " + pg.schema + "."
                            + stream + " WHERE site = '" + site + "' ORDER BY seq")) {
                int n = local.columns().size();
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    actual.add(line(row));
                }
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
            assertThat(expected).as(stream).isNotEmpty();
            assertThat(actual).as(stream).containsExactlyElementsOf(expected);
        }
    }

    private static String line(Object[] row) {
        StringBuilder b = new StringBuilder();
        for (Object v : row) {
            b.append(v instanceof Number n && !(v instanceof Double) ? String.valueOf(n.longValue()) : String.valueOf(v))
                    .append('|');
        }
        return b.toString();
    }
}
