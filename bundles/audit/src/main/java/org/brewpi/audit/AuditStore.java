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
import org.brewpi.h2store.DeviceSync;
import org.brewpi.h2store.H2Schema;
import org.brewpi.h2store.StreamTable;
import org.brewpi.h2store.SyncedStreams;

/**
 * The audit table in its own H2 file. Entries are written one transaction each, before the action they
 * record goes on: an audit record is never queued, batched or dropped, for space or any other reason.
 * The schema comes from versioned migrations ({@link #MIGRATIONS}); the same file keeps the sync
 * service's watermark for the stream {@code audit}.
 */
final class AuditStore implements SyncedStreams.Store, AutoCloseable {

    static final String DB_NAME = "audit";
    /** In version order, next to this class in {@code migrations/}; never edit one that has shipped. */
    static final List<String> MIGRATIONS = List.of("V1__audit_table.sql", "V2__sync_watermarks.sql");
    private static final int TEXT_MAX = 1024;

    private final Connection connection;
    private final PreparedStatement insert;
    private final DeviceSync device;
    private String lastHash;

    AuditStore(Path directory) throws SQLException, java.io.IOException {
        Files.createDirectories(directory);
        // org.h2.Driver directly: DriverManager's class-loader lookup does not work inside OSGi.
        connection = new org.h2.Driver().connect("jdbc:h2:file:" + directory.resolve(DB_NAME) + ";DB_CLOSE_ON_EXIT=FALSE",
                new Properties());
        if (connection == null) {
            throw new SQLException("H2 refused the URL");
        }
        H2Schema.migrate(connection, "audit trail", AuditStore.class, MIGRATIONS);
        long lastSeq;
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
        device = new DeviceSync(connection, lastSeq);
        insert = connection.prepareStatement("INSERT INTO audit (seq, ts, actor, entry_point, action, target,"
                + " old_value, new_value, reason, signature, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    synchronized AuditEntry append(AuditEntry request, long now) throws SQLException {
        AuditEntry entry = new AuditEntry(device.committedSeq() + 1, Math.max(now, 0), required(request.actor(), "actor", 128),
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
        device.committed(entry.seq());
        lastHash = hash;
        // H2 keeps a commit in memory for up to a second: written out now, it survives the process being killed
        device.writeOut();
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
        if (count != device.committedSeq()) {
            // Entries this process wrote have gone from the end of the table.
            return new AuditVerification(false, count, count + 1, "missing");
        }
        return new AuditVerification(true, count, null, null);
    }

    // ---- the stream the sync service ships ----

    static final StreamTable TABLE = new StreamTable("audit", List.of("seq", "ts", "actor", "entry_point", "action",
            "target", "old_value", "new_value", "reason", "signature", "prev_hash", "hash"));

    /**
     * Forces what was written to the device ({@code CHECKPOINT SYNC}) if anything new was: called now and then and
     * before rows are shipped, so a power cut loses at most the last moments and never a row already shipped.
     *
     * @return the seq up to which every row is on the device
     */
    synchronized long syncToDevice() throws SQLException {
        return device.syncToDevice();
    }

    /**
     * Entries past {@code afterSeq}, at most {@code maxRows}, only of what is on disk: the file is synced to
     * the device first, so an entry shipped to the central database cannot vanish here with a power cut and
     * its seq be given to another entry.
     */
    @Override
    public synchronized List<Object[]> rowsAfter(StreamTable table, long afterSeq, int maxRows) throws SQLException {
        return table.rowsAfter(connection, afterSeq, device.syncToDevice(), maxRows);
    }

    @Override
    public synchronized void markSynced(StreamTable table, long seq) throws SQLException {
        table.markSynced(connection, seq); // auto-commit
    }

    @Override
    public synchronized StreamBacklog backlog(StreamTable table) throws SQLException {
        return table.backlog(connection);
    }

    synchronized long lastSeq() {
        return device.committedSeq();
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
        device.close();
        connection.close();
    }
}
