package org.brewpi.interlocks;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.api.security.Signature;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagDef;
import org.brewpi.api.zone.TagKind;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneDriver;
import org.brewpi.api.zone.ZoneInfo;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.brewpi.plant.PlantCommandGate;
import org.brewpi.users.UserService;
import org.brewpi.users.UsersConfig;

/**
 * The engine wired as in the box - the real command gate with the engine as its required guard, the real H2
 * audit trail, the real user directory for rights and signatures - with a settable clock and a driver that
 * plays the PLCs: it acks every write and keeps the value, as a PLC's next telemetry would report it.
 */
final class Rig implements AutoCloseable {

    static final String PIN = "482915";
    private static final String BOOTSTRAP = "rig-bootstrap-token";

    /** Starts at the real time: signatures carry the audit trail's real time. */
    final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    final H2AuditTrail audit;
    final UserService users;
    final PlantCommandGate gate;
    final Plc plc = new Plc();
    final InterlockEngine engine;

    Rig(Path dir, Settings settings) throws Exception {
        audit = new H2AuditTrail(new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return dir.toString();
            }
        });
        users = new UserService(usersConfig(dir.toString()), audit);
        Principal admin = users.authenticate("Bearer " + BOOTSTRAP).orElseThrow();
        for (Role role : List.of(Role.OPERATOR, Role.SUPERVISOR, Role.QUALITY)) {
            users.createUser(admin, role.id(), "Tester " + role.id(), role, "one-time-pin");
            users.changePin(role.id(), "one-time-pin", PIN, "hmi");
        }
        gate = new PlantCommandGate(audit, users, java.util.Set.of("interlocks"));
        gate.addDriver(plc);
        engine = new InterlockEngine(settings, clock::get);
        engine.setAuditTrail(audit);
        engine.setPolicy(users);
        engine.setGate(gate);
        gate.addGuard(engine, Map.of(CommandGuard.GUARD_NAME, "interlocks"));
        plc.listener = engine;
    }

    static Settings fast() {
        return new Settings(60 * Settings.MINUTE, 300_000, 2_000, 2_000, 15_000, 20);
    }

    void rules(RuleSource... sources) throws InterruptedException {
        for (RuleSource s : sources) {
            engine.addRule(s);
        }
        settle();
    }

    static RuleSource rule(String id, String match, String conditions, String blocks, String forces, boolean latched,
            long delayMs) {
        Rule r = Rule.parse(id, "Text of " + id, match, new String[] { conditions }, new String[] { blocks },
                new String[] { forces }, latched, delayMs);
        return new Source("brewpi.interlock-" + id + ".cfg", r, null);
    }

    record Source(String origin, Rule rule, String error) implements RuleSource {
    }

    void advance(long ms) throws InterruptedException {
        clock.addAndGet(ms);
        engine.tickNow(); // whatever the ticker thread does meanwhile, one tick sees the new time
        settle();
    }

    /** Waits for the engine thread, then for the gate's records (what the engine handed on is written too). */
    void settle() throws InterruptedException {
        if (!engine.drain(5_000) || !gate.awaitRecords(5_000)) {
            throw new IllegalStateException("engine or gate records thread stuck");
        }
    }

    CommandResult write(String zone, String tag, Object value, String user) throws Exception {
        return gate.submit(Command.write(zone, tag, value, "hmi", user)).toCompletableFuture().get();
    }

    Signature sign(String user, String target) {
        return users.sign(user, PIN, InterlockBook.BYPASS_MEANING, "maintenance on the level probe", target, "hmi");
    }

    List<AuditEntry> audited(String action) {
        return audit.entries(0, 0, Long.MAX_VALUE, null, null, 10_000).stream().filter(e -> e.action().equals(action))
                .toList();
    }

    @Override
    public void close() {
        engine.stop();
    }

    /** The PLCs of a small plant: a kettle, a mash tun with its transfer pump, a fermenter. */
    final class Plc implements ZoneDriver {
        final List<Command> received = new CopyOnWriteArrayList<>();
        /** The thread each command was sent on. */
        final List<String> sentOn = new CopyOnWriteArrayList<>();
        final Map<String, ZoneState> states = new ConcurrentHashMap<>();
        final Map<String, Map<String, TagValue>> tags = new ConcurrentHashMap<>();
        InterlockEngine listener;

        private final Map<String, ZoneInfo> infos = Map.of(
                "kettle", new ZoneInfo("kettle", "kettle", "1", "sim", 1, "off", 1000, List.of(
                        analog("level", false), analog("pv", false), mode(),
                        new TagDef("heater", TagKind.BOOL, null, null, null, null, true),
                        new TagDef("inlet_valve", TagKind.BOOL, null, null, null, null, true))),
                "mash", new ZoneInfo("mash", "mash", "1", "sim", 1, "off", 1000, List.of(
                        analog("level", false), mode(), new TagDef("pump", TagKind.BOOL, null, null, null, null, true))),
                "fv1", new ZoneInfo("fv1", "fermenter", "1", "sim", 1, "hold_last", 1000, List.of(
                        new TagDef("cip", TagKind.BOOL, null, null, null, null, true),
                        new TagDef("product_valve", TagKind.BOOL, null, null, null, null, true))));

        private static TagDef analog(String name, boolean rw) {
            return new TagDef(name, TagKind.ANALOG, "%", 0.0, 120.0, null, rw);
        }

        private static TagDef mode() {
            return new TagDef("mode", TagKind.ENUM, null, null, null, List.of("off", "auto", "manual"), true);
        }

        /** A telemetry message: the values as the PLC reports them now, all GOOD. */
        void tele(String zone, Map<String, Object> values) throws InterruptedException {
            if (states.putIfAbsent(zone, ZoneState.ONLINE) == null && listener != null) {
                listener.zoneChanged(snapshot(zone)); // the birth and status come before the first telemetry
            }
            List<TagValue> changed = new ArrayList<>();
            values.forEach((k, v) -> changed.add(new TagValue(zone, k, v, Quality.GOOD, clock.get(), clock.get())));
            changed.forEach(v -> tags.computeIfAbsent(zone, z -> new ConcurrentHashMap<>()).put(v.tag(), v));
            if (listener != null) {
                listener.tagsChanged(changed);
            }
            settle();
        }

        /** The driver's stale timer: every tag of the zone keeps its value and turns STALE. */
        void stale(String zone) throws InterruptedException {
            List<TagValue> changed = tags.get(zone).values().stream().map(v -> v.withQuality(Quality.STALE)).toList();
            changed.forEach(v -> tags.get(zone).put(v.tag(), v));
            listener.tagsChanged(changed);
            settle();
        }

        void state(String zone, ZoneState state) throws InterruptedException {
            states.put(zone, state);
            listener.zoneChanged(snapshot(zone));
            settle();
        }

        /** Commands the gate let through, as "zone.tag=value by user". */
        List<String> writes() {
            return received.stream().map(c -> c.zone() + "." + c.tag() + "=" + c.value() + " by " + c.user()).toList();
        }

        private ZoneSnapshot snapshot(String zone) {
            return new ZoneSnapshot(zone, "mqtt", infos.get(zone), states.getOrDefault(zone, ZoneState.ONLINE), null,
                    clock.get(), new LinkedHashMap<>(tags.getOrDefault(zone, Map.of())),
                    new ZoneCounters(0, 0, 0, 0, 0, 0, Map.of()));
        }

        @Override
        public String id() {
            return "mqtt";
        }

        @Override
        public Collection<ZoneSnapshot> zones() {
            return infos.keySet().stream().map(this::snapshot).toList();
        }

        @Override
        public Optional<ZoneSnapshot> zone(String zoneId) {
            return infos.containsKey(zoneId) ? Optional.of(snapshot(zoneId)) : Optional.empty();
        }

        /** Acks at once; the new value shows in the next telemetry, which the test sends. */
        @Override
        public CompletionStage<CommandResult> send(Command command) {
            sentOn.add(Thread.currentThread().getName());
            received.add(command);
            return CompletableFuture.completedFuture(new CommandResult(command, Outcome.DONE, null, null, clock.get(),
                    clock.get()));
        }
    }

    static UsersConfig usersConfig(String dataDir) {
        return new UsersConfig() {
            public Class<? extends Annotation> annotationType() {
                return UsersConfig.class;
            }

            public String data_dir() {
                return dataDir;
            }

            public int idle_timeout_minutes() {
                return 15;
            }

            public int lockout_failures() {
                return 5;
            }

            public int lockout_window_minutes() {
                return 10;
            }

            public int lockout_minutes() {
                return 5;
            }

            public int pin_iterations() {
                return 1_000;
            }

            public String _api_token() {
                return BOOTSTRAP;
            }
        };
    }
}
