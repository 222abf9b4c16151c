package org.brewpi.historian;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.brewpi.api.history.StreamBacklog;

/**
 * The history file's record streams as the sync service reads them: rows past a seq, the durable
 * watermark per stream (table {@code sync_watermarks}, in the same file as the rows) and the backlog.
 * Each call opens a short-lived connection to the file {@link HistoryStore} keeps open.
 */
final class StreamStore {

    private final HistoryStore store;

    StreamStore(HistoryStore store) {
        this.store = store;
    }

    /**
     * Up to {@code maxRows} rows of the stream past {@code afterSeq} and no further than {@code durableSeq},
     * in seq order: a row committed but not yet on disk could vanish with a power cut after it was shipped.
     */
    List<Object[]> rowsAfter(Stream stream, long afterSeq, long durableSeq, int maxRows) throws SQLException {
        String sql = "SELECT " + String.join(", ", stream.columns) + " FROM " + stream.table
                + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?";
        try (Connection c = store.connectToExisting(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, afterSeq);
            ps.setLong(2, durableSeq);
            ps.setInt(3, maxRows);
            int n = stream.columns.size();
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

    /** JDBC may hand back wider or driver-specific types; the stream contract names a few plain ones. */
    private static Object plain(Object value) {
        if (value instanceof Byte b) {
            return b.shortValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }

    /** The stream's watermark, 0 when nothing was ever synced. */
    long syncedSeq(Stream stream) throws SQLException {
        try (Connection c = store.connectToExisting();
                PreparedStatement ps = c.prepareStatement("SELECT synced_seq FROM sync_watermarks WHERE stream = ?")) {
            ps.setString(1, stream.table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Moves the watermark forward (never back) and commits it. */
    void markSynced(Stream stream, long seq) throws SQLException {
        try (Connection c = HistoryStore.connect(store.url + ";IFEXISTS=TRUE");
                PreparedStatement ps = c.prepareStatement("MERGE INTO sync_watermarks t USING (VALUES (?, ?, ?))"
                        + " AS s (stream, synced_seq, updated_at) ON t.stream = s.stream"
                        + " WHEN MATCHED AND t.synced_seq < s.synced_seq THEN"
                        + " UPDATE SET synced_seq = s.synced_seq, updated_at = s.updated_at"
                        + " WHEN NOT MATCHED THEN INSERT VALUES (s.stream, s.synced_seq, s.updated_at)")) {
            ps.setString(1, stream.table);
            ps.setLong(2, seq);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate(); // auto-commit
        }
    }

    /** Local rows, watermark, rows past it and the time of the first of them. */
    StreamBacklog backlog(Stream stream) throws SQLException {
        try (Connection c = store.connectToExisting()) {
            long synced;
            try (PreparedStatement ps = c.prepareStatement("SELECT synced_seq FROM sync_watermarks WHERE stream = ?")) {
                ps.setString(1, stream.table);
                try (ResultSet rs = ps.executeQuery()) {
                    synced = rs.next() ? rs.getLong(1) : 0;
                }
            }
            long local;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + stream.table)) {
                rs.next();
                local = rs.getLong(1);
            }
            long waiting;
            Long oldest = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM " + stream.table + " WHERE seq > ?")) {
                ps.setLong(1, synced);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    waiting = rs.getLong(1);
                }
            }
            if (waiting > 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT ts FROM " + stream.table + " WHERE seq > ? ORDER BY seq LIMIT 1")) {
                    ps.setLong(1, synced);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            oldest = rs.getLong(1);
                        }
                    }
                }
            }
            return new StreamBacklog(stream.table, local, synced, waiting, oldest);
        }
    }
}
