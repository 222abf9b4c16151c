package org.brewpi.historian;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue and the one thread that drains it into H2, a batch per transaction.
 * <p>
 * Full queue: while the store is healthy a caller waits up to {@code offer.timeout.ms} for room
 * (back-pressure on the driver, and through it on the broker). If there is still no room, or the
 * store is down, records are dropped, counted and logged, and later callers stop waiting until
 * the queue is half empty again, so a stuck disk never stalls the MQTT thread for more than one
 * timeout.
 */
final class BatchWriter implements AutoCloseable {

    enum State {
        /** The file is open and the last batch was committed. */
        OPEN,
        /** The file could not be opened, or the last batch could not be committed. */
        FAILED,
        CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    private static final long RETRY_MIN_MS = 1000;
    private static final long RETRY_MAX_MS = 30_000;
    private static final long DROP_LOG_INTERVAL_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 60_000;
    /** Queued by close() to wake the writer from its wait for more records; never written. */
    private static final Object WAKE_UP = new Object();

    private final HistoryStore store;
    private final Settings settings;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final DiskGuard diskGuard;

    // written by the writer thread, read by health
    private volatile State state = State.FAILED;
    private volatile String error = "not opened yet";
    private volatile int schemaVersion;
    private volatile long lastFlushMs;
    private volatile long lastSyncMs;
    private volatile int lastBatchRows;
    private volatile double rowsPerSecond;
    private final Map<Stream, AtomicLong> committed = new EnumMap<>(Stream.class);
    /** Per stream, the highest seq known to be on disk: what the sync may ship. */
    private final Map<Stream, AtomicLong> durableSeq = new EnumMap<>(Stream.class);
    private final AtomicLong batches = new AtomicLong();
    private volatile long indexed;
    private volatile long lastIndexMs;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong();
    private volatile boolean overflowing;
    private volatile boolean stopping;

    /** Owned by the writer thread (after construction). */
    private WriteSession session;
    private long rateMarkNanos = System.nanoTime();
    private long rateMarkRows;
    private long lastIndexNanos = System.nanoTime();
    private long samplesSinceIndex;
    private boolean indexBehind = true; // until a slice finds nothing left from earlier runs

