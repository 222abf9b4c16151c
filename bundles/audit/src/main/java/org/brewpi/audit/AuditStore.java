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

/**
 * The audit table in its own H2 file. Entries are written one transaction each, before the action they
 * record goes on: an audit record is never queued, batched or dropped.
 */
final class AuditStore implements AutoCloseable {

    static final String DB_NAME = "audit";
    private static final int TEXT_MAX = 1024;

    private final Connection connection;
    private final PreparedStatement insert;
    private long lastSeq;
    private String lastHash;

    AuditStore(Path directory) throws SQLException, java.io.IOException {
        Files.createDirectories(directory);
        // org.h2.Driver directly: DriverManager's class-loader lookup does not work inside OSGi.
        connection = new org.h2.Driver().connect("jdbc:h2:file:" + directory.resolve(DB_NAME) + ";DB_CLOSE_ON_EXIT=FALSE",
                new Properties());
        if (connection == null) {
            throw new SQLException("H2 refused the URL");
        }
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS audit ("
                    + " seq BIGINT PRIMARY KEY, ts BIGINT NOT NULL, actor VARCHAR(128) NOT NULL,"
                    + " entry_point VARCHAR(16) NOT NULL, action VARCHAR(64) NOT NULL, target VARCHAR(256),"
                    + " old_value VARCHAR(1024), new_value VARCHAR(1024), reason VARCHAR(1024), signature VARCHAR(256),"
                    + " prev_hash CHAR(64) NOT NULL, hash CHAR(64) NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS audit_ts ON audit (ts)");
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
        insert.executeUpdate(); // auto-commit: durable before we return
        lastSeq = entry.seq();
        lastHash = hash;
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
        connection.close();
    }
}
