package org.brewpi.historian;

import static org.brewpi.historian.HistoryStore.CODE_MAX;
import static org.brewpi.historian.HistoryStore.KIND_MAX;
import static org.brewpi.historian.HistoryStore.REASON_MAX;
import static org.brewpi.historian.HistoryStore.TEXT_MAX;
import static org.brewpi.historian.HistoryStore.clip;
import static org.brewpi.historian.HistoryStore.closeQuietly;
import static org.brewpi.historian.HistoryStore.qualityCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;

import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;

/**
 * The single writing connection to the history file: one transaction per batch, then a sync to the disk, and
 * the tag index filled in slices behind it. Opened by {@link HistoryStore#openForWriting()}, owned by
 * {@link BatchWriter}'s thread.
 */
final class WriteSession implements AutoCloseable {

    private static final long INDEX_LOCK_WAIT_MS = 50;

    private static final String COPY_BY_TAG = "INSERT INTO samples_by_tag"
            + " (zone, tag, ts, seq, num_value, text_value, quality)"
            + " SELECT zone, tag, ts, seq, num_value, text_value, quality FROM samples WHERE seq > ? AND seq <= ?";


    /** Adds samples (seq in (?, ?]) to their minutes; LEAST/GREATEST are NULL if either side is. */
    private static final String SUMMARISE = "MERGE INTO samples_1m t USING ("
            + " SELECT zone, tag, ts / 60000 * 60000 AS minute_ts, COUNT(*) AS n, COUNT(num_value) AS n_num,"
            + " MIN(num_value) AS lo, MAX(num_value) AS hi, SUM(num_value) AS total,"
            + " MAX(quality) AS worst, MAX(seq) AS last_seq"
            + " FROM samples WHERE seq > ? AND seq <= ? GROUP BY zone, tag, minute_ts) s"
            + " ON t.zone = s.zone AND t.tag = s.tag AND t.ts = s.minute_ts"
            + " WHEN MATCHED THEN UPDATE SET n = t.n + s.n, n_num = t.n_num + s.n_num,"
            + " lo = COALESCE(LEAST(t.lo, s.lo), t.lo, s.lo), hi = COALESCE(GREATEST(t.hi, s.hi), t.hi, s.hi),"
            + " total = COALESCE(t.total + s.total, t.total, s.total), worst = GREATEST(t.worst, s.worst),"
            + " last_seq = GREATEST(t.last_seq, s.last_seq)"
            + " WHEN NOT MATCHED THEN INSERT (zone, tag, ts, n, n_num, lo, hi, total, worst, last_seq)"
            + " VALUES (s.zone, s.tag, s.minute_ts, s.n, s.n_num, s.lo, s.hi, s.total, s.worst, s.last_seq)";


    private final Connection connection;
    private final int schemaVersion;
    private final PreparedStatement insertSample;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertState;
    private final Statement sync;
    private final PreparedStatement newestSeq;
    private final PreparedStatement copyByTag;
    private final PreparedStatement summarise;
    private final PreparedStatement moveIndexWatermark;
    private final ReadWriteLock indexLock;
    private long indexedTo;

    WriteSession(Connection connection, int schemaVersion, ReadWriteLock indexLock) throws SQLException {
        this.connection = connection;
        this.schemaVersion = schemaVersion;
        this.indexLock = indexLock;
        connection.setAutoCommit(false);
        insertSample = connection.prepareStatement("INSERT INTO samples"
                + " (zone, tag, ts, plc_ts, num_value, text_value, quality) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insertEvent = connection.prepareStatement("INSERT INTO events"
                + " (zone, ts, plc_ts, boot, plc_seq, kind, code, active, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insertState = connection.prepareStatement(
                "INSERT INTO zone_states (zone, ts, state, reason) VALUES (?, ?, ?, ?)");
        sync = connection.createStatement();
        newestSeq = connection.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM samples");
        copyByTag = connection.prepareStatement(COPY_BY_TAG);
        summarise = connection.prepareStatement(SUMMARISE);
        moveIndexWatermark = connection.prepareStatement("UPDATE index_state SET last_seq = ? WHERE id = 1");
        try (ResultSet rs = sync.executeQuery("SELECT last_seq FROM index_state WHERE id = 1")) {
            indexedTo = rs.next() ? rs.getLong(1) : 0;
        }
        connection.commit();
    }

    int schemaVersion() {
        return schemaVersion;
    }

