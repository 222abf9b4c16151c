package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The exported box with the demo plant, syncing to the real PostgreSQL on 127.0.0.1:5432 (database
 * {@code test}, a schema of its own) through a slow line, is killed with SIGKILL three times while
 * a batch of its sync is being copied, and started again on the same data folder. After a clean
 * stop its H2 file is compared with PostgreSQL: every row the box committed and counted as synced
 * is there exactly once, and PostgreSQL holds nothing the box does not.
 */
class SyncCrashTest {

    private static final String SITE = "e2e-crash";
    private static final List<String> STREAMS = List.of("events", "zone_states", "samples");
    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String schema = "e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Test
    void aBoxKilledInTheMiddleOfASyncBatchDeliversEveryCommittedRowExactlyOnce() throws Exception {
        // 2 KB every 10 ms each way: a batch of a few hundred samples takes a good fraction of a second
        try (SlowProxy line = new SlowProxy("127.0.0.1", 5432, 2048, 10); Box box = new Box("sync-crash")) {
            box.env("BREWPI_PG_URL", "jdbc:postgresql://127.0.0.1:" + line.port() + "/test")
                    .env("BREWPI_PG_USER", "postgres").env("BREWPI_PG_SCHEMA", schema).env("BREWPI_SITE", SITE);
            box.start();
            for (int round = 1; round <= 3; round++) {
                long before = samplesInPostgres();
                // some seconds of the running plant first (about 34 samples a second)
                E2e.waitFor("round " + round + ": the box ships samples", Duration.ofSeconds(120),
                        () -> samplesInPostgres() >= before + 300);
                String copy = awaitCopyInFlight(Duration.ofSeconds(60));
                box.kill(); // SIGKILL while PostgreSQL is receiving the batch
                System.out.printf("sync crash test: round %d killed during %s%n", round, copy);
                box.start();
            }

            long caughtUpAt = awaitCaughtUp(box, Duration.ofSeconds(120));
            box.stop(Duration.ofSeconds(60));
            // a stop request stops every bundle: the historian commits its queue and closes the file
            assertThat(box.lastStartLog()).contains("History closed");
            compare(box.home.resolve("data").resolve("history").resolve("history"), caughtUpAt);
        } finally {
            try (Connection c = postgres(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** Polls PostgreSQL until the box's sync connection is in the middle of a COPY; returns it. */
    private String awaitCopyInFlight(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        try (Connection c = postgres(); PreparedStatement ps = c.prepareStatement(
                "SELECT left(query, 60) FROM pg_stat_activity WHERE application_name = ? AND state = 'active'"
                        + " AND query LIKE 'COPY %'")) {
            ps.setString(1, "brewpi-sync " + SITE);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
                Thread.sleep(2);
            }
        }
        return fail("no sync batch seen in flight within %s", limit);
    }

    /** Waits until /api/health shows nothing waiting in any stream; returns when (epoch ms). */
    private static long awaitCaughtUp(Box box, Duration limit) throws Exception {
        long[] at = new long[1];
        E2e.waitFor("the sync caught up with the plant", limit, () -> {
            long asked = System.currentTimeMillis();
            JsonNode sync = box.http.get("/api/health").json().path("components").path("sync");
            if (sync.path("rows.waiting").asLong(-1) == 0 && "syncing".equals(sync.path("state").asText())) {
                at[0] = asked;
                return true;
            }
            return false;
        });
        return at[0];
    }

    private void compare(Path h2File, long caughtUpAt) throws Exception {
        assertThat(Path.of(h2File + ".mv.db")).exists();
        try (Connection h2 = new org.h2.Driver().connect("jdbc:h2:file:" + h2File + ";IFEXISTS=TRUE", h2Login());
                Connection pg = postgres()) {
            for (String stream : STREAMS) {
                long watermark = watermark(h2, stream);
                Map<Long, Long> local = seqToTs(h2, "SELECT seq, ts FROM " + stream);
                List<Long> central = seqs(pg, "SELECT seq FROM " + schema + "." + stream + " WHERE site = '" + SITE
                        + "' ORDER BY seq");
                Set<Long> centralSet = new HashSet<>(central);
                List<Long> missing = new ArrayList<>();
                List<Long> lateTimes = new ArrayList<>();
                for (var row : local.entrySet()) {
                    if (!centralSet.contains(row.getKey())) {
                        if (row.getKey() <= watermark) {
                            missing.add(row.getKey());
                        } else {
                            lateTimes.add(row.getValue());
                        }
                    }
                }
                System.out.printf("sync crash test: %s: %,d rows in H2, %,d in PostgreSQL, watermark %d,"
                        + " %d written after the last look at health%n", stream, local.size(), central.size(),
                        watermark, lateTimes.size());
                assertThat(centralSet).as("%s: no row twice", stream).hasSameSizeAs(central);
                assertThat(local.keySet()).as("%s: PostgreSQL holds only rows the box committed", stream)
                        .containsAll(central);
                assertThat(missing).as("%s: every row up to the watermark arrived", stream).isEmpty();
                // rows not yet shipped can only be the last moments before the stop
                assertThat(lateTimes).as("%s: unsynced rows are from after the sync had caught up", stream)
                        .allMatch(ts -> ts >= caughtUpAt - 2000);
            }
            assertThat(seqs(pg, "SELECT seq FROM " + schema + ".samples WHERE site = '" + SITE + "'")).hasSizeGreaterThanOrEqualTo(900);
            assertThat(seqs(pg, "SELECT seq FROM " + schema + ".zone_states WHERE site = '" + SITE + "'")).isNotEmpty();
        }
    }

    private static long watermark(Connection h2, String stream) throws SQLException {
        try (PreparedStatement ps = h2.prepareStatement("SELECT synced_seq FROM sync_watermarks WHERE stream = ?")) {
            ps.setString(1, stream);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static Map<Long, Long> seqToTs(Connection c, String sql) throws SQLException {
        Map<Long, Long> rows = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return rows;
    }

    private static List<Long> seqs(Connection c, String sql) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
        }
        return seqs;
    }

    private long samplesInPostgres() throws SQLException {
        try (Connection c = postgres(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT to_regclass('" + schema + ".samples') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return 0;
            }
        }
        try (Connection c = postgres(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + schema + ".samples")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Properties h2Login() {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        return p;
    }

    /** The real PostgreSQL; missing, the test fails (CI starts it), it is never skipped. */
    private static Connection postgres() {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "5");
        try {
            return new org.postgresql.Driver().connect(PG_URL, p);
        } catch (SQLException e) {
            return fail("PostgreSQL is required at %s as postgres: %s", PG_URL, e.getMessage());
        }
    }
}
