package org.brewpi.api.zone;

import java.util.Map;

/**
 * A zone as its driver sees it at one instant.
 *
 * @param id the zone id ({@code [a-z0-9][a-z0-9-]{0,31}})
 * @param driver the id of the driver that owns the zone
 * @param info what the PLC declared in its last birth, {@code null} before the first one
 * @param state online, failsafe or offline
 * @param reason the PLC's reason for its state, may be {@code null}
 * @param lastSeen arrival time of the last message from the PLC, 0 if never
 * @param tags the current value of every tag, by name
 */
public record ZoneSnapshot(String id, String driver, ZoneInfo info, ZoneState state, String reason, long lastSeen,
        Map<String, TagValue> tags, ZoneCounters counters) {

    public ZoneSnapshot {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
