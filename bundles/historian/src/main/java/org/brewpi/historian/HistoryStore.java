package org.brewpi.historian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.brewpi.api.history.HistoryPoint;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 file: opening it, writing batches to it and querying it. Holds no thread of its own;
 * {@link BatchWriter} owns the one write session, queries open short-lived read connections.
 */
final class HistoryStore {

    /** Column limits of the V1 schema; longer identifiers are rejected, longer free text is cut. */
    static final int ZONE_MAX = 64;
    static final int TAG_MAX = 128;
    static final int TEXT_MAX = 4096;
    static final int KIND_MAX = 32;
    static final int CODE_MAX = 64;
    static final int REASON_MAX = 256;

    private static final String DB_NAME = "history";
    /** H2's error codes (org.h2.api.ErrorCode) for a damaged file and for an unreadable one. */
    private static final int FILE_CORRUPTED = 90030;
    private static final int IO_EXCEPTION = 90028;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);

    private final Path directory;
    final String url;
    /**
     * A query reads the tag index, the minute summaries and the samples past the watermark, and
     * H2 does not give all of that one snapshot (measured: samples counted twice or not at all
     * while an index slice committed). Queries hold this for reading; an index slice holds it
     * for writing, and only tries for it briefly, so the writer thread never waits on a query.
     */
    private final ReadWriteLock indexLock = new ReentrantReadWriteLock(true);
    /** Only the first open, at start-up, may set a damaged file aside. */
    private boolean openedBefore;
    private volatile SetAside setAside;

    HistoryStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook must not close the file before the
        // component has flushed its queue; the component closes it.
        this.url = "jdbc:h2:file:" + this.directory.resolve(DB_NAME) + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The H2 data file. */
    Path file() {
        return directory.resolve(DB_NAME + ".mv.db");
    }

    /** Opens (creating if needed) and migrates the file; the caller owns the session. */
    WriteSession openForWriting() throws SQLException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new SQLException("cannot create the history folder " + directory + ": " + e, e);
        }
        boolean startUp = !openedBefore;
        openedBefore = true;
        try {
            return openAndMigrate(false);
        } catch (SQLException e) {
            if (!startUp || !damaged(e)) {
                throw e;
            }
            moveAside(e);
            return openAndMigrate(true);
        }
    }

    private WriteSession openAndMigrate(boolean replacement) throws SQLException {
        Connection connection = connect(url);
        try {
            int version = Migrations.apply(connection);
            if (replacement) {
                startSeqsAfterTheOldFile(connection);
            }
            return new WriteSession(connection, version, indexLock);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * H2 says the file is corrupted, or cannot read a file that is there and that we may read and
     * write (so not a permission or missing-disk problem). A file in use by another process, or a
     * schema newer than this historian, is never "damaged": those files are left alone.
     */
    private boolean damaged(SQLException e) {
        Path f = file();
        if (!Files.isRegularFile(f)) {
            return false;
        }
        return e.getErrorCode() == FILE_CORRUPTED || (e.getErrorCode() == IO_EXCEPTION && Files.isReadable(f)
                && Files.isWritable(f) && Files.isWritable(directory));
    }

    /** Moves the damaged file aside, keeping it for a recovery attempt, under a name with the time. */
    private void moveAside(SQLException cause) throws SQLException {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path target = directory.resolve(DB_NAME + ".corrupt-" + stamp + ".mv.db");
        try {
            Files.move(file(), target);
        } catch (IOException e) {
            throw new SQLException("history file " + file() + " is damaged (" + firstLine(cause)
                    + ") and could not be moved aside: " + e, cause);
        }
        String reason = firstLine(cause);
        setAside = new SetAside(target, reason, System.currentTimeMillis());
        LOG.error("HISTORY FILE DAMAGED: {} could not be opened ({}); moved aside to {} and a new, empty history"
                + " started. Rows not yet synced to the central database are only in the moved file.", file(),
                reason, target);
    }

    /**
     * A replacement file starts its seqs at the current time in microseconds, past any seq the
     * damaged file handed out (unless it wrote over a million rows a second), so rows already
     * shipped to the central database under (site, seq) are never mistaken for new ones.
     */
    private static void startSeqsAfterTheOldFile(Connection c) throws SQLException {
        long start = System.currentTimeMillis() * 1000;
        try (Statement st = c.createStatement()) {
            for (Stream stream : Stream.values()) {
                st.execute("ALTER TABLE " + stream.table + " ALTER COLUMN seq RESTART WITH " + start);
            }
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** A damaged file moved aside at start-up: where to, why, when. */
    record SetAside(Path movedTo, String reason, long at) {
    }

    /** The file moved aside at start-up, or {@code null}. */
    SetAside setAside() {
        return setAside;
    }

    // --- writing ---------------------------------------------------------------------------

    /** The single writing connection: one transaction per batch, then a sync to the disk. */
    static final class WriteSession implements AutoCloseable {

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

        private WriteSession(Connection connection, int schemaVersion, ReadWriteLock indexLock) throws SQLException {
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

    // --- reading ---------------------------------------------------------------------------

    static final long MINUTE = 60_000;
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

    /** Samples past the index watermark; read in the same statement as the indexed ones, so one snapshot. */
    private static final String NOT_INDEXED = "seq > (SELECT last_seq FROM index_state WHERE id = 1)";

    // The first samples in range, indexed or not. ORDER BY names the primary key's leading columns
    // although the WHERE fixes them: only then does H2 read the key in order and stop at the LIMIT
    // instead of sorting a month of rows.
    static final String FIRST_SAMPLES = "SELECT ts, num_value, text_value, quality FROM ("
            + "(SELECT ts, num_value, text_value, quality FROM samples_by_tag"
            + " WHERE zone = ? AND tag = ? AND ts BETWEEN ? AND ? ORDER BY zone, tag, ts LIMIT ?)"
            + " UNION ALL (SELECT ts, num_value, text_value, quality FROM samples"
            + " WHERE " + NOT_INDEXED + " AND zone = ? AND tag = ? AND ts BETWEEN ? AND ?)"
            + ") p ORDER BY ts LIMIT ?";

    static final String LAST_TIME = "SELECT MAX(ts) FROM ("
            + "(SELECT ts FROM samples_by_tag WHERE zone = ? AND tag = ? AND ts BETWEEN ? AND ?"
            + " ORDER BY zone DESC, tag DESC, ts DESC LIMIT 1)"
            + " UNION ALL (SELECT ts FROM samples WHERE " + NOT_INDEXED + " AND zone = ? AND tag = ? AND ts BETWEEN ? AND ?)"
            + ") p";

    // Bucket parts: each row is (bucket, n, n_num, lo, hi, total, worst, last_seq), so samples and
    // minute summaries combine in one GROUP BY. Parameters: origin, width, zone, tag, from, to (excl.).
    private static final String SAMPLE_COLUMNS = "SELECT (ts - ?) / ? AS bucket, 1 AS n,"
            + " CASE WHEN num_value IS NULL THEN 0 ELSE 1 END AS n_num, num_value AS lo, num_value AS hi,"
            + " num_value AS total, quality AS worst, seq AS last_seq";
    private static final String INDEXED_PART = SAMPLE_COLUMNS
            + " FROM samples_by_tag WHERE zone = ? AND tag = ? AND ts >= ? AND ts < ?";
    private static final String NOT_INDEXED_PART = SAMPLE_COLUMNS
            + " FROM samples WHERE zone = ? AND tag = ? AND ts >= ? AND ts < ? AND " + NOT_INDEXED;
    private static final String MINUTES_PART = "SELECT (ts - ?) / ? AS bucket, n, n_num, lo, hi, total, worst,"
            + " last_seq FROM samples_1m WHERE zone = ? AND tag = ? AND ts >= ? AND ts < ?";

    /** See {@link org.brewpi.api.history.Historian#history}. */
    List<HistoryPoint> history(String zone, String tag, long from, long to, int maxPoints) throws SQLException {
        long start = Math.max(from, 0);
        if (to < start) {
            return List.of();
        }
        indexLock.readLock().lock();
        try (Connection c = connectToExisting()) {
            List<HistoryPoint> raw = firstSamples(c, zone, tag, start, to, maxPoints + 1);
            if (raw.size() <= maxPoints) {
                return raw;
            }
            // Bucket only the span that holds data, so a wide window over recent data keeps its detail.
            long first = raw.get(0).time();
            long last = lastTime(c, zone, tag, start, to);
            long width = (last - first) / maxPoints + 1; // then (last - first) / width < maxPoints
            if (width < MINUTE) {
                return buckets(c, first, width, List.of(part(INDEXED_PART, first, width, zone, tag, first, last + 1),
                        part(NOT_INDEXED_PART, first, width, zone, tag, first, last + 1)));
            }
            return bucketsOfMinutes(c, zone, tag, first, last, maxPoints);
        } finally {
            indexLock.readLock().unlock();
        }
    }

    /**
     * Buckets of whole minutes: complete minutes come from {@code samples_1m}, the partial minutes
     * at both ends from {@code samples_by_tag}, samples not indexed yet from {@code samples}. The
     * parts never overlap.
     */
    private static List<HistoryPoint> bucketsOfMinutes(Connection c, String zone, String tag, long first, long last,
            int maxPoints) throws SQLException {
        long origin = Math.floorDiv(first, MINUTE) * MINUTE;
        long width = ceilToMinute((last - origin) / maxPoints + 1);
        long fullStart = ceilToMinute(first); // minutes from here...
        long fullEnd = Math.floorDiv(last + 1, MINUTE) * MINUTE; // ...to here lie wholly in range
        List<Part> parts = new ArrayList<>();
        if (fullStart < fullEnd) {
            parts.add(part(INDEXED_PART, origin, width, zone, tag, first, fullStart));
            parts.add(part(MINUTES_PART, origin, width, zone, tag, fullStart, fullEnd));
            parts.add(part(INDEXED_PART, origin, width, zone, tag, fullEnd, last + 1));
        } else {
            parts.add(part(INDEXED_PART, origin, width, zone, tag, first, last + 1));
        }
        parts.add(part(NOT_INDEXED_PART, origin, width, zone, tag, first, last + 1));
        return buckets(c, origin, width, parts);
    }

    /** One SELECT of a bucket query and its parameters. */
    private record Part(String sql, List<Object> params) {
    }

    private static Part part(String sql, long origin, long width, String zone, String tag, long fromIncl,
            long toExcl) {
        return new Part(sql, List.of(origin, width, zone, tag, fromIncl, toExcl));
    }

    private static List<HistoryPoint> buckets(Connection c, long origin, long width, List<Part> parts)
            throws SQLException {
        StringBuilder union = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Part part : parts) {
            union.append(union.length() == 0 ? "" : " UNION ALL ").append(part.sql());
            params.addAll(part.params());
        }
        String sql = "SELECT b.bucket, b.n, b.lo, b.hi, b.mean, b.worst, s.num_value, s.text_value FROM ("
                + " SELECT bucket, SUM(n) AS n, MIN(lo) AS lo, MAX(hi) AS hi,"
                + " SUM(total) / NULLIF(SUM(n_num), 0) AS mean, MAX(worst) AS worst, MAX(last_seq) AS last_seq"
                + " FROM (" + union + ") p GROUP BY bucket) b"
                + " LEFT JOIN samples s ON s.seq = b.last_seq ORDER BY b.bucket";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params.toArray());
            List<HistoryPoint> points = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.add(new HistoryPoint(origin + rs.getLong(1) * width, rs.getInt(2), nullableDouble(rs, 3),
                            nullableDouble(rs, 4), nullableDouble(rs, 5),
                            decode(nullableDouble(rs, 7), rs.getString(8)), qualityName(rs.getShort(6))));
                }
            }
            return points;
        }
    }

    private static long ceilToMinute(long ms) {
        return Math.floorDiv(ms + MINUTE - 1, MINUTE) * MINUTE;
    }

    private static List<HistoryPoint> firstSamples(Connection c, String zone, String tag, long from, long to,
            int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIRST_SAMPLES)) {
            bind(ps, zone, tag, from, to, limit, zone, tag, from, to, limit);
            List<HistoryPoint> points = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Double num = nullableDouble(rs, 2);
                    Object value = decode(num, rs.getString(3));
                    Double numeric = value instanceof String ? null : num;
                    points.add(new HistoryPoint(rs.getLong(1), 1, numeric, numeric, numeric, value,
                            qualityName(rs.getShort(4))));
                }
            }
            return points;
        }
    }

    private static long lastTime(Connection c, String zone, String tag, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LAST_TIME)) {
            bind(ps, zone, tag, from, to, zone, tag, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long last = rs.getLong(1);
                return rs.wasNull() ? from : last;
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    /** See {@link org.brewpi.api.history.Historian#events}; a {@code null} zone means every zone. */
    List<ZoneEvent> events(String zone, long from, long to, int limit) throws SQLException {
        // newest first, in index order (see FIRST_SAMPLES), then turned round
        String sql = "SELECT zone, boot, plc_seq, plc_ts, ts, kind, code, active, message FROM events"
                + (zone == null ? " WHERE ts BETWEEN ? AND ? ORDER BY ts DESC LIMIT ?"
                        : " WHERE zone = ? AND ts BETWEEN ? AND ? ORDER BY zone DESC, ts DESC LIMIT ?");
        try (Connection c = connectToExisting(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (zone != null) {
                ps.setString(i++, zone);
            }
            ps.setLong(i++, from);
            ps.setLong(i++, to);
            ps.setInt(i, limit);
            List<ZoneEvent> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new ZoneEvent(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getString(9)));
                }
            }
            Collections.reverse(events); // newest last
            return events;
        }
    }

    // --- values and qualities --------------------------------------------------------------

    /** Inverse of the encoding in {@code bindSample}: both columns set means a boolean. */
    static Object decode(Double num, String text) {
        if (num != null && text != null) {
            return num != 0.0;
        }
        return num != null ? num : text;
    }

    /** The {@code qualities} table's codes: higher is worse. */
    static short qualityCode(Quality quality) {
        return switch (quality) {
            case GOOD -> 0;
            case BAD -> 1;
            case STALE -> 2;
            case OFFLINE -> 3;
        };
    }

    static String qualityName(short code) {
        return switch (code) {
            case 0 -> Quality.GOOD.name();
            case 1 -> Quality.BAD.name();
            case 2 -> Quality.STALE.name();
            case 3 -> Quality.OFFLINE.name();
            default -> "UNKNOWN";
        };
    }

    static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? null : d;
    }

    // --- connections -----------------------------------------------------------------------

    /** A read connection to the already open file; never creates an empty database by mistake. */
    Connection connectToExisting() throws SQLException {
        Connection c = connect(url + ";IFEXISTS=TRUE");
        c.setReadOnly(true);
        return c;
    }

    /** Through H2's driver directly: DriverManager's class-loader lookup does not work inside OSGi. */
    static Connection connect(String url) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", "sa");
        credentials.setProperty("password", "");
        Connection c = new org.h2.Driver().connect(url, credentials);
        if (c == null) {
            throw new SQLException("H2 refused the URL " + url);
        }
        return c;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing is best effort; the file is consistent after every commit
        }
    }
}
