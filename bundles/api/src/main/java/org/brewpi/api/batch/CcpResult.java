package org.brewpi.api.batch;

/**
 * A CCP as evaluated over a batch's time window.
 *
 * @param longestMs the longest unbroken stretch within limits
 * @param lowest the lowest value seen, {@code null} without numeric samples
 * @param samples samples (or history buckets) looked at
 * @param detail why, in words
 */
public record CcpResult(String id, String zone, String tag, CcpStatus status, long longestMs, Double lowest,
        Double highest, int samples, String detail) {
}
