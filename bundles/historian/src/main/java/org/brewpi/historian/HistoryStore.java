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

import org.brewpi.api.history.HistoryPoint;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;

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

    private final Path directory;
    private final String url;

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
        Connection connection = connect(url);
        try {
            int version = Migrations.apply(connection);
            return new WriteSession(connection, version);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
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
        private final PreparedStatement rollUp;
        private final PreparedStatement moveRollUpWatermark;
        private long rolledUpTo;

        private WriteSession(Connection connection, int schemaVersion) throws SQLException {
            this.connection = connection;
            this.schemaVersion = schemaVersion;
            connection.setAutoCommit(false);
            insertSample = connection.prepareStatement("INSERT INTO samples"
                    + " (zone, tag, ts, plc_ts, num_value, text_value, quality) VALUES (?, ?, ?, ?, ?, ?, ?)");
            insertEvent = connection.prepareStatement("INSERT INTO events"
                    + " (zone, ts, plc_ts, boot, plc_seq, kind, code, active, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            insertState = connection.prepareStatement(
                    "INSERT INTO zone_states (zone, ts, state, reason) VALUES (?, ?, ?, ?)");
            sync = connection.createStatement();
            newestSeq = connection.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM samples");
            rollUp = connection.prepareStatement(ROLL_UP);
            moveRollUpWatermark = connection.prepareStatement("UPDATE rollup_state SET last_seq = ? WHERE id = 1");
            try (ResultSet rs = sync.executeQuery("SELECT last_seq FROM rollup_state WHERE id = 1")) {
                rolledUpTo = rs.next() ? rs.getLong(1) : 0;
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

        /**
         * Folds up to {@code maxRows} samples not yet summarised into {@code samples_1m}, and moves
         * the watermark in the same transaction, so each sample is counted exactly once even
         * across a crash.
         *
         * @return the number of samples folded in (by seq)
         */
        long rollUp(long maxRows) throws SQLException {
            try {
                long upTo;
                try (ResultSet rs = newestSeq.executeQuery()) {
                    rs.next();
                    upTo = Math.min(rs.getLong(1), rolledUpTo + maxRows);
                }
                if (upTo <= rolledUpTo) {
                    connection.commit();
                    return 0;
                }
                rollUp.setLong(1, rolledUpTo);
                rollUp.setLong(2, upTo);
                rollUp.executeUpdate();
                moveRollUpWatermark.setLong(1, upTo);
                moveRollUpWatermark.executeUpdate();
                connection.commit();
                long folded = upTo - rolledUpTo;
                rolledUpTo = upTo;
                return folded;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // the original failure is what matters
                }
                throw e;
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

    /** Folds samples (seq in (?, ?]) into their minutes; LEAST/GREATEST are NULL if either side is. */
    private static final String ROLL_UP = "MERGE INTO samples_1m t USING ("
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

    // ORDER BY names the index's leading columns although they are fixed by the WHERE: only then
    // does H2 read the index in order and stop at the LIMIT instead of sorting a month of rows.
    static final String RAW = "SELECT ts, num_value, text_value, quality FROM samples"
            + " WHERE zone = ? AND tag = ? AND ts BETWEEN ? AND ? ORDER BY zone, tag, ts LIMIT ?";

    static final String LAST_TIME = "SELECT ts FROM samples"
            + " WHERE zone = ? AND tag = ? AND ts BETWEEN ? AND ? ORDER BY zone DESC, tag DESC, ts DESC LIMIT 1";

    /**
     * Where the samples not yet summarised begin, roughly: ts follows seq to within moments. Only
     * bounds a scan; the exact split is made by the bucket statement itself, which reads the
     * watermark and both tables in one snapshot, so no sample counts twice.
     */
    private static final String FIRST_NOT_ROLLED_UP = "SELECT ts FROM samples"
            + " WHERE seq > (SELECT last_seq FROM rollup_state WHERE id = 1) ORDER BY seq LIMIT 1";

    /** How far before the first sample not summarised another one may have arrived. */
    private static final long DISORDER_MS = 10 * MINUTE;

    // Bucket parts: each row is (bucket, n, n_num, lo, hi, total, worst, last_seq), so raw samples
    // and minute summaries combine in one GROUP BY.
    private static final String RAW_PART = "SELECT (ts - ?) / ? AS bucket, 1 AS n,"
            + " CASE WHEN num_value IS NULL THEN 0 ELSE 1 END AS n_num, num_value AS lo, num_value AS hi,"
            + " num_value AS total, quality AS worst, seq AS last_seq"
            + " FROM samples WHERE zone = ? AND tag = ? AND ts >= ? AND ts < ?";
    private static final String NOT_ROLLED_UP = " AND seq > (SELECT last_seq FROM rollup_state WHERE id = 1)";
    private static final String MINUTES_PART = "SELECT (ts - ?) / ? AS bucket, n, n_num, lo, hi,"
            + " total, worst, last_seq FROM samples_1m WHERE zone = ? AND tag = ? AND ts >= ? AND ts < ?";

    /** See {@link org.brewpi.api.history.Historian#history}. */
    List<HistoryPoint> history(String zone, String tag, long from, long to, int maxPoints) throws SQLException {
        long start = Math.max(from, 0);
        if (to < start) {
            return List.of();
        }
        try (Connection c = connectToExisting()) {
            List<HistoryPoint> raw = raw(c, zone, tag, start, to, maxPoints + 1);
            if (raw.size() <= maxPoints) {
                return raw;
            }
            // Bucket only the span that holds data, so a wide window over recent data keeps its detail.
            long first = raw.get(0).time();
            long last = lastTime(c, zone, tag, start, to);
            long width = (last - first) / maxPoints + 1; // then (last - first) / width < maxPoints
            if (width < MINUTE) {
                return buckets(c, first, width, List.of(rawPart(zone, tag, first, width, first, last + 1, false)));
            }
            return bucketsFromMinutes(c, zone, tag, first, last, maxPoints);
        }
    }

    /**
     * Buckets of whole minutes: complete minutes come from {@code samples_1m}; the partial minutes
     * at both ends, and samples not summarised yet, from {@code samples}. The parts never overlap.
     */
    private static List<HistoryPoint> bucketsFromMinutes(Connection c, String zone, String tag, long first, long last,
            int maxPoints) throws SQLException {
        long origin = Math.floorDiv(first, MINUTE) * MINUTE;
        long width = ceilToMinute((last - origin) / maxPoints + 1);
        long fullFrom = Math.floorDiv(first + MINUTE - 1, MINUTE); // first minute starting at or after first
        long fullTo = Math.floorDiv(last + 1, MINUTE); // minutes before this one end by last
        if (fullTo <= fullFrom) {
            return buckets(c, origin, width, List.of(rawPart(zone, tag, origin, width, first, last + 1, false)));
        }
        long fullStart = fullFrom * MINUTE;
        long fullEnd = fullTo * MINUTE;
        List<Part> parts = new ArrayList<>();
        parts.add(rawPart(zone, tag, origin, width, first, fullStart, false));
        parts.add(new Part(MINUTES_PART, List.of(origin, width, zone, tag, fullStart, fullEnd)));
        Long pending = firstNotRolledUp(c);
        if (pending != null && pending - DISORDER_MS < fullEnd) {
            parts.add(rawPart(zone, tag, origin, width, Math.max(fullStart, pending - DISORDER_MS), fullEnd, true));
        }
        parts.add(rawPart(zone, tag, origin, width, fullEnd, last + 1, false));
        return buckets(c, origin, width, parts);
    }

    /** One SELECT of a bucket query and its parameters. */
    private record Part(String sql, List<Object> params) {
    }

    private static Part rawPart(String zone, String tag, long origin, long width, long fromIncl, long toExcl,
            boolean notRolledUpOnly) {
        return new Part(notRolledUpOnly ? RAW_PART + NOT_ROLLED_UP : RAW_PART,
                List.of(origin, width, zone, tag, fromIncl, toExcl));
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
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
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

    private static Long firstNotRolledUp(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(FIRST_NOT_ROLLED_UP)) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static long ceilToMinute(long ms) {
        return Math.floorDiv(ms + MINUTE - 1, MINUTE) * MINUTE;
    }

    private static List<HistoryPoint> raw(Connection c, String zone, String tag, long from, long to, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(RAW)) {
            ps.setString(1, zone);
            ps.setString(2, tag);
            ps.setLong(3, from);
            ps.setLong(4, to);
            ps.setInt(5, limit);
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
            ps.setString(1, zone);
            ps.setString(2, tag);
            ps.setLong(3, from);
            ps.setLong(4, to);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : from;
            }
        }
    }

    /** See {@link org.brewpi.api.history.Historian#events}; a {@code null} zone means every zone. */
    List<ZoneEvent> events(String zone, long from, long to, int limit) throws SQLException {
        // newest first, in index order (see RAW), then turned round
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
    private Connection connectToExisting() throws SQLException {
        Connection c = connect(url + ";IFEXISTS=TRUE");
        c.setReadOnly(true);
        return c;
    }

    /** Through H2's driver directly: DriverManager's class-loader lookup does not work inside OSGi. */
    private static Connection connect(String url) throws SQLException {
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
