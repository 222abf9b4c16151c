package org.brewpi.h2store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How far an append-only H2 file with one writer is durable. H2's MVStore keeps a commit in memory for up to a
 * second and does not fsync when it writes it out, so a store:
 * <ul>
 * <li>after each commit calls {@link #committed} and {@link #writeOut} ({@code CHECKPOINT}: the rows reach the
 * OS and survive the process being killed, in well under a millisecond);</li>
 * <li>now and then, and before rows are shipped, calls {@link #syncToDevice} ({@code CHECKPOINT SYNC}, an fsync:
 * the rows survive a power cut). One fsync covers every commit since the last, so writers never wait for
 * the device: a power cut loses at most the moments since the last call, never a row already shipped.</li>
 * </ul>
 * Thread-safe; the statement it runs on belongs to the store's connection.
 */
public final class DeviceSync implements AutoCloseable {

    private final Statement checkpoint;
    private long committed;
    private long onDevice;

    /**
     * @param connection the store's connection
     * @param lastSeq the highest seq the file holds at start-up: what a start finds was written before
     */
    public DeviceSync(Connection connection, long lastSeq) throws SQLException {
        this.checkpoint = connection.createStatement();
        this.committed = lastSeq;
        this.onDevice = lastSeq;
    }

    /** Rows up to {@code seq} are committed (a lower seq than before changes nothing). */
    public synchronized void committed(long seq) {
        committed = Math.max(committed, seq);
    }

    /** The highest seq committed. */
    public synchronized long committedSeq() {
        return committed;
    }

    /** Writes what was committed out to the OS ({@code CHECKPOINT}), so it survives the process being killed. */
    public synchronized void writeOut() throws SQLException {
        checkpoint.execute("CHECKPOINT");
    }

    /**
     * Forces what was committed onto the device ({@code CHECKPOINT SYNC}) if anything new was.
     *
     * @return the seq up to which every row is on the device
     */
    public synchronized long syncToDevice() throws SQLException {
        if (committed > onDevice) {
            long upTo = committed;
            checkpoint.execute("CHECKPOINT SYNC");
            onDevice = upTo;
        }
        return onDevice;
    }

    /** The seq up to which every row is known to be on the device, without syncing. */
    public synchronized long onDevice() {
        return onDevice;
    }

    @Override
    public synchronized void close() throws SQLException {
        checkpoint.close();
    }
}
