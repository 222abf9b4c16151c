package org.brewpi.api.history;

/**
 * One bucket of a tag's history. For a bucket holding a single sample, min = max = avg = last.
 * Non-numeric tags (bool, enum) carry {@code last} only; booleans are 0/1 in min/max/avg.
 *
 * @param time the bucket's start (UTC epoch ms); for raw samples, the sample's arrival time
 * @param count samples in the bucket
 * @param last the bucket's last value as stored ({@code Double}, {@code Boolean}, {@code String} or {@code null})
 * @param quality the worst quality seen in the bucket
 */
public record HistoryPoint(long time, int count, Double min, Double max, Double avg, Object last, String quality) {
}
