package org.brewpi.alarms;

import java.io.IOException;
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

import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.alarm.AlarmTransition;
import org.brewpi.api.history.StreamBacklog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm journal in its own H2 file ({@code <data.dir>/alarms/alarms.mv.db}): every transition, and the
 * watermark of the sync service, which reads it as the stream {@value #STREAM}.
 * <p>
 * One connection, every method synchronized: the engine thread and the people acting on alarms write
 * single transitions, the sync thread reads now and then.
 */
final class JournalStore implements AutoCloseable {

    static final String STREAM = "alarm_journal";
    static final List<String> COLUMNS = List.of("seq", "ts", "alarm", "transition", "from_state", "to_state", "actor",
            "reason", "value");
    static final String DB_NAME = "alarms";

    private static final Logger LOG = LoggerFactory.getLogger(JournalStore.class);
    private static final String SELECT = "SELECT seq, ts, alarm, transition, from_state, to_state, actor, reason,"
            + " \"VALUE\" FROM alarm_journal";

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insert;
    private final String setAside;
    private long lastSeq;
    /** Every row up to this seq is on the device (not only handed to the OS). */
    private long onDevice;
    private final Statement checkpoint;

    /**
     * Opens (creating or migrating) the journal. A file H2 cannot open is moved aside, kept under a name
     * with the time, and a new one started: alarms must go on being recorded.
     */
    JournalStore(Path directory) throws SQLException, IOException {
        Files.createDirectories(directory);
        this.file = directory.resolve(DB_NAME + ".mv.db");
        Connection c;
        String aside = null;
        try {
            c = open(directory);
        } catch (SQLException e) {
            if (!Files.exists(file)) {
                throw e;
            }
            Path moved = directory.resolve(DB_NAME + ".damaged-" + System.currentTimeMillis() + ".mv.db");
            Files.move(file, moved);
            aside = moved.toString();
            LOG.error("Alarm journal {} cannot be opened ({}): moved aside to {}, a new journal is started", file,
                    e.getMessage(), moved);
            c = open(directory);
        }
        this.connection = c;
        this.setAside = aside;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM alarm_journal")) {
            rs.next();
            lastSeq = rs.getLong(1);
        }
        checkpoint = connection.createStatement();
        onDevice = lastSeq; // what a start finds was written before
        insert = connection.prepareStatement("INSERT INTO alarm_journal (seq, ts, alarm, transition, from_state,"
                + " to_state, actor, reason, \"VALUE\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    private static Connection open(Path directory) throws SQLException {
        // org.h2.Driver directly: DriverManager's class-loader lookup does not work inside OSGi.
        Connection c = new org.h2.Driver().connect(
                "jdbc:h2:file:" + directory.resolve(DB_NAME) + ";DB_CLOSE_ON_EXIT=FALSE", new Properties());
        if (c == null) {
            throw new SQLException("H2 refused the URL");
        }
        try {
            Migrations.apply(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    Path file() {
        return file;
    }

    /** Where a damaged file was moved at start-up, or {@code null}. */
    String setAside() {
        return setAside;
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    /** Appends transitions in one transaction; they must continue the seq of the journal. */
    synchronized void append(List<AlarmTransition> transitions) throws SQLException {
        if (transitions.isEmpty()) {
            return;
        }
        connection.setAutoCommit(false);
        try {
            long seq = lastSeq;
            for (AlarmTransition t : transitions) {
                if (t.seq() <= seq) {
                    throw new SQLException("journal seq " + t.seq() + " does not follow " + seq);
                }
                seq = t.seq();
                insert.setLong(1, t.seq());
                insert.setLong(2, t.time());
                insert.setString(3, clip(t.alarm(), 128));
                insert.setString(4, clip(t.transition(), 32));
                insert.setString(5, t.from().name());
                insert.setString(6, t.to().name());
                insert.setString(7, clip(t.actor(), 128));
                insert.setString(8, clip(t.reason(), 1024));
                insert.setString(9, clip(t.value(), 256));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
            lastSeq = seq;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        try {
            // H2 keeps a commit in memory for up to a second: written out now, it survives the process being killed
            checkpoint.execute("CHECKPOINT");
        } catch (SQLException e) {
            LOG.warn("Alarm journal committed but not yet written out (H2 does within a second): {}", e.getMessage());
        }
    }

    /** The newest {@code limit} transitions, oldest first. */
    synchronized List<AlarmTransition> newest(int limit) throws SQLException {
        List<AlarmTransition> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SELECT + " ORDER BY seq DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlarmTransition(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            AlarmState.valueOf(rs.getString(5)), AlarmState.valueOf(rs.getString(6)), rs.getString(7),
                            rs.getString(8), rs.getString(9)));
                }
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

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
     * Rows past {@code afterSeq}, at most {@code maxRows}, only of what is on disk: the file is synced to the
     * device first, so a row shipped to the central database cannot vanish here with a power cut and its
     * seq be given to another transition.
     */
    synchronized List<Object[]> rowsAfter(long afterSeq, int maxRows) throws SQLException {
        long durable = syncToDevice();
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SELECT + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setLong(2, durable);
            ps.setInt(3, maxRows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] { rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9) });
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
            ps.executeUpdate();
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
        long local = count("SELECT COUNT(*) FROM alarm_journal", null);
        long waiting = count("SELECT COUNT(*) FROM alarm_journal WHERE seq > ?", synced);
        Long oldest = null;
        if (waiting > 0) {
            try (PreparedStatement ps = connection
                    .prepareStatement("SELECT ts FROM alarm_journal WHERE seq > ? ORDER BY seq LIMIT 1")) {
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

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }

    /** For tests that look at the file as it is. */
    Connection connection() {
        return connection;
    }

    @Override
    public synchronized void close() throws SQLException {
        insert.close();
        checkpoint.close();
        connection.close();
    }
}
