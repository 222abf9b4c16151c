package org.brewpi.interlocks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;

/**
 * The engine's own copy of what it reads, kept from the drivers' callbacks: written on the engine thread,
 * read by command checks on any thread.
 */
final class PlantCache implements PlantReading {

    private final Map<String, Map<String, TagValue>> tags = new ConcurrentHashMap<>();
    private final Map<String, ZoneState> states = new ConcurrentHashMap<>();

    void tags(List<TagValue> values) {
        for (TagValue v : values) {
            put(tags.computeIfAbsent(v.zone(), z -> new ConcurrentHashMap<>()), v);
        }
    }

    /**
     * Keeps the newer of two readings: the driver marks tags STALE from its timer thread, and that news must not
     * overwrite a fresh value that overtook it.
     */
    private static void put(Map<String, TagValue> table, TagValue v) {
        table.merge(v.tag(), v, (old, next) -> next.arrivalTime() >= old.arrivalTime() ? next : old);
    }

    void zone(ZoneSnapshot zone) {
        if (zone.state() != null) {
            states.put(zone.id(), zone.state());
        }
        Map<String, TagValue> table = tags.computeIfAbsent(zone.id(), z -> new ConcurrentHashMap<>());
        zone.tags().values().forEach(v -> put(table, v));
    }

    @Override
    public TagValue tag(String zone, String tag) {
        Map<String, TagValue> table = tags.get(zone);
        return table == null ? null : table.get(tag);
    }

    @Override
    public ZoneState state(String zone) {
        return states.get(zone);
    }
}
