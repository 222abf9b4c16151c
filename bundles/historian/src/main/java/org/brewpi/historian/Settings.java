package org.brewpi.historian;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The historian's settings, already checked.
 *
 * @param directory the folder holding the H2 files ({@code <data.dir>/history})
 * @param flushMs the longest a record waits in memory before its batch is committed
 * @param batchSize the most records per transaction
 * @param queueCapacity the most records waiting in memory
 * @param offerTimeoutMs the longest a driver's thread waits for room in a full queue
 * @param indexSliceRows the most samples indexed by tag in one transaction
 * @param indexIntervalMs the longest new samples wait to be indexed when fewer than a slice wait
 *        (these two are not configurable; tests make them small)
 * @param disk retention and the free-space floor
 */
record Settings(Path directory, long flushMs, int batchSize, int queueCapacity, long offerTimeoutMs,
        int indexSliceRows, long indexIntervalMs, DiskGuard.Policy disk) {

    static final int INDEX_SLICE_ROWS = 10_000;
    static final long INDEX_INTERVAL_MS = 10_000;
    static final DiskGuard.Policy DEFAULT_DISK = new DiskGuard.Policy(30 * 86_400_000L, 512L << 20, 60_000,
            DiskGuard.Policy.SLICE_ROWS);

    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

    Settings {
        if (directory == null || flushMs < 1 || batchSize < 1 || queueCapacity < 1 || offerTimeoutMs < 0
                || indexSliceRows < 1 || indexIntervalMs < 1 || disk == null) {
            throw new IllegalArgumentException("bad historian settings: directory=" + directory + " flush.ms="
                    + flushMs + " batch.size=" + batchSize + " queue.capacity=" + queueCapacity
                    + " offer.timeout.ms=" + offerTimeoutMs + " index slice=" + indexSliceRows
                    + " index interval=" + indexIntervalMs);
        }
    }

    Settings(Path directory, long flushMs, int batchSize, int queueCapacity, long offerTimeoutMs) {
        this(directory, flushMs, batchSize, queueCapacity, offerTimeoutMs, INDEX_SLICE_ROWS, INDEX_INTERVAL_MS,
                DEFAULT_DISK);
    }

    Settings withIndexing(int sliceRows, long intervalMs) {
        return new Settings(directory, flushMs, batchSize, queueCapacity, offerTimeoutMs, sliceRows, intervalMs, disk);
    }

    Settings withDisk(DiskGuard.Policy policy) {
        return new Settings(directory, flushMs, batchSize, queueCapacity, offerTimeoutMs, indexSliceRows,
                indexIntervalMs, policy);
    }

    static Settings defaults(Path directory) {
        return new Settings(directory, 200, 5000, 100_000, 1000);
    }

    /** Out-of-range numbers fall back to the defaults (with a warning) rather than leave the plant without history. */
    static Settings from(HistorianConfig config) {
        String dataDir = config.data_dir() == null || config.data_dir().isBlank() ? "data" : config.data_dir().strip();
        Settings d = defaults(Path.of(dataDir, "history"));
        return new Settings(d.directory(),
                checked("flush.ms", config.flush_ms(), 1, d.flushMs()),
                (int) checked("batch.size", config.batch_size(), 1, d.batchSize()),
                (int) checked("queue.capacity", config.queue_capacity(), 1, d.queueCapacity()),
                checked("offer.timeout.ms", config.offer_timeout_ms(), 0, d.offerTimeoutMs()))
                .withDisk(new DiskGuard.Policy(
                        checked("retention.days", config.retention_days(), 0, DEFAULT_DISK.retentionMs() / 86_400_000L)
                                * 86_400_000L,
                        checked("disk.min.free.mb", config.disk_min_free_mb(), 0, DEFAULT_DISK.minFreeBytes() >> 20) << 20,
                        checked("disk.check.s", config.disk_check_s(), 1, DEFAULT_DISK.checkMs() / 1000) * 1000,
                        DiskGuard.Policy.SLICE_ROWS));
    }

    private static long checked(String name, long value, long min, long fallback) {
        if (value >= min) {
            return value;
        }
        LOG.warn("Historian setting {}={} is below {}; using {}", name, value, min, fallback);
        return fallback;
    }
}
