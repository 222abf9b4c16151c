package org.brewpi.historian;

import static org.brewpi.historian.HistoryStore.decode;
import static org.brewpi.historian.HistoryStore.qualityName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.brewpi.api.history.HistoryPoint;
import org.brewpi.api.zone.ZoneEvent;

/**
 * History and event queries on short-lived read connections to the file {@link HistoryStore} keeps open.
 * A history query holds the store's index lock for reading (see {@link HistoryStore#indexLock()}).
 */
final class HistoryQueries {

    private final HistoryStore store;

    HistoryQueries(HistoryStore store) {
        this.store = store;
    }

    static final long MINUTE = 60_000;

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
        store.indexLock().readLock().lock();
        try (Connection c = store.connectToExisting()) {
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
            store.indexLock().readLock().unlock();
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
        try (Connection c = store.connectToExisting(); PreparedStatement ps = c.prepareStatement(sql)) {
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

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double d = rs.getDouble(column);
        return rs.wasNull() ? null : d;
    }
}
