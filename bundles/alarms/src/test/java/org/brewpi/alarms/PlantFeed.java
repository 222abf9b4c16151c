package org.brewpi.alarms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmPriority;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneDefinition;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;

/** PlantFeed data as a driver hands it over, a settable clock and a recording audit sink. */
final class PlantFeed {

    static final long T0 = 1_800_000_000_000L;

    final AtomicLong clock = new AtomicLong(T0);
    final List<AuditEntry> audited = new CopyOnWriteArrayList<>();
    volatile boolean auditBroken;

    final Consumer<AuditEntry> audit = e -> {
        if (auditBroken) {
            throw new IllegalStateException("disk full");
        }
        audited.add(e);
    };

    AlarmBook book(Settings settings) {
        return new AlarmBook(clock::get, settings, audit);
    }

    void advance(long ms) {
        clock.addAndGet(ms);
    }

    long now() {
        return clock.get();
    }

    TagValue tag(String zone, String tag, Object value, Quality quality) {
        return new TagValue(zone, tag, value, quality, 1_000, now());
    }

    TagValue good(String zone, String tag, Object value) {
        return tag(zone, tag, value, Quality.GOOD);
    }

    /** A zone's snapshot as the driver reports it; OFFLINE zones have every tag OFFLINE. */
    ZoneSnapshot zone(String id, ZoneState state, Map<String, Object> values) {
        Map<String, TagValue> tags = new LinkedHashMap<>();
        Quality q = state == ZoneState.OFFLINE ? Quality.OFFLINE : Quality.GOOD;
        values.forEach((k, v) -> tags.put(k, tag(id, k, v, q)));
        return new ZoneSnapshot(id, "mqtt", null, state, state == ZoneState.OFFLINE ? "lost" : null, now(), tags,
                new ZoneCounters(0, 0, 0, 0, 0, 0, Map.of()));
    }

    static AlarmDefinition alarm(String id, String zone, String tag, AlarmKind kind, double limit, double deadband,
            long onDelay, long offDelay) {
        return new AlarmDefinition(id, zone, tag, kind, limit, "", AlarmPriority.HIGH, deadband, onDelay, offDelay,
                id + " message", false, AlarmDefinition.CONFIG);
    }

    List<String> actions() {
        List<String> list = new ArrayList<>();
        audited.forEach(e -> list.add(e.action()));
        return list;
    }

    record Zone(String id, String type, String label, String driver, boolean simulated) implements ZoneDefinition {
        static Zone of(String id, String type) {
            return new Zone(id, type, id.toUpperCase(), "mqtt", true);
        }
    }

    record Source(AlarmDefinition definition, boolean enabled) implements AlarmSource {
    }
}
