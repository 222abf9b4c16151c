package org.brewpi.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.history.StreamRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The historian and the sync in a separate JVM, killed with SIGKILL while it ships (three times,
 * at random points of its batches), then started again on the same data folder: every row H2 has
 * committed is in PostgreSQL exactly once.
 */
class CrashTest {

    @TempDir
    Path dataDir;

    private final TestPostgres pg = new TestPostgres();

    @AfterEach
    void dropSchema() {
        pg.close();
    }

    @Test
    void aBoxKilledInTheMiddleOfSyncingLosesAndDuplicatesNothing() throws Exception {
        long t = Instant.parse("2026-05-31T23:59:00Z").toEpochMilli();
        for (int round = 0; round < 3; round++) {
            Process box = start("run", String.valueOf(t + round * 10_000_000L));
            awaitLine(box, "RUNNING");
            long before = pgCount();
            long deadline = System.currentTimeMillis() + 30_000;
            // let it ship several batches of its own first, then kill it in full flow
            while (pgCount() < before + 3000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(50 + (long) (Math.random() * 200));
            box.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no close
            assertThat(box.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pgCount()).as("round %d shipped something", round).isGreaterThan(before);
        }

        Process drain = start("drain", "0");
        String drained = awaitLine(drain, "DRAINED");
        assertThat(drain.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(drain.exitValue()).isZero();
        System.out.println("crash test: " + drained + " (batches found partly in PostgreSQL after the kills)");

        try (LocalHistory box = new LocalHistory(dataDir)) {
            for (String stream : box.historian.streams()) {
                StreamRows local = box.historian.read(stream, 0, Integer.MAX_VALUE);
                assertThat(box.backlog(stream).waiting()).isZero();
                List<Long> localSeqs = new ArrayList<>();
                for (Object[] row : local.rows()) {
                    localSeqs.add((Long) row[0]);
                }
                List<Long> pgSeqs = new ArrayList<>();
                try (Connection c = TestPostgres.admin(); Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT seq FROM " + pg.schema + "." + stream
                                + " WHERE site = 'crash' ORDER BY seq")) {
                    while (rs.next()) {
                        pgSeqs.add(rs.getLong(1));
                    }
                }
                assertThat(pgSeqs).as(stream).isNotEmpty().containsExactlyElementsOf(localSeqs);
            }
        }
    }

    private long pgCount() {
        if (pg.count("SELECT COUNT(*) FROM pg_tables WHERE schemaname = '" + pg.schema + "' AND tablename = 'samples'") == 0) {
            return 0;
        }
        return pg.count("SELECT COUNT(*) FROM " + pg.schema + ".samples");
    }

    private Process start(String mode, String t) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashBox.class.getName(), mode, dataDir.toString(), TestPostgres.url(), pg.schema, "crash", t);
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }

    /** Reads the process's output until a line starting with {@code prefix}; keeps draining after. */
    private static String awaitLine(Process p, String prefix) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.currentTimeMillis() + 90_000;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith(prefix)) {
                Thread drainer = new Thread(() -> {
                    try {
                        while (in.readLine() != null) {
                            // keep the pipe empty so the box never blocks on its log
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
                drainer.setDaemon(true);
                drainer.start();
                return line;
            }
            if (System.currentTimeMillis() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the box never printed " + prefix);
    }
}
