package org.brewpi.rest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandGate;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.history.Historian;
import org.brewpi.api.history.HistoryPoint;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagDef;
import org.brewpi.api.zone.TagKind;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneDefinition;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneInfo;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;

/**
 * Stand-ins for the services other bundles provide (the plant's live table, the command gate, the
 * historian), built from the API's own records.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static final long T0 = 1_700_000_000_000L;

    /** The fermenter of protocol.md's birth example, online, with a few tags reported. */
    public static ZoneSnapshot fermenter(String id, ZoneState state, double pv) {
        ZoneInfo info = new ZoneInfo(id, "fermenter", "1.0.0", "esp32-s3", 31337, "hold_last", 1000, List.of(
                new TagDef("pv", TagKind.ANALOG, "degC", -5.0, 40.0, List.of(), false),
                new TagDef("sv", TagKind.ANALOG, "degC", -2.0, 30.0, List.of(), true),
                new TagDef("mode", TagKind.ENUM, null, null, null, List.of("off", "auto", "manual"), true),
                new TagDef("glycol_valve", TagKind.BOOL, null, null, null, List.of(), true)));
        Map<String, TagValue> tags = new LinkedHashMap<>();
        Quality q = state == ZoneState.OFFLINE ? Quality.OFFLINE : Quality.GOOD;
        tags.put("pv", new TagValue(id, "pv", pv, q, 123_456_789L, T0));
        tags.put("sv", new TagValue(id, "sv", 18.0, q, 123_456_789L, T0));
        tags.put("mode", new TagValue(id, "mode", "auto", q, 123_456_789L, T0));
        return new ZoneSnapshot(id, "mqtt", info, state, null, T0, tags,
                new ZoneCounters(100, 2, 3, 1, 0, 4, Map.of("not_json", 5L, "bad_type", 1L)));
    }

    /** A part of the box reporting its health. */
    public record Contributor(String name, Status status, Map<String, Object> details) implements HealthContributor {
    }

    public record Definition(String id, String type, String label, String driver, boolean simulated)
            implements ZoneDefinition {
        public static Definition of(String id, String type, String label) {
            return new Definition(id, type, label, "mqtt", true);
        }
    }

    /** A live table whose zones the test sets. */
    public static final class TestPlant implements Plant {
        private final Map<String, ZoneSnapshot> zones = new java.util.concurrent.ConcurrentSkipListMap<>();

        public TestPlant put(ZoneSnapshot zone) {
            zones.put(zone.id(), zone);
            return this;
        }

        @Override
        public Collection<ZoneSnapshot> zones() {
            return new ArrayList<>(zones.values());
        }

        @Override
        public Optional<ZoneSnapshot> zone(String zoneId) {
            return Optional.ofNullable(zones.get(zoneId));
        }
    }

    /** A gate that records what it is given and answers, after a delay, what the test decides. */
    public static final class TestGate implements CommandGate {
        public final List<Command> submitted = new CopyOnWriteArrayList<>();
        private volatile Function<Command, CommandResult> answer;
        private volatile long delayMs;
        private int ids;

        public TestGate answering(Function<Command, CommandResult> answer, long delayMs) {
            this.answer = answer;
            this.delayMs = delayMs;
            return this;
        }

        @Override
        public synchronized CompletionStage<CommandResult> submit(Command command) {
            Command withId = command.withId(String.format("c-%06d", ++ids));
            submitted.add(withId);
            Function<Command, CommandResult> a = answer;
            if (a == null) {
                return new CompletableFuture<>(); // never answers
            }
            return CompletableFuture.supplyAsync(() -> a.apply(withId),
                    CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS));
        }
    }

    public static final class TestHistorian implements Historian {
        public final List<Object[]> queries = new CopyOnWriteArrayList<>();

        @Override
        public List<HistoryPoint> history(String zone, String tag, long from, long to, int maxPoints) {
            queries.add(new Object[] { zone, tag, from, to, maxPoints });
            return List.of(new HistoryPoint(from, 3, 17.5, 18.5, 18.0, 18.25, "GOOD"),
                    new HistoryPoint(from + 1000, 1, Double.NaN, null, null, true, "STALE"));
        }

        @Override
        public List<ZoneEvent> events(String zone, long from, long to, int limit) {
            queries.add(new Object[] { zone, from, to, limit });
            return List.of(new ZoneEvent(zone == null ? "hlt" : zone, 7, 12, 5000, from + 10, "interlock",
                    "overtemp", true, "pv 85.2 > trip 80.0"));
        }
    }
}