    BatchWriter(HistoryStore store, Settings settings, DiskGuard.FreeSpace freeSpace) {
        this.store = store;
        this.settings = settings;
        this.diskGuard = new DiskGuard(settings.disk(), settings.directory(), freeSpace);
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        for (Stream s : Stream.values()) {
            committed.put(s, new AtomicLong());
            durableSeq.put(s, new AtomicLong());
        }
        open(); // at once, so the component's health is known when it is registered
        this.thread = new Thread(this::run, "brewpi-historian-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    // --- callers' side (driver threads) ------------------------------------------------------

    /**
     * Queues a record for the writer. Never blocks past {@code deadlineNanos}.
     *
     * @return false if the record was dropped
     */
    boolean enqueue(Object record, long deadlineNanos) {
        if (stopping) {
            // the component is going away; the driver will stop calling in a moment
            dropped.incrementAndGet();
            return false;
        }
        if (queue.offer(record)) {
            return true;
        }
        if (!overflowing && state == State.OPEN) {
            try {
                long wait = deadlineNanos - System.nanoTime();
                if (wait > 0 && queue.offer(record, wait, TimeUnit.NANOSECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            overflowing = true;
        }
        long total = dropped.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastDropLog.get();
        if (now - last >= DROP_LOG_INTERVAL_MS && lastDropLog.compareAndSet(last, now)) {
            LOG.warn("History queue full ({} records): {} records dropped so far; store {}{}", queue.size(), total,
                    state.name().toLowerCase(), state == State.OPEN ? ", writer not keeping up" : ": " + error);
        }
        return false;
    }

    /** Upper bound for one caller's waiting, in {@link System#nanoTime()} terms. */
    long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.offerTimeoutMs());
    }

    // --- writer thread -----------------------------------------------------------------------

    private void run() {
        List<Object> batch = new ArrayList<>(Math.min(settings.batchSize(), 65_536));
        long retryMs = RETRY_MIN_MS;
        int failuresWhileStopping = 0;
        while (true) {
            boolean ready = session != null || open();
            if (ready && batch.isEmpty()) {
                fill(batch);
                if (batch.isEmpty()) {
                    if (stopping && queue.isEmpty()) {
                        break; // everything queued is committed
                    }
                    measureRate();
                    maybeIndex();
                    guardDisk();
                    continue;
                }
            }
            if (ready && write(batch)) {
                batch.clear();
                retryMs = RETRY_MIN_MS;
                guardDisk();
                maybeIndex();
                continue;
            }
            if (stopping && ++failuresWhileStopping >= 3) {
                giveUp(batch);
                return;
            }
            retryMs = pause(retryMs);
        }
        // Indexing is not finished here: a backlog can take minutes, and the next start resumes
        // it from the watermark. Only the records themselves must be committed before closing.
        session.close();
        session = null;
        state = State.CLOSED;
    }

    /** Takes what is queued: waits up to {@code flush.ms} from the first record for a full batch. */
    private void fill(List<Object> batch) {
        try {
            // No waiting once stopping (close() wants the rest, not a full batch), nor while the
            // index is behind: an idle writer works it off slice after slice.
            Object first = stopping || indexBehind ? queue.poll()
                    : queue.poll(settings.flushMs(), TimeUnit.MILLISECONDS);
            if (first == null || first == WAKE_UP) {
                return;
            }
            batch.add(first);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.flushMs());
            while (batch.size() < settings.batchSize()) {
                queue.drainTo(batch, settings.batchSize() - batch.size());
                long left = deadline - System.nanoTime();
                if (batch.size() >= settings.batchSize() || stopping || left <= 0) {
                    return;
                }
                Object next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null || next == WAKE_UP) {
                    return;
                }
                batch.add(next);
            }
        } catch (InterruptedException e) {
            // nobody but close() should stop this thread; treat it as a stop request
            stopping = true;
        }
    }

    private boolean write(List<Object> batch) {
        long started = System.nanoTime();
        Map<Stream, Integer> rows;
        try {
            rows = session.write(batch);
        } catch (SQLException | RuntimeException e) {
            fail("History batch of " + batch.size() + " records not committed, will retry", e);
            session.close(); // reopened on the next round: H2 may have closed the file after an I/O error
            session = null;
            return false;
        }
        samplesSinceIndex += rows.getOrDefault(Stream.SAMPLES, 0);
        batches.incrementAndGet();
        long syncStarted = System.nanoTime();
        try {
            session.syncToDisk();
            for (var entry : rows.entrySet()) {
                if (entry.getValue() > 0) {
                    durableSeq.get(entry.getKey()).set(session.maxSeq(entry.getKey()));
                }
            }
            if (state != State.OPEN) {
                LOG.info("History store writing again: {}", store.file());
            }
            state = State.OPEN;
            error = null;
        } catch (SQLException e) {
            // committed, so not retried (that would duplicate rows); H2 writes it out later itself
            fail("History batch committed but not synced to disk", e);
        }
        // counted once the rows are durable and readable by the sync (or the sync failed and H2 writes them later)
        rows.forEach((stream, n) -> committed.get(stream).addAndGet(n));
        long finished = System.nanoTime();
        lastFlushMs = TimeUnit.NANOSECONDS.toMillis(finished - started);
        lastSyncMs = TimeUnit.NANOSECONDS.toMillis(finished - syncStarted);
        lastBatchRows = rows.values().stream().mapToInt(Integer::intValue).sum();
        if (overflowing && queue.remainingCapacity() >= settings.queueCapacity() / 2) {
            overflowing = false;
            LOG.info("History queue has room again; {} records were dropped in all", dropped.get());
        }
        measureRate();
        return true;
    }

    /**
     * New samples are indexed by tag ({@code samples_by_tag}, {@code samples_1m}) in slices, only
     * while the queue is short: new records always come first. A slice runs once a slice's worth
     * of samples waits, or some time after the last one: bigger, rarer slices rewrite fewer pages.
     */
    private void maybeIndex() {
        if (session == null || stopping || queue.size() >= settings.batchSize()) {
            return; // records are waiting: they come first
        }
        boolean due = indexBehind || samplesSinceIndex >= settings.indexSliceRows() || (samplesSinceIndex > 0
                && System.nanoTime() - lastIndexNanos >= TimeUnit.MILLISECONDS.toNanos(settings.indexIntervalMs()));
        if (due) {
            long done = index();
            indexBehind = done < 0 ? indexBehind : done == settings.indexSliceRows();
        }
    }

    /** Retention and the free-space floor; runs only when a check is due (see {@link DiskGuard}). */
    private void guardDisk() {
        if (session != null && !stopping) {
            diskGuard.maybeRun(session, System.currentTimeMillis());
        }
    }

    /** Indexes one slice; returns how many samples it covered, -1 if queries held the index. */
    private long index() {
        long started = System.nanoTime();
        long done = 0;
        try {
            done = session.index(settings.indexSliceRows());
            if (done < 0) {
                return done; // tried again on the next round
            }
            indexed += done;
            samplesSinceIndex = Math.max(0, samplesSinceIndex - done);
        } catch (SQLException | RuntimeException e) {
            // derived data: the samples are safe, the next slice picks them up
            LOG.warn("History indexing failed, will retry: {}", e.getMessage());
        }
        lastIndexNanos = System.nanoTime();
        lastIndexMs = TimeUnit.NANOSECONDS.toMillis(lastIndexNanos - started);
        return done;
    }

    private boolean open() {
        try {
            session = store.openForWriting();
            schemaVersion = session.schemaVersion();
            for (Stream stream : Stream.values()) {
                durableSeq.get(stream).set(session.maxSeq(stream)); // what survived to this start is on disk
            }
            state = State.OPEN;
            error = null;
            LOG.info("History store open: {} (schema version {})", store.file(), schemaVersion);
            return true;
        } catch (SQLException | RuntimeException e) {
            String reason = "cannot open " + store.file() + ": " + e.getMessage();
            if (!reason.equals(error)) {
                LOG.error("History store {}", reason);
            }
            state = State.FAILED;
            error = reason;
            return false;
        }
    }

    private void fail(String what, Exception e) {
        String reason = what + ": " + e.getMessage();
        if (!reason.equals(error)) {
            LOG.error(reason);
        }
        state = State.FAILED;
        error = reason;
    }

    private void giveUp(List<Object> batch) {
        batch.addAll(queue);
        queue.clear();
        int lost = (int) batch.stream().filter(r -> r != WAKE_UP).count();
        dropped.addAndGet(lost);
        state = State.CLOSED;
        if (lost > 0) {
            LOG.error("History stopped with {} records that could not be stored: {}", lost, error);
        }
    }

    /** Waits before the next attempt; a stop request cuts it to one short nap. Returns the next, doubled, wait. */
    private long pause(long ms) {
        long until = System.currentTimeMillis() + ms;
        try {
            do {
                Thread.sleep(100);
            } while (!stopping && System.currentTimeMillis() < until);
        } catch (InterruptedException e) {
            stopping = true;
        }
        return Math.min(ms * 2, RETRY_MAX_MS);
    }

    private void measureRate() {
        long now = System.nanoTime();
        long elapsed = now - rateMarkNanos;
        if (elapsed >= TimeUnit.SECONDS.toNanos(1)) {
            long total = committedTotal();
            rowsPerSecond = (total - rateMarkRows) * 1e9 / elapsed;
            rateMarkNanos = now;
            rateMarkRows = total;
        }
    }

    /** Stops taking records, commits everything already queued, then closes the file. */
    @Override
    public void close() {
        stopping = true;
        queue.offer(WAKE_UP); // if the queue is full the writer is busy, not waiting
        try {
            thread.join(STOP_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("History writer did not finish within {} s; {} records still queued",
                    STOP_TIMEOUT_MS / 1000, queue.size());
        }
    }

    // --- what health shows -------------------------------------------------------------------

    State state() {
        return state;
    }

    String error() {
        return error;
    }

    int schemaVersion() {
        return schemaVersion;
    }

    int queueDepth() {
        return queue.size();
    }

    long durableSeq(Stream stream) {
        return durableSeq.get(stream).get();
    }

    long committed(Stream stream) {
        return committed.get(stream).get();
    }

    long committedTotal() {
        long total = 0;
        for (AtomicLong n : committed.values()) {
            total += n.get();
        }
        return total;
    }

    long dropped() {
        return dropped.get();
    }

    DiskGuard diskGuard() {
        return diskGuard;
    }

    long batches() {
        return batches.get();
    }

    long lastFlushMs() {
        return lastFlushMs;
    }

    long lastSyncMs() {
        return lastSyncMs;
    }

    long indexed() {
        return indexed;
    }

    long lastIndexMs() {
        return lastIndexMs;
    }

    int lastBatchRows() {
        return lastBatchRows;
    }

    double rowsPerSecond() {
        return rowsPerSecond;
    }
}
