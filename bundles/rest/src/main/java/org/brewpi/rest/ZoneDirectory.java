package org.brewpi.rest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagDef;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneDefinition;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneInfo;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;

/**
 * The plant as the API shows it: every zone the live table knows, merged with every configured zone
 * (label and type come from the configuration; a configured zone no driver knows yet is shown offline
 * with no tags). Also maps tag values and events to their JSON shapes.
 */
public final class ZoneDirectory {

    /** Zone ids as the protocol allows them. */
    public static final Pattern ZONE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final Supplier<Plant> plant;
    private final List<ZoneDefinition> definitions = new CopyOnWriteArrayList<>();

    /** @param plant the live table, or a supplier of {@code null} while there is none */
    public ZoneDirectory(Supplier<Plant> plant) {
        this.plant = plant;
    }

    public void addDefinition(ZoneDefinition definition) {
        definitions.add(definition);
    }

    public void removeDefinition(ZoneDefinition definition) {
        definitions.remove(definition);
    }

    public int configuredCount() {
        return definitionsById().size();
    }

    /** Every known or configured zone, sorted by id. */
    public List<Views.Zone> zones() {
        Map<String, ZoneDefinition> configured = definitionsById();
        Map<String, Views.Zone> byId = new TreeMap<>();
        Plant live = plant.get();
        if (live != null) {
            for (ZoneSnapshot snapshot : live.zones()) {
                byId.put(snapshot.id(), zone(snapshot.id(), snapshot, configured.get(snapshot.id())));
            }
        }
        configured.forEach((id, definition) -> byId.computeIfAbsent(id, k -> zone(k, null, definition)));
        return new ArrayList<>(byId.values());
    }

    public Optional<Views.Zone> zone(String id) {
        if (id == null || !ZONE_ID.matcher(id).matches()) {
            return Optional.empty();
        }
        ZoneDefinition definition = definitionsById().get(id);
        Plant live = plant.get();
        ZoneSnapshot snapshot = live == null ? null : live.zone(id).orElse(null);
        if (snapshot == null && definition == null) {
            return Optional.empty();
        }
        return Optional.of(zone(id, snapshot, definition));
    }

    /** A zone snapshot a driver just reported, with its configured label and type. */
    public Views.Zone render(ZoneSnapshot snapshot) {
        return zone(snapshot.id(), snapshot, definitionsById().get(snapshot.id()));
    }

    private Map<String, ZoneDefinition> definitionsById() {
        Map<String, ZoneDefinition> byId = new LinkedHashMap<>();
        for (ZoneDefinition definition : definitions) {
            byId.putIfAbsent(definition.id(), definition); // a duplicate configuration: the first one wins
        }
        return byId;
    }

    static Views.Zone zone(String id, ZoneSnapshot snapshot, ZoneDefinition definition) {
        ZoneInfo info = snapshot == null ? null : snapshot.info();
        ZoneState state = snapshot == null || snapshot.state() == null ? ZoneState.OFFLINE : snapshot.state();
        String label = definition != null && notBlank(definition.label()) ? definition.label() : id;
        String type = definition != null && notBlank(definition.type()) ? definition.type()
                : info != null ? info.type() : null;
        String driver = snapshot != null ? snapshot.driver() : definition != null ? definition.driver() : null;
        Long lastSeen = snapshot == null || snapshot.lastSeen() <= 0 ? null : snapshot.lastSeen();
        return new Views.Zone(id, label, type, driver, state.wire(), snapshot == null ? null : snapshot.reason(),
                lastSeen,
                info == null ? null : info.firmware(),
                info == null ? null : info.hardware(),
                info == null ? null : info.boot(),
                info == null ? null : info.periodMs(),
                info == null ? null : info.failsafePolicy(),
                tags(info, snapshot == null ? Map.of() : snapshot.tags(), state),
                counters(snapshot == null ? null : snapshot.counters()));
    }

    /** Declared tags in birth order, then any tag with a value but no declaration. */
    static Map<String, Views.Tag> tags(ZoneInfo info, Map<String, TagValue> values, ZoneState state) {
        Map<String, Views.Tag> tags = new LinkedHashMap<>();
        if (info != null) {
            for (TagDef def : info.tags()) {
                tags.put(def.name(), tag(def, values.get(def.name()), state));
            }
        }
        values.entrySet().stream()
                .filter(e -> !tags.containsKey(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> tags.put(e.getKey(), tag(null, e.getValue(), state)));
        return tags;
    }

    static Views.Tag tag(TagDef def, TagValue value, ZoneState state) {
        Object v = value == null ? null : jsonValue(value.value());
        // A declared tag that has never reported has no value to trust.
        Quality quality = value != null && value.quality() != null ? value.quality()
                : state == ZoneState.OFFLINE ? Quality.OFFLINE : Quality.STALE;
        return new Views.Tag(v, quality.name(),
                value == null ? null : value.plcTime(),
                value == null ? null : value.arrivalTime(),
                def == null || def.kind() == null ? null : def.kind().wire(),
                def == null ? null : def.unit(),
                def == null ? null : def.min(),
                def == null ? null : def.max(),
                def == null ? List.of() : def.values(),
                def != null && def.writable());
    }

    static Views.Counters counters(ZoneCounters counters) {
        if (counters == null) {
            return new Views.Counters(0, 0, 0, 0, 0, 0, Map.of());
        }
        return new Views.Counters(counters.telemetry(), counters.gaps(), counters.missed(), counters.duplicates(),
                counters.reboots(), counters.events(), new TreeMap<>(counters.rejects()));
    }

    public static Views.TagChange change(TagValue value) {
        return new Views.TagChange(value.zone(), value.tag(), jsonValue(value.value()),
                value.quality() == null ? null : value.quality().name(), value.plcTime(), value.arrivalTime());
    }

    public static Views.Event event(ZoneEvent event) {
        return new Views.Event(event.zone(), event.kind(), event.code(), event.active(), event.message(),
                event.arrivalTime(), event.plcTime(), event.boot(), event.seq());
    }

    /** Values go out as JSON numbers, booleans or strings; a non-finite number has no JSON form. */
    static Object jsonValue(Object value) {
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            return null;
        }
        return value;
    }

    /** Zone counts by state over a list of zones, with the reject counters summed by reason. */
    public static Map<String, Object> counts(Collection<Views.Zone> zones, int configured) {
        Map<String, Long> byState = new TreeMap<>();
        Map<String, Long> rejects = new TreeMap<>();
        for (Views.Zone zone : zones) {
            byState.merge(zone.state(), 1L, Long::sum);
            zone.counters().rejects().forEach((reason, n) -> rejects.merge(reason, n, Long::sum));
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("configured", configured);
        for (ZoneState state : ZoneState.values()) {
            counts.put(state.wire(), byState.getOrDefault(state.wire(), 0L));
        }
        counts.put("rejects", rejects);
        return counts;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
