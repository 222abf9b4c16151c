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
        Path dir = Files.createTempDirectory("brewpi-sync-bench");
        long t0 = java.time.Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        try (TestPostgres viaSync = new TestPostgres(); TestPostgres viaCopy = new TestPostgres()) {
            long samples;
            double ingestRate;
            try (LocalHistory box = new LocalHistory(dir)) {
                long started = System.nanoTime();
                samples = box.produce(t0, 100, periods); // 10 periods a second: about a day of a busy plant
                box.awaitCommitted(samples, 600_000);
                ingestRate = samples / seconds(started);
            }
            System.out.printf("H2 ingest: %,d samples in the historian at batch size 5000: %,.0f rows/s%n", samples,
                    ingestRate);

            // the same rows, read once, as COPY text for the plain COPY
            try (LocalHistory box = new LocalHistory(dir)) {
                PgShipper shipper = new PgShipper(viaCopy.schema, "bench");
                List<String> chunks = new ArrayList<>();
                long after = 0;
                List<String> columns = null;
                long readStarted = System.nanoTime();
                while (true) {
                    StreamRows rows = box.historian.read("samples", after, 50_000);
                    if (rows.rows().isEmpty()) {
                        break;
                    }
                    columns = rows.columns();
                    chunks.add(shipper.copyText(rows));
                    after = rows.lastSeq(after);
                }
                System.out.printf("Reading the backlog from H2 and formatting it as COPY text alone: %,.0f rows/s%n",
                        samples / seconds(readStarted));
                byte[] all = String.join("", chunks).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                chunks.clear();
                double copyRate;
                try (Connection c = TestPostgres.admin()) {
                    PgSchema schema = new PgSchema(viaCopy.schema);
                    schema.migrate(c);
                    schema.ensurePartitions(c, t0, t0 + periods * 100L);
                    c.setAutoCommit(false);
                    long started = System.nanoTime();
                    long n = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + viaCopy.schema
                            + ".samples (site, " + String.join(", ", columns) + ") FROM STDIN", new java.io.ByteArrayInputStream(all));
                    c.commit();
                    copyRate = n / seconds(started);
                }
                System.out.printf("Plain COPY of the same %,d rows into the partitioned samples table: %,.0f rows/s%n",
                        samples, copyRate);

                // the sync engine: read from H2, ship in batches, move the watermark per batch
                SyncSettings settings = new SyncSettings(TestPostgres.url(), TestPostgres.ADMIN, "", "bench",
                        viaSync.schema, 20_000, 50, 100, 1000, 3_600_000);
                long started = System.nanoTime();
                try (SyncEngine sync = new SyncEngine(box.historian, settings)) {
                    while (box.backlog("samples").waiting() > 0) {
                        Thread.sleep(20);
                    }
                    if (sync.lastError() != null) {
                        System.out.println("Last sync error: " + sync.lastError());
                    }
                }
                double syncRate = samples / seconds(started);
                long inPg = viaSync.count("SELECT COUNT(*) FROM " + viaSync.schema + ".samples");
                System.out.printf("Sync catch-up of a %,d-sample backlog: %,.0f rows/s (%,d rows in PostgreSQL)%n",
                        samples, syncRate, inPg);
                System.out.printf("Ratio sync / plain COPY: %.2f (target >= 0.50)%n", syncRate / copyRate);
                if (inPg != samples) {
                    throw new IllegalStateException("PostgreSQL holds " + inPg + " rows, not " + samples);
                }
            }
        } finally {
            deleteTree(dir);
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
