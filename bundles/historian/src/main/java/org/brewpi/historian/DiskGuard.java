package org.brewpi.historian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the history file within the disk, on the writer thread, between batches:
 * <ul>
 * <li><b>Retention.</b> Samples older than {@code retention} and already in the central database
 * (seq up to the sync watermark) are removed.</li>
 * <li><b>Low disk.</b> While free space under the data folder (plus the space H2 can reuse inside
 * its file) is below {@code minFreeBytes}, the oldest samples go: first the synced ones, then the
 * oldest unsynced ones. Events, zone states and every other table are never touched.</li>
 * </ul>
 * Every removal is counted (health) and logged. Samples go in seq slices, each in its own
 * transaction together with their rows in the tag index and minute summaries, so queries never
 * see half a slice.
 */
final class DiskGuard {

    /** Free bytes of the file system holding a folder; a test hands in its own. */
    @FunctionalInterface
    interface FreeSpace {
        long usableBytes(Path directory) throws IOException;

        FreeSpace FILE_STORE = directory -> Files.getFileStore(directory).getUsableSpace();
    }

    /**
     * @param retentionMs synced samples older than this are removed; 0 keeps them for ever
     * @param minFreeBytes below this much free space samples are dropped; 0 turns the check off
     * @param checkMs time between two checks when all is well
     * @param sliceRows most samples removed in one transaction
     */
    record Policy(long retentionMs, long minFreeBytes, long checkMs, int sliceRows) {

        static final int SLICE_ROWS = 10_000;

