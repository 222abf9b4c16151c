package org.brewpi.api.history;

/**
 * The state of one stream in the local store.
 *
 * @param stream the stream's name
 * @param localRows rows held locally
 * @param syncedSeq the watermark: every row up to this seq is in the central database
 * @param waiting rows past the watermark
 * @param oldestWaitingTs the time (UTC epoch ms) of the first row past the watermark, or
 *        {@code null} when nothing waits
 */
public record StreamBacklog(String stream, long localRows, long syncedSeq, long waiting, Long oldestWaitingTs) {
}
