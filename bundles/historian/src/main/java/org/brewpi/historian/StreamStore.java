package org.brewpi.historian;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.ToLongFunction;

import org.brewpi.api.history.StreamBacklog;
import org.brewpi.h2store.StreamTable;
import org.brewpi.h2store.SyncedStreams;

/**
 * The history file's record streams as the sync service reads them: rows past a seq, the watermark per
 * stream (table {@code sync_watermarks}, in the same file as the rows) and the backlog. Each call opens a
 * short-lived connection to the file {@link HistoryStore} keeps open.
 */
final class StreamStore implements SyncedStreams.Store {

    private final HistoryStore store;
    private final ToLongFunction<Stream> durableSeq;

    /**
     * @param durableSeq per stream, the seq up to which rows are on the device: only those are shipped, as a row
     *        committed but not yet on disk could vanish with a power cut after it was shipped
     */
    StreamStore(HistoryStore store, ToLongFunction<Stream> durableSeq) {
        this.store = store;
        this.durableSeq = durableSeq;
    }

    @Override
    public List<Object[]> rowsAfter(StreamTable table, long afterSeq, int maxRows) throws SQLException {
        long durable = durableSeq.applyAsLong(Stream.named(table.name()));
        try (Connection c = store.connectToExisting()) {
            return table.rowsAfter(c, afterSeq, durable, maxRows);
        }
    }

    @Override
    public void markSynced(StreamTable table, long seq) throws SQLException {
        try (Connection c = HistoryStore.connect(store.url + ";IFEXISTS=TRUE")) {
            table.markSynced(c, seq); // auto-commit
        }
    }

    @Override
    public StreamBacklog backlog(StreamTable table) throws SQLException {
        try (Connection c = store.connectToExisting()) {
            return table.backlog(c);
        }
    }
}
