package org.brewpi.api.history;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The local store's record streams, as a sync service reads them: each stream is an append-only
 * table whose rows carry a rising {@code seq}, and the store keeps one watermark per stream (the
 * highest seq the central database has committed) in the same durable file as the rows.
 * <p>
 * The sync service reads {@code rows after the watermark}, ships them, and only after the central
 * database has committed them moves the watermark with {@link #markSynced}.
 */
@ProviderType
public interface HistoryStreams {

    /** The streams, most important first: the order in which a backlog is shipped. */
    List<String> streams();

    /**
     * Up to {@code maxRows} committed rows of {@code stream} with {@code seq > afterSeq}, in seq
     * order.
     *
     * @throws IllegalArgumentException for an unknown stream or {@code maxRows < 1}
     * @throws IllegalStateException when the store cannot be read
     */
    StreamRows read(String stream, long afterSeq, int maxRows);

    /**
     * Moves the stream's watermark forward to {@code seq} (never backwards), durably.
     *
     * @throws IllegalStateException when the store cannot be written
     */
    void markSynced(String stream, long seq);

    /** How far the stream is shipped, and what waits. */
    StreamBacklog backlog(String stream);
}
