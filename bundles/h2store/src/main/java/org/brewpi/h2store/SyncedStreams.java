package org.brewpi.h2store;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

import org.brewpi.api.history.HistoryStreams;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;

/**
 * {@link HistoryStreams} over a store's {@link StreamTable}s: checks the stream name and the arguments, and turns
 * the store's {@link SQLException}s into the exceptions the interface names. A component that offers the service
 * delegates its four methods here.
 */
public final class SyncedStreams implements HistoryStreams {

    /** What the store does for one of its streams, on its own connections and under its own locking. */
    public interface Store {

        /** See {@link StreamTable#rowsAfter}: no further than what is on the device. */
        List<Object[]> rowsAfter(StreamTable table, long afterSeq, int maxRows) throws SQLException;

        /** See {@link StreamTable#markSynced}: committed before it returns. */
        void markSynced(StreamTable table, long seq) throws SQLException;

        /** See {@link StreamTable#backlog}. */
        StreamBacklog backlog(StreamTable table) throws SQLException;
    }

    private final String what;
    private final List<StreamTable> tables;
    private final List<String> names;
    private final Supplier<? extends Store> store;

    /**
     * @param what the store, for messages ("the alarm journal")
     * @param tables its streams, most important first
     * @param store the open store; may throw {@link IllegalStateException} when it could not be opened
     */
    public SyncedStreams(String what, List<StreamTable> tables, Supplier<? extends Store> store) {
        this.what = what;
        this.tables = List.copyOf(tables);
        this.names = this.tables.stream().map(StreamTable::name).toList();
        this.store = store;
    }

    @Override
    public List<String> streams() {
        return names;
    }

    /** The stream of that name. */
    public StreamTable table(String stream) {
        for (StreamTable t : tables) {
            if (t.name().equals(stream)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no stream named " + stream + " in " + what + "; only " + names);
    }

    @Override
    public StreamRows read(String stream, long afterSeq, int maxRows) {
        StreamTable t = table(stream);
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, not " + maxRows);
        }
        try {
            return new StreamRows(t.name(), t.columns(), store.get().rowsAfter(t, afterSeq, maxRows));
        } catch (SQLException e) {
            throw new IllegalStateException(what + " unreadable (" + t.name() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void markSynced(String stream, long seq) {
        StreamTable t = table(stream);
        try {
            store.get().markSynced(t, seq);
        } catch (SQLException e) {
            throw new IllegalStateException(what + ": watermark of " + t.name() + " not stored: " + e.getMessage(), e);
        }
    }

    @Override
    public StreamBacklog backlog(String stream) {
        StreamTable t = table(stream);
        try {
            return store.get().backlog(t);
        } catch (SQLException e) {
            throw new IllegalStateException(what + " unreadable (" + t.name() + "): " + e.getMessage(), e);
        }
    }
}
