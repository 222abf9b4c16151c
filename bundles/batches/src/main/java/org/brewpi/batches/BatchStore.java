package org.brewpi.batches;

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
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.brewpi.api.history.StreamBacklog;
import org.brewpi.h2store.DeviceSync;
import org.brewpi.h2store.H2Schema;
import org.brewpi.h2store.StreamTable;
import org.brewpi.h2store.SyncedStreams;

/**
 * The batch store in its own H2 file ({@code <data.dir>/batches/batches.mv.db}): the append-only journal `batches` (also the
 * sync stream {@value #STREAM}), recipe approvals and the batches' current state, each change in one transaction
 * written to the device before it returns. The only class that knows the file: a shared H2 helper can take its
 * place without the rest noticing. Schema, stream and device sync come from org.brewpi.h2store (copied into this
 * bundle). One connection, every method synchronized (people act a few times an hour).
 */
final class BatchStore implements SyncedStreams.Store, AutoCloseable {

    static final String STREAM = "batches";
    static final String DB_NAME = "batches";
    static final List<String> COLUMNS = List.of("seq", "ts", "kind", "subject", "recipe", "recipe_version",
            "recipe_sha256", "event", "from_state", "to_state", "actor", "printed_name", "role", "entry_point", "reason",
            "meaning", "signed_ts", "audit_seq", "detail");
    /** The journal: the table and the stream the sync ships. */
    static final StreamTable TABLE = new StreamTable(STREAM, COLUMNS);
    /** In version order, next to this class in {@code migrations/}; never edit one that has shipped. */
    static final List<String> MIGRATIONS = List.of("V1__batches.sql");

    /** One journal row; {@code seq} and {@code ts} are set by {@link #append}. */
    record Row(long seq, long ts, String kind, String subject, String recipe, int recipeVersion, String recipeSha256,
            String event, String fromState, String toState, String actor, String printedName, String role,
            String entryPoint, String reason, String meaning, Long signedTs, Long auditSeq, String detail) {

        Row at(long newSeq, long newTs) {
            return new Row(newSeq, newTs, kind, subject, recipe, recipeVersion, recipeSha256, event, fromState, toState,
                    actor, printedName, role, entryPoint, reason, meaning, signedTs, auditSeq, detail);
        }
    }

    /** A batch's current state. */
    record BatchRow(String lot, String recipe, String recipeContent, long approvalSeq, String state, long startedAt,
            long endedAt, List<String> zones) {
    }

    /** What else the transaction of a journal row writes. */
    interface Change {
        void apply(Connection c, long seq) throws SQLException;
    }

    private static final String SELECT = "SELECT " + String.join(", ", COLUMNS) + " FROM batches";

    private final Path file;
    private final Connection connection;
    private final DeviceSync device;

