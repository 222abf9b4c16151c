package org.brewpi.api.zone;

import java.util.Map;

/**
 * Link statistics of one zone, counted by its driver.
 *
 * @param rejects rejected payloads per reason (for example {@code not_json}, {@code bad_type})
 */
public record ZoneCounters(long telemetry, long gaps, long missed, long duplicates, long reboots, long events,
        Map<String, Long> rejects) {

    public ZoneCounters {
        rejects = rejects == null ? Map.of() : Map.copyOf(rejects);
    }

    public long rejectTotal() {
        return rejects.values().stream().mapToLong(Long::longValue).sum();
    }
}
