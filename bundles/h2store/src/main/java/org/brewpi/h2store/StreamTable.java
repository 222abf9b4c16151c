package org.brewpi.h2store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.brewpi.api.history.StreamBacklog;

/**
 * An append-only table read by the sync service as a record stream of the same name: rows ordered by a rising
 * {@code seq} (the first column), each with a {@code ts}, and a watermark in the table {@code sync_watermarks}
 * of the same file (columns {@code stream, synced_seq, updated_at}; every row up to {@code synced_seq} is
 * committed in the central database). Keeping it in the same file as the rows means a power loss can leave it
 * behind the central database (rows sent again, ignored there), never ahead.
 * <p>
 * Holds no connection: each method works on the one it is given, so a store decides how it shares its
 * connections between threads.
 */
public final class StreamTable {

    /** The watermark table; each file that holds streams creates it in a migration. */
    public static final String WATERMARKS = "sync_watermarks";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private final String name;
    private final List<String> columns;
    private final String selectAfter;

    /**
     * @param name the table's name, also the stream's name and its key in {@value #WATERMARKS}
     * @param columns what a sync reads, in order: {@code seq} first, and a {@code ts} among them
     */
    public StreamTable(String name, List<String> columns) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain lower-case table name: " + name);
        }
        for (String column : columns) {
            if (!IDENTIFIER.matcher(column).matches()) {
                throw new IllegalArgumentException("not a plain lower-case column name: " + column);
            }
        }
        if (columns.isEmpty() || !columns.get(0).equals("seq") || !columns.contains("ts")) {
            throw new IllegalArgumentException("a stream's columns start with seq and include ts: " + columns);
        }
        this.name = name;
        this.columns = List.copyOf(columns);
        // quoted, so a column named like a keyword (value) needs no care from the caller
        List<String> quoted = this.columns.stream().map(c -> '"' + c.toUpperCase(Locale.ROOT) + '"').toList();
        this.selectAfter = "SELECT " + String.join(", ", quoted) + " FROM " + name
                + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?";
    }

    public String name() {
        return name;
    }

    public List<String> columns() {
        return columns;
    }

    /**
     * Up to {@code maxRows} rows past {@code afterSeq} and no further than {@code durableSeq}, in seq order, values
     * in column order as {@link org.brewpi.api.history.StreamRows} names them. Pass as {@code durableSeq} the seq
     * up to which rows are on the device: a row committed but not yet there could vanish with a power cut after
     * it was shipped, and its seq be given to another row.
     */
    public List<Object[]> rowsAfter(Connection connection, long afterSeq, long durableSeq, int maxRows)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(selectAfter)) {
            ps.setLong(1, afterSeq);
            ps.setLong(2, durableSeq);
            ps.setInt(3, maxRows);
            int n = columns.size();
            List<Object[]> rows = new ArrayList<>(Math.min(maxRows, 65_536));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = plain(rs.getObject(i + 1));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** JDBC may hand back narrower or driver-specific types; the stream contract names a few plain ones. */
    private static Object plain(Object value) {
        if (value instanceof Byte b) {
            return b.shortValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }

    /** The watermark, 0 when nothing was ever synced. */
    public long syncedSeq(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection
                .prepareStatement("SELECT synced_seq FROM " + WATERMARKS + " WHERE stream = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Moves the watermark forward to {@code seq}, never back (a late, stale call is ignored). Committed before it
     * returns when the connection is in auto-commit, as the stores' are.
     */
    public void markSynced(Connection connection, long seq) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("MERGE INTO " + WATERMARKS
                + " t USING (VALUES (?, ?, ?)) AS s (stream, synced_seq, updated_at) ON t.stream = s.stream"
                + " WHEN MATCHED AND t.synced_seq < s.synced_seq THEN"
                + " UPDATE SET synced_seq = s.synced_seq, updated_at = s.updated_at"
                + " WHEN NOT MATCHED THEN INSERT VALUES (s.stream, s.synced_seq, s.updated_at)")) {
            ps.setString(1, name);
            ps.setLong(2, seq);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    /** Rows held, the watermark, rows past it and the time of the first of them. */
    public StreamBacklog backlog(Connection connection) throws SQLException {
        long synced = syncedSeq(connection);
        // index lookups on seq, not scans past the count: the sync and the health ask often, and these tables grow
        long local;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + name)) {
            rs.next();
            local = rs.getLong(1);
        }
        long waiting;
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM " + name + " WHERE seq > ?")) {
            ps.setLong(1, synced);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                waiting = rs.getLong(1);
            }
        }
        Long oldest = null;
        if (waiting > 0) {
            try (PreparedStatement ps = connection
                    .prepareStatement("SELECT ts FROM " + name + " WHERE seq > ? ORDER BY seq LIMIT 1")) {
                ps.setLong(1, synced);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        oldest = rs.getLong(1);
                    }
                }
            }
        }
        return new StreamBacklog(name, local, synced, waiting, oldest);
    }

    @Override
    public String toString() {
        return "stream " + name;
    }
}
