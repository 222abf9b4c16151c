package org.brewpi.historian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.brewpi.api.zone.Quality;
import org.brewpi.h2store.H2Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 file: opening and migrating it, setting a damaged one aside, its connections and how values are
 * encoded in it. Holds no thread of its own: {@link BatchWriter} owns the one {@link WriteSession},
 * {@link HistoryQueries} and {@link StreamStore} open short-lived read connections.
 */
final class HistoryStore {

    /** Column limits of the V1 schema; longer identifiers are rejected, longer free text is cut. */
    static final int ZONE_MAX = 64;
    static final int TAG_MAX = 128;
    static final int TEXT_MAX = 4096;
    static final int KIND_MAX = 32;
    static final int CODE_MAX = 64;
    static final int REASON_MAX = 256;

    /** In version order, next to this class in {@code migrations/}; never edit one that has shipped. */
    static final List<String> MIGRATIONS = List.of("V1__history_tables.sql", "V2__sync_watermarks.sql");

    private static final String DB_NAME = "history";
    /** H2's error codes (org.h2.api.ErrorCode) for a damaged file and for an unreadable one. */
    private static final int FILE_CORRUPTED = 90030;
    private static final int IO_EXCEPTION = 90028;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);

    private final Path directory;
    final String url;
    /**
     * A query reads the tag index, the minute summaries and the samples past the watermark, and
     * H2 does not give all of that one snapshot (measured: samples counted twice or not at all
     * while an index slice committed). Queries hold this for reading; an index slice holds it
     * for writing, and only tries for it briefly, so the writer thread never waits on a query.
     */
    private final ReadWriteLock indexLock = new ReentrantReadWriteLock(true);
    /** Only the first open, at start-up, may set a damaged file aside. */
    private boolean openedBefore;
    private volatile SetAside setAside;

    HistoryStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook must not close the file before the
        // component has flushed its queue; the component closes it.
        this.url = "jdbc:h2:file:" + this.directory.resolve(DB_NAME) + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Brings the file's schema up to date; returns the version now in force. */
    static int migrate(Connection connection) throws SQLException {
        return H2Schema.migrate(connection, "history", HistoryStore.class, MIGRATIONS);
    }

    /** See the field; {@link HistoryQueries} holds it for reading, {@link WriteSession} for writing. */
    ReadWriteLock indexLock() {
        return indexLock;
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
        boolean startUp = !openedBefore;
        openedBefore = true;
        try {
            return openAndMigrate(false);
        } catch (SQLException e) {
            if (!startUp || !damaged(e)) {
                throw e;
            }
            moveAside(e);
            return openAndMigrate(true);
        }
    }

    private WriteSession openAndMigrate(boolean replacement) throws SQLException {
        Connection connection = connect(url);
        try {
            int version = migrate(connection);
            if (replacement) {
                startSeqsAfterTheOldFile(connection);
            }
            return new WriteSession(connection, version, indexLock);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * H2 says the file is corrupted, or cannot read a file that is there and that we may read and
     * write (so not a permission or missing-disk problem). A file in use by another process, or a
     * schema newer than this historian, is never "damaged": those files are left alone.
     */
    private boolean damaged(SQLException e) {
        Path f = file();
        if (!Files.isRegularFile(f)) {
            return false;
        }
        return e.getErrorCode() == FILE_CORRUPTED || (e.getErrorCode() == IO_EXCEPTION && Files.isReadable(f)
                && Files.isWritable(f) && Files.isWritable(directory));
    }

    /** Moves the damaged file aside, keeping it for a recovery attempt, under a name with the time. */
    private void moveAside(SQLException cause) throws SQLException {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path target = directory.resolve(DB_NAME + ".corrupt-" + stamp + ".mv.db");
        try {
            Files.move(file(), target);
        } catch (IOException e) {
            throw new SQLException("history file " + file() + " is damaged (" + firstLine(cause)
                    + ") and could not be moved aside: " + e, cause);
        }
        String reason = firstLine(cause);
        setAside = new SetAside(target, reason, System.currentTimeMillis());
        LOG.error("HISTORY FILE DAMAGED: {} could not be opened ({}); moved aside to {} and a new, empty history"
                + " started. Rows not yet synced to the central database are only in the moved file.", file(),
                reason, target);
    }

    /**
     * A replacement file starts its seqs at the current time in microseconds, past any seq the
     * damaged file handed out (unless it wrote over a million rows a second), so rows already
     * shipped to the central database under (site, seq) are never mistaken for new ones.
     */
    private static void startSeqsAfterTheOldFile(Connection c) throws SQLException {
        long start = System.currentTimeMillis() * 1000;
        try (Statement st = c.createStatement()) {
            for (Stream stream : Stream.values()) {
                st.execute("ALTER TABLE " + stream.table + " ALTER COLUMN seq RESTART WITH " + start);
            }
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** A damaged file moved aside at start-up: where to, why, when. */
    record SetAside(Path movedTo, String reason, long at) {
    }

    /** The file moved aside at start-up, or {@code null}. */
    SetAside setAside() {
        return setAside;
    }

    // --- values and qualities, as the file stores them ------------------------------------

    /** Inverse of the encoding in {@link WriteSession}: both columns set means a boolean. */
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

    // --- connections -----------------------------------------------------------------------

    /** A read connection to the already open file; never creates an empty database by mistake. */
    Connection connectToExisting() throws SQLException {
        Connection c = connect(url + ";IFEXISTS=TRUE");
        c.setReadOnly(true);
        return c;
    }

    /** Through H2's driver directly: DriverManager's class-loader lookup does not work inside OSGi. */
    static Connection connect(String url) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", "sa");
        credentials.setProperty("password", "");
        Connection c = new org.h2.Driver().connect(url, credentials);
        if (c == null) {
            throw new SQLException("H2 refused the URL " + url);
        }
        return c;
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing is best effort; the file is consistent after every commit
        }
    }
}