    BatchStore(Path directory) throws SQLException, IOException {
        Files.createDirectories(directory);
        this.file = directory.resolve(DB_NAME + ".mv.db");
        // org.h2.Driver directly: DriverManager's class-loader lookup does not work inside OSGi.
        Connection c = new org.h2.Driver().connect(
                "jdbc:h2:file:" + directory.resolve(DB_NAME) + ";DB_CLOSE_ON_EXIT=FALSE", new Properties());
        if (c == null) {
            throw new SQLException("H2 refused the URL");
        }
        try {
            H2Schema.migrate(c, "batch store", BatchStore.class, MIGRATIONS);
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM batches")) {
                rs.next();
                this.device = new DeviceSync(c, rs.getLong(1));
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        this.connection = c;
    }

    Path file() {
        return file;
    }

    /**
     * Appends the row and applies the change in one transaction, then forces the file to the device.
     *
     * @return the row as stored
     * @throws SQLException nothing was written
     */
    synchronized Row append(Row row, long now, Change change) throws SQLException {
        long seq = device.committedSeq() + 1;
        Row stored = row.at(seq, now);
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO batches ("
                    + String.join(", ", COLUMNS) + ") VALUES (" + "?, ".repeat(COLUMNS.size() - 1) + "?)")) {
                Object[] values = values(stored);
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == null) {
                        ps.setNull(i + 1, Types.VARCHAR);
                    } else {
                        ps.setObject(i + 1, values[i]);
                    }
                }
                ps.executeUpdate();
            }
            if (change != null) {
                change.apply(connection, seq);
            }
            connection.commit();
            device.committed(seq);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        // H2 keeps a commit in memory for up to a second; a signed act must survive a power cut before it is answered
        device.syncToDevice();
        return stored;
    }

    private static Object[] values(Row r) {
        return new Object[] { r.seq(), r.ts(), r.kind(), r.subject(), r.recipe(), r.recipeVersion(), r.recipeSha256(),
                r.event(), r.fromState(), r.toState(), r.actor(), r.printedName(), r.role(), r.entryPoint(), r.reason(),
                r.meaning(), r.signedTs(), r.auditSeq(), r.detail() };
    }

    // ---- changes that go with a journal row ----

    static Change approve(String recipe, String sha256) {
        return (c, seq) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO recipe_approvals (recipe, sha256, journal_seq) VALUES (?, ?, ?)")) {
                ps.setString(1, recipe);
                ps.setString(2, sha256);
                ps.setLong(3, seq);
                ps.executeUpdate();
            }
        };
    }

    static Change startBatch(String lot, String recipe, String content, long approvalSeq, long startedAt,
            List<String> zones) {
        return (c, seq) -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO lots (lot, recipe, recipe_content,"
                    + " approval_seq, state, started_at, ended_at, zones) VALUES (?, ?, ?, ?, 'RUNNING', ?, 0, ?)")) {
                ps.setString(1, lot);
                ps.setString(2, recipe);
                ps.setString(3, content);
                ps.setLong(4, approvalSeq);
                ps.setLong(5, startedAt);
                ps.setString(6, String.join(",", zones));
                ps.executeUpdate();
            }
        };
    }

    /** Moves a batch from one state to another; refuses (rolls back) when it is no longer in {@code from}. */
    static Change moveBatch(String lot, String from, String to, Long endedAt) {
        return (c, seq) -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE lots SET state = ?, ended_at = COALESCE(?, ended_at)"
                    + " WHERE lot = ? AND state = ?")) {
                ps.setString(1, to);
                if (endedAt == null) {
                    ps.setNull(2, Types.BIGINT);
                } else {
                    ps.setLong(2, endedAt);
                }
                ps.setString(3, lot);
                ps.setString(4, from);
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("batch " + lot + " is no longer " + from);
                }
            }
        };
    }

    // ---- reading ----

    /** The journal row of the approval of exactly this content, if any. */
    synchronized Optional<Row> approval(String recipe, String sha256) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SELECT
                + " WHERE seq = (SELECT journal_seq FROM recipe_approvals WHERE recipe = ? AND sha256 = ?)")) {
            ps.setString(1, recipe);
            ps.setString(2, sha256);
            List<Row> rows = rows(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    synchronized Optional<Row> row(long seq) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SELECT + " WHERE seq = ?")) {
            ps.setLong(1, seq);
            List<Row> rows = rows(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    synchronized Optional<BatchRow> batch(String lot) throws SQLException {
        List<BatchRow> found = batches("WHERE lot = ?", lot, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Newest first. */
    synchronized List<BatchRow> batches(int limit) throws SQLException {
        return batches("", null, limit);
    }

    /** Batches RUNNING or HELD. */
    synchronized List<BatchRow> activeBatches() throws SQLException {
        return batches("WHERE state IN ('RUNNING', 'HELD')", null, 10_000);
    }

    /** Whether a lot number is taken. */
    synchronized boolean lotExists(String lot) throws SQLException {
        return batch(lot).isPresent();
    }

    private List<BatchRow> batches(String where, String param, int limit) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT lot, recipe, recipe_content, approval_seq, state,"
                + " started_at, ended_at, zones FROM lots " + where + " ORDER BY started_at DESC, lot DESC LIMIT ?")) {
            int i = 1;
            if (param != null) {
                ps.setString(i++, param);
            }
            ps.setInt(i, limit);
            List<BatchRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String zones = rs.getString(8);
                    out.add(new BatchRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), rs.getLong(6), rs.getLong(7),
                            zones.isEmpty() ? List.of() : List.of(zones.split(","))));
                }
            }
            return out;
        }
    }

    /** A batch's (or a recipe's) journal rows, oldest first. */
    synchronized List<Row> history(String kind, String subject) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SELECT + " WHERE kind = ? AND subject = ? ORDER BY seq")) {
            ps.setString(1, kind);
            ps.setString(2, subject);
            return rows(ps);
        }
    }

    private static List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                        rs.getString(16), nullableLong(rs, 17), nullableLong(rs, 18), rs.getString(19)));
            }
        }
        return out;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    // ---- the sync stream: every committed row is on the device already (see append) ----

    /** Journal rows past {@code afterSeq}, as the sync ships them (tests read them the same way). */
    synchronized List<Object[]> rowsAfter(long afterSeq, int maxRows) throws SQLException {
        return rowsAfter(TABLE, afterSeq, maxRows);
    }

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

    /** For tests that look at the file as it is. */
    Connection connection() {
        return connection;
    }

    @Override
    public synchronized void close() throws SQLException {
        device.close();
        connection.close();
    }
}
