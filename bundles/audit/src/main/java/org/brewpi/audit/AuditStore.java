package org.brewpi.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditVerification;
import org.brewpi.api.history.StreamBacklog;

/**
 * The audit table in its own H2 file. Entries are written one transaction each, before the action they
 * record goes on: an audit record is never queued, batched or dropped, for space or any other reason.
 * The schema comes from versioned migrations ({@link Migrations}); the same file keeps the sync
 * service's watermark for the stream {@value #STREAM}.
 */
final class AuditStore implements AutoCloseable {

    static final String DB_NAME = "audit";
    private static final int TEXT_MAX = 1024;

    private final Connection connection;
    private final PreparedStatement insert;
    private long lastSeq;
    /** Every row up to this seq is on the device (not only handed to the OS). */
    private long onDevice;
    private final Statement checkpoint;
    private String lastHash;

    AuditStore(Path directory) throws SQLException, java.io.IOException {
        Files.createDirectories(directory);
        // org.h2.Driver directly: DriverManager's class-loader lookup does not work inside OSGi.
        connection = new org.h2.Driver().connect("jdbc:h2:file:" + directory.resolve(DB_NAME) + ";DB_CLOSE_ON_EXIT=FALSE",
                new Properties());
        if (connection == null) {
            throw new SQLException("H2 refused the URL");
        }
        Migrations.apply(connection);
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")) {
                if (rs.next()) {
                    lastSeq = rs.getLong(1);
                    lastHash = rs.getString(2);
                } else {
                    lastSeq = 0;
                    lastHash = AuditChain.GENESIS;
                }
            }
        }
        checkpoint = connection.createStatement();
        onDevice = lastSeq; // what a start finds was written before
        insert = connection.prepareStatement("INSERT INTO audit (seq, ts, actor, entry_point, action, target,"
                + " old_value, new_value, reason, signature, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    synchronized AuditEntry append(AuditEntry request, long now) throws SQLException {
        AuditEntry entry = new AuditEntry(lastSeq + 1, Math.max(now, 0), required(request.actor(), "actor", 128),
                required(request.entryPoint(), "entry point", 16), required(request.action(), "action", 64),
                clip(request.target(), 256), clip(request.oldValue(), TEXT_MAX), clip(request.newValue(), TEXT_MAX),
                clip(request.reason(), TEXT_MAX), clip(request.signature(), 256));
        String hash = AuditChain.hash(lastHash, entry);
        insert.setLong(1, entry.seq());
        insert.setLong(2, entry.time());
        insert.setString(3, entry.actor());
        insert.setString(4, entry.entryPoint());
        insert.setString(5, entry.action());
        insert.setString(6, entry.target());
        insert.setString(7, entry.oldValue());
        insert.setString(8, entry.newValue());
        insert.setString(9, entry.reason());
        insert.setString(10, entry.signature());
        insert.setString(11, lastHash);
        insert.setString(12, hash);
        insert.executeUpdate(); // auto-commit
        lastSeq = entry.seq();
        lastHash = hash;
        // H2 keeps a commit in memory for up to a second: written out now, it survives the process being killed
        checkpoint.execute("CHECKPOINT");
        return entry;
    }

    synchronized List<AuditEntry> entries(long afterSeq, long from, long to, String actor, String target, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit WHERE seq > ? AND ts >= ? AND ts <= ?");
        if (actor != null) {
            sql.append(" AND actor = ?");
        }
        if (target != null) {
            sql.append(" AND target LIKE ? ESCAPE '\\'");
        }
        sql.append(" ORDER BY seq LIMIT ?");
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setLong(i++, afterSeq);
            ps.setLong(i++, from);
            ps.setLong(i++, to);
            if (actor != null) {
                ps.setString(i++, actor);
            }
            if (target != null) {
                ps.setString(i++, target.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            }
            ps.setInt(i, limit);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        }
    }

    /** Walks every entry in sequence order; see {@link AuditChain}. */
    synchronized AuditVerification verify() throws SQLException {
        long expectedSeq = 1;
        String previousHash = AuditChain.GENESIS;
        long count = 0;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM audit ORDER BY seq")) {
            while (rs.next()) {
                AuditEntry e = entry(rs);
                if (e.seq() != expectedSeq) {
                    return new AuditVerification(false, count, expectedSeq, "missing");
                }
                if (!rs.getString("prev_hash").equals(previousHash)) {
                    return new AuditVerification(false, count, e.seq(), "reordered");
                }
                String hash = AuditChain.hash(previousHash, e);
                if (!hash.equals(rs.getString("hash"))) {
                    return new AuditVerification(false, count, e.seq(), "altered");
                }
                previousHash = hash;
                expectedSeq++;
                count++;
            }
        }
        if (count != lastSeq) {
            // Entries this process wrote have gone from the end of the table.
            return new AuditVerification(false, count, count + 1, "missing");
        }
        return new AuditVerification(true, count, null, null);
    }

    // ---- the stream the sync service ships ----

    static final String STREAM = "audit";
    static final List<String> COLUMNS = List.of("seq", "ts", "actor", "entry_point", "action", "target", "old_value",
            "new_value", "reason", "signature", "prev_hash", "hash");

    /**
     * Forces what was written to the device ({@code CHECKPOINT SYNC}) if anything new was: called now and then and
     * before rows are shipped, so a power cut loses at most the last moments and never a row already shipped.
     *
     * @return the seq up to which every row is on the device
     */
    synchronized long syncToDevice() throws SQLException {
        if (lastSeq > onDevice) {
            long upTo = lastSeq;
            checkpoint.execute("CHECKPOINT SYNC");
            onDevice = upTo;
        }
        return onDevice;
    }

    /**
     * Entries past {@code afterSeq}, at most {@code maxRows}, only of what is on disk: the file is synced to
     * the device first, so an entry shipped to the central database cannot vanish here with a power cut and
     * its seq be given to another entry.
     */
    synchronized List<Object[]> rowsAfter(long afterSeq, int maxRows) throws SQLException {
        long durable = syncToDevice();
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + String.join(", ", COLUMNS)
                + " FROM audit WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setLong(2, durable);
            ps.setInt(3, maxRows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[COLUMNS.size()];
                    row[0] = rs.getLong(1);
                    row[1] = rs.getLong(2);
                    for (int i = 2; i < row.length; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** Moves the watermark forward (never back), committed before it returns. */
    synchronized void markSynced(long seq) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("MERGE INTO sync_watermarks t USING (VALUES (?, ?, ?))"
                + " AS s (stream, synced_seq, updated_at) ON t.stream = s.stream"
                + " WHEN MATCHED AND t.synced_seq < s.synced_seq THEN"
                + " UPDATE SET synced_seq = s.synced_seq, updated_at = s.updated_at"
                + " WHEN NOT MATCHED THEN INSERT VALUES (s.stream, s.synced_seq, s.updated_at)")) {
            ps.setString(1, STREAM);
            ps.setLong(2, seq);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate(); // auto-commit
        }
    }

    synchronized StreamBacklog backlog() throws SQLException {
        long synced = 0;
        try (PreparedStatement ps = connection.prepareStatement("SELECT synced_seq FROM sync_watermarks WHERE stream = ?")) {
            ps.setString(1, STREAM);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    synced = rs.getLong(1);
                }
            }
        }
        // three index lookups, not a scan: the sync and the health ask often, and these tables only grow
        long local = count("SELECT COUNT(*) FROM audit", null);
        long waiting = count("SELECT COUNT(*) FROM audit WHERE seq > ?", synced);
        Long oldest = null;
        if (waiting > 0) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT ts FROM audit WHERE seq > ? ORDER BY seq LIMIT 1")) {
                ps.setLong(1, synced);
                try (ResultSet rs = ps.executeQuery()) {
                    oldest = rs.next() ? rs.getLong(1) : null;
                }
            }
        }
        return new StreamBacklog(STREAM, local, synced, waiting, oldest);
    }

    private long count(String sql, Long afterSeq) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (afterSeq != null) {
                ps.setLong(1, afterSeq);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    synchronized String lastHash() {
        return lastHash;
    }

    /** For tests that tamper with the file as an attacker would. */
    Connection connection() {
        return connection;
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), rs.getLong("ts"), rs.getString("actor"), rs.getString("entry_point"),
                rs.getString("action"), rs.getString("target"), rs.getString("old_value"), rs.getString("new_value"),
                rs.getString("reason"), rs.getString("signature"));
    }

    private static String required(String value, String what, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an audit entry needs its " + what);
        }
        return clip(value, max);
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }

    @Override
    public synchronized void close() throws SQLException {
        insert.close();
        checkpoint.close();
        connection.close();
    }
}
