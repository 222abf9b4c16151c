package org.brewpi.rest;

import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the API, as records: Jackson writes their components in declaration order and
 * always writes every key (null included), so clients see one stable schema.
 */
public final class Views {

    private Views() {
    }

    /** A zone: its configuration, what its PLC declared, its live tags and its link counters. */
    public record Zone(String id, String label, String type, String driver, String state, String reason,
            Long lastSeen, String firmware, String hardware, Long boot, Long periodMs, String failsafe,
            Map<String, Tag> tags, Counters counters) {
    }

    /** One tag: its live value with quality and timestamps, and its declaration (kind, unit, limits). */
    public record Tag(Object value, String quality, Long plcTime, Long time, String kind, String unit, Double min,
            Double max, List<String> values, boolean rw) {
    }

    public record Counters(long telemetry, long gaps, long missed, long duplicates, long reboots, long events,
            Map<String, Long> rejects) {
    }

    /** One tag change, as the live feed sends it. */
    public record TagChange(String zone, String tag, Object value, String quality, long plcTime, long time) {
    }

    public record Event(String zone, String kind, String code, boolean active, String message, long time,
            long plcTime, long boot, long seq) {
    }

    /**
     * The answer to a write or reset, whatever its outcome.
     *
     * @param source what refused it when a guard of the gate did: the interlock's id, or {@code estop}
     */
    public record CommandReply(String outcome, String error, String source, String message, String id, String zone,
            String tag, Object value) {
    }

    public record Error(String error, String message) {
    }

    public record HistoryPoint(long t, int n, Double min, Double max, Double avg, Object last, String q) {
    }

    public record History(String zone, String tag, long from, long to, List<HistoryPoint> points) {
    }

    public record Events(String zone, long from, long to, int limit, List<Event> events) {
    }
}