    /**
     * Writes the records in one transaction and commits it. On failure nothing of the batch
     * is kept, so the caller may retry it whole.
     *
     * @return rows written per stream
     */
    Map<Stream, Integer> write(List<?> records) throws SQLException {
        Map<Stream, Integer> rows = new EnumMap<>(Stream.class);
        try {
            for (Object record : records) {
                if (record instanceof TagValue value) {
                    bindSample(value);
                    rows.merge(Stream.SAMPLES, 1, Integer::sum);
                } else if (record instanceof ZoneEvent event) {
                    bindEvent(event);
                    rows.merge(Stream.EVENTS, 1, Integer::sum);
                } else if (record instanceof StateChange change) {
                    bindState(change);
                    rows.merge(Stream.ZONE_STATES, 1, Integer::sum);
                }
            }
            if (rows.containsKey(Stream.SAMPLES)) {
                insertSample.executeBatch();
            }
            if (rows.containsKey(Stream.EVENTS)) {
                insertEvent.executeBatch();
            }
            if (rows.containsKey(Stream.ZONE_STATES)) {
                insertState.executeBatch();
            }
            connection.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            insertSample.clearBatch();
            insertEvent.clearBatch();
            insertState.clearBatch();
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            throw e;
        }
    }

    /**
     * H2's MVStore keeps commits in memory until it writes a chunk (every 0.5 s by default)
     * and does not fsync then: this writes the chunk and forces it to the device, so what was
     * committed survives a power loss.
     */
    void syncToDisk() throws SQLException {
        sync.execute("CHECKPOINT SYNC");
    }

    /** The stream's highest seq; called right after {@link #syncToDisk()}, it is the highest durable one. */
    long maxSeq(Stream stream) throws SQLException {
        try (ResultSet rs = sync.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + stream.table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Adds up to {@code maxRows} samples past the watermark to {@code samples_by_tag} and
     * {@code samples_1m} and moves the watermark, in one transaction, so each sample is
     * indexed exactly once even across a crash.
     *
     * @return the number of samples indexed (by seq), or -1 if queries held the index
     */
    long index(long maxRows) throws SQLException {
        try {
            if (!indexLock.writeLock().tryLock(INDEX_LOCK_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        try {
            long upTo;
            try (ResultSet rs = newestSeq.executeQuery()) {
                rs.next();
                upTo = Math.min(rs.getLong(1), indexedTo + maxRows);
            }
            if (upTo > indexedTo) {
                for (PreparedStatement ps : List.of(copyByTag, summarise)) {
                    ps.setLong(1, indexedTo);
                    ps.setLong(2, upTo);
                    ps.executeUpdate();
                }
                moveIndexWatermark.setLong(1, upTo);
                moveIndexWatermark.executeUpdate();
            }
            connection.commit();
            long indexed = Math.max(0, upTo - indexedTo);
            indexedTo = Math.max(indexedTo, upTo);
            return indexed;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            throw e;
        } finally {
            indexLock.writeLock().unlock();
        }
    }

    /** Work on the write connection, for {@link DiskGuard}. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on the write connection while holding the query
     * index (queries read samples, the tag index and the minute summaries as one), and commits.
     *
     * @return the work's result, or {@code null} if queries held the index (try again later)
     */
    <T> T withIndexHeld(Work<T> work) throws SQLException {
        try {
            if (!indexLock.writeLock().tryLock(INDEX_LOCK_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            throw e;
        } finally {
            indexLock.writeLock().unlock();
        }
    }

    /** Runs {@code work} on the write connection (read-only work, outside any batch). */
    <T> T read(Work<T> work) throws SQLException {
        try {
            return work.run(connection);
        } finally {
            connection.commit();
        }
    }

    private void bindSample(TagValue v) throws SQLException {
        insertSample.setString(1, v.zone());
        insertSample.setString(2, v.tag());
        insertSample.setLong(3, v.arrivalTime());
        insertSample.setLong(4, v.plcTime());
        Object value = v.value();
        if (value instanceof Boolean b) {
            insertSample.setDouble(5, b ? 1.0 : 0.0);
            insertSample.setString(6, b.toString());
        } else if (value instanceof Number n) {
            insertSample.setDouble(5, n.doubleValue());
            insertSample.setNull(6, Types.VARCHAR);
        } else if (value == null) {
            insertSample.setNull(5, Types.DOUBLE);
            insertSample.setNull(6, Types.VARCHAR);
        } else {
            insertSample.setNull(5, Types.DOUBLE);
            insertSample.setString(6, clip(value.toString(), TEXT_MAX));
        }
        insertSample.setShort(7, qualityCode(v.quality()));
        insertSample.addBatch();
    }

    private void bindEvent(ZoneEvent e) throws SQLException {
        insertEvent.setString(1, e.zone());
        insertEvent.setLong(2, e.arrivalTime());
        insertEvent.setLong(3, e.plcTime());
        insertEvent.setLong(4, e.boot());
        insertEvent.setLong(5, e.seq());
        insertEvent.setString(6, clip(e.kind(), KIND_MAX));
        insertEvent.setString(7, clip(e.code(), CODE_MAX));
        insertEvent.setBoolean(8, e.active());
        insertEvent.setString(9, clip(e.message(), TEXT_MAX));
        insertEvent.addBatch();
    }

    private void bindState(StateChange s) throws SQLException {
        insertState.setString(1, s.zone());
        insertState.setLong(2, s.time());
        insertState.setString(3, s.state().wire());
        insertState.setString(4, clip(s.reason(), REASON_MAX));
        insertState.addBatch();
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }
}
