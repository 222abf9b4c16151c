package org.brewpi.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import org.brewpi.api.history.StreamRows;
import org.postgresql.PGConnection;

/**
 * PostgreSQL catch-up benchmark: a backlog of {@code rows} samples (default 1,000,000) in the real
 * historian's H2 file, shipped by the sync engine into a fresh schema, against a plain COPY of the
 * very same rows into the same partitioned table in another fresh schema. Prints both rates and
 * their ratio, and the historian's H2 ingest rate while the backlog was written.
 * <p>
 * Then, unless told otherwise, {@link BacklogBenchmark}: the demo plant's 24-hour backlog.
 * <p>
 * {@code mvn -B -o -Pbench -pl bundles/sync verify -DskipTests [-Dbench.rows=1000000] [-Dbench.only=catchup|backlog]}
 */
public final class SyncBenchmark {

    public static void main(String[] args) throws Exception {
        String only = args.length > 1 ? args[1] : "all";
        if (only.equals("all") || only.equals("catchup")) {
            catchUp(Integer.parseInt(args.length > 0 ? args[0] : "1000000"));
        }
        if (only.equals("all") || only.equals("backlog")) {
            Path dir = Files.createTempDirectory("brewpi-sync-backlog");
            try {
                BacklogBenchmark.run(dir);
            } finally {
                deleteTree(dir);
            }
        }
    }

    /** H2 ingest, then the sync's catch-up of {@code backlog} samples against a plain COPY of the same rows. */
    static void catchUp(int backlog) throws Exception {
        int periods = backlog / 30; // 30 samples a period
        int repeat = Integer.getInteger("bench.repeat", 2);
        Path dir = Files.createTempDirectory("brewpi-sync-bench");
        long t0 = java.time.Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        try {
            long samples;
            try (LocalHistory box = new LocalHistory(dir)) {
                long started = System.nanoTime();
                samples = box.produce(t0, 100, periods); // 10 periods a second: about a day of a busy plant
                box.awaitCommitted(samples, 600_000);
                System.out.printf("H2 ingest: %,d samples in the historian at batch size 5000: %,.0f rows/s%n",
                        samples, samples / seconds(started));
            }
            byte[] copyText;
            List<String> columns;
            try (LocalHistory box = new LocalHistory(dir)) {
                // the same rows, read once, as COPY text for the plain COPY
                PgShipper shipper = new PgShipper("unused", "bench");
                List<String> chunks = new ArrayList<>();
                long after = 0;
                List<String> cols = List.of();
                long readStarted = System.nanoTime();
                while (true) {
                    StreamRows rows = box.historian.read("samples", after, 50_000);
                    if (rows.rows().isEmpty()) {
                        break;
                    }
                    cols = rows.columns();
                    chunks.add(shipper.copyText(rows));
                    after = rows.lastSeq(after);
                }
                System.out.printf("Reading the backlog from H2 and formatting it as COPY text alone: %,.0f rows/s%n",
                        samples / seconds(readStarted));
                copyText = String.join("", chunks).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                columns = cols;
            }
            // On a shared machine the load moves between two measurements; each round measures both,
            // one right after the other, and every round is printed.
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= repeat; round++) {
                double copyRate = plainCopy(copyText, columns, t0, t0 + periods * 100L);
                double syncRate = syncCatchUp(dir, samples);
                ratios.add(syncRate / copyRate);
                System.out.printf("Round %d: plain COPY of the same %,d rows into the partitioned samples table"
                        + " %,.0f rows/s; sync catch-up %,.0f rows/s; ratio %.2f (load average %s)%n", round,
                        samples, copyRate, syncRate, syncRate / copyRate, loadAverage());
            }
            System.out.printf("Ratio sync / plain COPY per round: %s (target >= 0.50)%n",
                    ratios.stream().map(r -> String.format("%.2f", r)).toList());
        } finally {
            deleteTree(dir);
        }
    }

    /** One COPY of every row, in one transaction, into a fresh schema's partitioned table; rows/s. */
    private static double plainCopy(byte[] copyText, List<String> columns, long fromTs, long toTs) throws Exception {
        try (TestPostgres target = new TestPostgres(); Connection c = TestPostgres.admin()) {
            PgSchema schema = new PgSchema(target.schema);
            schema.migrate(c);
            schema.ensurePartitions(c, fromTs, toTs);
            c.setAutoCommit(false);
            long started = System.nanoTime();
            long n = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + target.schema + ".samples (site, "
                    + String.join(", ", columns) + ") FROM STDIN", new java.io.ByteArrayInputStream(copyText));
            c.commit();
            return n / seconds(started);
        }
    }

    /**
     * The sync engine ships the whole backlog into a fresh schema (read from H2, batches of 20,000,
     * the watermark moved per batch); rows/s. The watermark is set back first, so each round ships
     * every row.
     */
    private static double syncCatchUp(Path dir, long samples) throws Exception {
        try (Connection h2 = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("history/history"),
                "sa", ""); java.sql.Statement st = h2.createStatement()) {
            st.executeUpdate("DELETE FROM sync_watermarks");
        }
        try (TestPostgres target = new TestPostgres(); LocalHistory box = new LocalHistory(dir)) {
            SyncSettings settings = new SyncSettings(TestPostgres.url(), TestPostgres.ADMIN, "", "bench",
                    target.schema, 20_000, 50, 100, 1000, 3_600_000);
            double rate;
            long started = System.nanoTime(); // connecting and migrating the schema count too
            try (SyncEngine sync = new SyncEngine(box.historian, settings)) {
                // the engine's own count: polling H2 for the backlog would take CPU from the sync
                while (sync.shipped("samples") < samples) {
                    Thread.sleep(20);
                }
                rate = samples / seconds(started);
                if (sync.lastError() != null) {
                    System.out.println("Last sync error: " + sync.lastError());
                }
            }
            long inPg = target.count("SELECT COUNT(*) FROM " + target.schema + ".samples");
            if (inPg != samples || box.backlog("samples").waiting() != 0) {
                throw new IllegalStateException("PostgreSQL holds " + inPg + " rows, not " + samples);
            }
            return rate;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private SyncBenchmark() {
    }

}
