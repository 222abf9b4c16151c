package org.brewpi.api.alarm;

import java.util.List;

/**
 * Alarm-system performance per ISA-18.2, over the annunciated activations of the retained window.
 *
 * @param windowMs how far back the figures reach (at most 24 h, less after a start)
 * @param activations annunciated activations in the window
 * @param last10Min activations in the last 10 minutes
 * @param averagePer10Min mean activations per 10 minutes over the window
 * @param floodPeriods 10-minute periods (aligned to the clock) in the window with at least
 *        {@code floodThreshold} activations
 * @param flooding whether the last 10 minutes are a flood
 * @param chattering alarms activated at least {@code chatterCount} times within {@code chatterWindowMs}
 * @param stale alarms active for more than {@code staleMs}
 * @param top10 the most frequent alarms of the window, most frequent first
 * @param top10Share the fraction (0..1) of all activations that the top 10 account for
 */
public record AlarmMetrics(long time, long windowMs, long activations, long last10Min, double averagePer10Min,
        int floodThreshold, long floodPeriods, boolean flooding, int chatterCount, long chatterWindowMs,
        List<String> chattering, long staleMs, List<String> stale, List<Count> top10, double top10Share) {

    public AlarmMetrics {
        chattering = List.copyOf(chattering);
        stale = List.copyOf(stale);
        top10 = List.copyOf(top10);
    }

    public record Count(String alarm, long activations) {
    }
}