        Policy {
            if (retentionMs < 0 || minFreeBytes < 0 || checkMs < 1 || sliceRows < 1) {
                throw new IllegalArgumentException("bad disk policy: retention.ms=" + retentionMs
                        + " min.free.bytes=" + minFreeBytes + " check.ms=" + checkMs + " slice=" + sliceRows);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DiskGuard.class);
    /** The longest one check keeps the writer from new records; the rest is done after the next batch. */
    private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long MINUTE = 60_000;

    private final Policy policy;
    private final Path directory;
    private final FreeSpace freeSpace;

    // written by the writer thread, read by health
    private final AtomicLong removedByRetention = new AtomicLong();
    private final AtomicLong droppedSynced = new AtomicLong();
    private final AtomicLong droppedUnsynced = new AtomicLong();
    private volatile long freeBytes = -1;
    private volatile boolean low;
    private volatile boolean nothingLeftToDrop;
    private volatile String error;

    /** Owned by the writer thread. */
    private long nextCheckAt;

    DiskGuard(Policy policy, Path directory, FreeSpace freeSpace) {
        this.policy = policy;
        this.directory = directory;
        this.freeSpace = freeSpace;
    }

    /** Called by the writer between batches; does nothing until a check is due. */
    void maybeRun(WriteSession session, long now) {
        if (now < nextCheckAt || (policy.retentionMs() == 0 && policy.minFreeBytes() == 0)) {
            return;
        }
        long deadline = System.nanoTime() + BUDGET_NANOS;
        boolean unfinished = false;
        try {
            long synced = session.read(DiskGuard::syncedSeq);
            if (policy.minFreeBytes() > 0) {
                unfinished = relieveDisk(session, synced, deadline);
            }
            if (policy.retentionMs() > 0 && System.nanoTime() < deadline) {
                unfinished |= removeExpired(session, synced, now - policy.retentionMs(), deadline);
            }
            if (error != null) {
                LOG.info("History disk check working again");
            }
            error = null;
        } catch (SQLException | IOException | RuntimeException e) {
            String reason = "history disk check failed, will retry: " + e.getMessage();
            if (!reason.equals(error)) {
                LOG.warn(reason);
            }
            error = reason;
        }
        nextCheckAt = unfinished ? now : now + policy.checkMs();
    }

    /** Removes synced samples older than {@code cutoff}; true if some are left for the next round. */
    private boolean removeExpired(WriteSession session, long synced, long cutoff, long deadline)
            throws SQLException {
        long removed = 0;
        boolean unfinished = false;
        while (true) {
            if (System.nanoTime() > deadline) {
                unfinished = true;
                break;
            }
            Slice slice = session.withIndexHeld(c -> deleteOldest(c, synced, cutoff));
            if (slice == null) {
                unfinished = true; // queries held the index
                break;
            }
            removed += slice.rows();
            if (slice.rows() == 0 || slice.reachedLimit()) {
                break;
            }
        }
        if (removed > 0) {
            removedByRetention.addAndGet(removed);
            LOG.info("History retention: removed {} samples older than {} days, already in the central database",
                    removed, policy.retentionMs() / 86_400_000.0);
        }
        return unfinished;
    }

    /**
     * While the disk is low, drops the oldest samples, synced ones first; true if the disk is still
     * low and samples are left (the next round goes on right after the next batch).
     */
    private boolean relieveDisk(WriteSession session, long synced, long deadline)
            throws SQLException, IOException {
        long free = free(session);
        if (free >= policy.minFreeBytes()) {
            if (low) {
                LOG.info("Disk has room again: {} MB free under {}", free >> 20, directory);
            }
            low = false;
            nothingLeftToDrop = false;
            return false;
        }
        low = true;
        long syncedDropped = 0;
        long unsyncedDropped = 0;
        boolean unfinished = false;
        while (free < policy.minFreeBytes()) {
            if (System.nanoTime() > deadline) {
                unfinished = true;
                break;
            }
            // synced samples first: they are safe in the central database
            Slice slice = session.withIndexHeld(c -> deleteOldest(c, synced, Long.MAX_VALUE));
            boolean syncedSlice = slice != null && slice.rows() > 0;
            if (slice != null && slice.rows() == 0) {
                slice = session.withIndexHeld(c -> deleteOldest(c, Long.MAX_VALUE, Long.MAX_VALUE));
            }
            if (slice == null) {
                unfinished = true;
                break;
            }
            if (slice.rows() == 0) {
                if (!nothingLeftToDrop) {
                    LOG.error("DISK LOW: {} MB free under {} (minimum {} MB) and no samples left to drop;"
                            + " events, zone states and the other records are kept", free >> 20, directory,
                            policy.minFreeBytes() >> 20);
                }
                nothingLeftToDrop = true;
                break;
            }
            if (syncedSlice) {
                syncedDropped += slice.rows();
                droppedSynced.addAndGet(slice.rows());
            } else {
                unsyncedDropped += slice.rows();
                droppedUnsynced.addAndGet(slice.rows());
            }
            free = free(session);
        }
        if (syncedDropped + unsyncedDropped > 0) {
            LOG.warn("DISK LOW under {} ({} MB free counting the reusable space in the history file, minimum {} MB):"
                    + " dropped the oldest {} samples already in the central database and {} NOT YET SYNCED"
                    + " (so far {} and {})", directory, free >> 20, policy.minFreeBytes() >> 20, syncedDropped,
                    unsyncedDropped, droppedSynced.get(), droppedUnsynced.get());
        }
        return unfinished && free < policy.minFreeBytes();
    }

    /** Free bytes of the disk plus the space inside the H2 file it will reuse before growing. */
    private long free(WriteSession session) throws SQLException, IOException {
        long disk = freeSpace.usableBytes(directory);
        long reusable = disk >= policy.minFreeBytes() ? 0 : session.read(DiskGuard::reusableBytes);
        freeBytes = disk + reusable;
        return freeBytes;
    }

    /** A slice of removed samples; {@code reachedLimit} when it stopped at a sample to keep. */
    record Slice(long rows, boolean reachedLimit) {
    }

    /**
     * Deletes the oldest slice of samples with seq up to {@code maxSeq} and ts before
     * {@code beforeTs}, with their rows in the tag index and minute summaries.
     */
    Slice deleteOldest(Connection c, long maxSeq, long beforeTs) throws SQLException {
        long lo;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT MIN(seq) FROM samples")) {
            rs.next();
            lo = rs.getLong(1);
            if (rs.wasNull() || lo > maxSeq) {
                return new Slice(0, true);
            }
        }
        long hi = Math.min(maxSeq, lo + policy.sliceRows() - 1);
        record TagSpan(String zone, String tag, long from, long to) {
        }
        List<TagSpan> spans = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT zone, tag, MIN(ts), MAX(ts) FROM samples"
                + " WHERE seq BETWEEN ? AND ? AND ts < ? GROUP BY zone, tag")) {
            bind(ps, lo, hi, beforeTs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    spans.add(new TagSpan(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        long rows;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM samples WHERE seq BETWEEN ? AND ? AND ts < ?")) {
            bind(ps, lo, hi, beforeTs);
            rows = ps.executeUpdate();
        }
        // per tag, so H2 walks the (zone, tag, ts) keys of these rows only
        try (PreparedStatement byTag = c.prepareStatement("DELETE FROM samples_by_tag"
                + " WHERE zone = ? AND tag = ? AND ts BETWEEN ? AND ? AND seq BETWEEN ? AND ?");
                PreparedStatement minutes = c.prepareStatement("DELETE FROM samples_1m"
                        + " WHERE zone = ? AND tag = ? AND ts BETWEEN ? AND ? AND last_seq <= ? AND ts <= ?")) {
            for (TagSpan span : spans) {
                bind(byTag, span.zone(), span.tag(), span.from(), span.to(), lo, hi);
                byTag.executeUpdate();
                // a minute goes once all its samples have: its last one is in this slice or before,
                // and the minute ends before the cut-off
                bind(minutes, span.zone(), span.tag(), Math.floorDiv(span.from(), MINUTE) * MINUTE, span.to(), hi,
                        beforeTs - MINUTE);
                minutes.executeUpdate();
            }
        }
        long kept;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM samples WHERE seq BETWEEN ? AND ?")) {
            bind(ps, lo, hi);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                kept = rs.getLong(1);
            }
        }
        return new Slice(rows, kept > 0 || hi == maxSeq);
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    private static long syncedSeq(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT synced_seq FROM sync_watermarks WHERE stream = 'samples'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** H2's own figures: the file's size, and how full its chunks are (what is not, it reuses). */
    private static long reusableBytes(Connection c) throws SQLException {
        long fileSize = 0;
        long fillPercent = 100;
        try (Statement st = c.createStatement()) {
            st.execute("CHECKPOINT"); // so the figures count the slice just removed
            try (ResultSet rs = st.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME IN ('info.FILE_SIZE', 'info.CHUNKS_FILL_RATE')")) {
                while (rs.next()) {
                    long v = Long.parseLong(rs.getString(2).strip());
                    if (rs.getString(1).equals("info.FILE_SIZE")) {
                        fileSize = v;
                    } else {
                        fillPercent = v;
                    }
                }
            }
        }
        return fileSize * Math.max(0, 100 - fillPercent) / 100;
    }

    // --- what health shows -------------------------------------------------------------------

    long removedByRetention() {
        return removedByRetention.get();
    }

    long droppedSynced() {
        return droppedSynced.get();
    }

    long droppedUnsynced() {
        return droppedUnsynced.get();
    }

    /** Free bytes at the last check (disk plus reusable file space), -1 before the first. */
    long freeBytes() {
        return freeBytes;
    }

    boolean low() {
        return low;
    }

    String error() {
        return error;
    }

    Policy policy() {
        return policy;
    }
}
