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
import org.brewpi.h2store.DeviceSync;
import org.brewpi.h2store.H2Schema;
import org.brewpi.h2store.StreamTable;
import org.brewpi.h2store.SyncedStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm journal in its own H2 file ({@code <data.dir>/alarms/alarms.mv.db}): every transition, and the
 * watermark of the sync service, which reads it as the stream {@code alarm_journal} ({@link #TABLE}).
 * <p>
 * One connection, every method synchronized: the engine thread and the people acting on alarms write
 * single transitions, the sync thread reads now and then.
 */
final class JournalStore implements SyncedStreams.Store, AutoCloseable {

    static final StreamTable TABLE = new StreamTable("alarm_journal", List.of("seq", "ts", "alarm", "transition",
            "from_state", "to_state", "actor", "reason", "value"));
    /** In version order, next to this class in {@code migrations/}; never edit one that has shipped. */
    static final List<String> MIGRATIONS = List.of("V1__alarm_journal.sql");
    static final String DB_NAME = "alarms";

    private static final Logger LOG = LoggerFactory.getLogger(JournalStore.class);
    private static final String SELECT = "SELECT seq, ts, alarm, transition, from_state, to_state, actor, reason,"
            + " \"VALUE\" FROM alarm_journal";

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insert;
    private final String setAside;
    private final DeviceSync device;

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
            device = new DeviceSync(connection, rs.getLong(1));
        }
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
            H2Schema.migrate(c, "alarm journal", JournalStore.class, MIGRATIONS);
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
        return device.committedSeq();
    }

    /** Appends transitions in one transaction; they must continue the seq of the journal. */
    synchronized void append(List<AlarmTransition> transitions) throws SQLException {
        if (transitions.isEmpty()) {
            return;
        }
        connection.setAutoCommit(false);
        try {
            long seq = device.committedSeq();
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
            device.committed(seq);
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        try {
            // H2 keeps a commit in memory for up to a second: written out now, it survives the process being killed
            device.writeOut();
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
     * Forces what was written to the device ({@code CHECKPOINT SYNC}) if anything new was: called every tick and
     * before rows are shipped, so a power cut loses at most the last moments and never a row already shipped.
     *
     * @return the seq up to which every row is on the device
     */
    synchronized long syncToDevice() throws SQLException {
        return device.syncToDevice();
    }

    // ---- the stream the sync service ships: only rows already on the device, so one shipped to the central
    // database cannot vanish here with a power cut and its seq be given to another transition ----

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
        device.close();
        connection.close();
    }
}
