package org.brewpi.sim.plc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import org.brewpi.sim.control.FailSafe;
import org.brewpi.sim.control.FailSafePolicy;
import org.brewpi.sim.control.Pid;
import org.brewpi.sim.physics.Vessel;
import org.brewpi.sim.protocol.Json;
import org.brewpi.sim.protocol.PayloadKind;
import org.brewpi.sim.protocol.PayloadValidator;
import org.brewpi.sim.protocol.RejectReason;
import org.brewpi.sim.protocol.Topics;
import org.brewpi.sim.protocol.Validation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulated zone PLC, as the firmware behaves: it reads its probe, keeps its local interlocks,
 * runs its loop, keeps the fail-safe state machine, answers commands and reports over MQTT
 * (docs/protocol.md).
 *
 * <p>Not thread-safe: everything runs on the simulator's loop thread, like the firmware's one loop.
 * {@code now} is always the monotonic clock in ms; plant time only enters through {@link #scan}.
 */
public final class ZonePlc {

    public static final String FW = "1.0.0";
    public static final String HW = "sim";

    /** How many answered command ids the PLC remembers to answer redeliveries as before. */
    static final int ACK_MEMORY = 1000;
    /** Events kept while the broker is away, published when it is back; older ones are dropped. */
    static final int EVENT_BACKLOG = 100;
    static final double LOW_LEVEL_TRIP = 20.0;
    static final double LOW_LEVEL_CLEAR = 25.0;
    /** Where the level switch of a vessel that has one sits: just above the element. */
    static final double LEVEL_SWITCH = 20.0;
    /** An over-temperature trip can be reset once pv is this far below the trip point. */
    static final double OVERTEMP_RESET_MARGIN = 5.0;

    private static final Logger LOG = LoggerFactory.getLogger(ZonePlc.class);

    private final String zone;
    private final ZoneProfile profile;
    private final Vessel vessel;
    private final Topics topics;
    private final Outbox outbox;
    private final long periodMs;
    private final LongSupplier epochMs;
    private final Random random;
    private final Json json = new Json();
    private final PayloadValidator validator = new PayloadValidator();
    private final FailSafe failSafe;
    private final Pid pid;
    private final RejectLog rejects;
    private final int boot;

    private final Map<String, byte[]> answered = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > ACK_MEMORY;
        }
    };
    private final Deque<byte[]> eventBacklog = new ArrayDeque<>();

    private long seq;
    /** The plain on/off outputs of {@link ZoneProfile#switches()}, in birth order. */
    private final Map<String, Boolean> switches = new java.util.TreeMap<>();
    private Mode mode;
    private double sv;
    private double manualOut;
    private boolean pump;
    private double out;
    private double pv = Double.NaN;
    private double lastGoodPv = Double.NaN;
    private boolean pvBad;
    private double level;
    private boolean lowLevel;
    private boolean overtemp;
    private long lastTele = Long.MIN_VALUE;
    /** When the next periodic telemetry is due; its phase is the PLC's own, set by when it booted. */
    private long nextPeriodicTele = Long.MIN_VALUE;
    private boolean teleDue;
    private long duplicates;
    private long droppedEvents;

    /**
     * @param periodMs telemetry period in real ms (announced in the birth)
     * @param hbTimeoutMs fail-safe heartbeat timeout in real ms
     * @param now the monotonic clock at power-up
     * @param epochMs the PLC's wall clock, for {@code t}
     */
    public ZonePlc(String zone, ZoneProfile profile, Vessel vessel, Topics topics, Outbox outbox, long periodMs,
            long hbTimeoutMs, long now, LongSupplier epochMs, Random random) {
        this.zone = zone;
        this.profile = profile;
        this.vessel = vessel;
        this.topics = topics;
        this.outbox = outbox;
        this.periodMs = periodMs;
        this.epochMs = epochMs;
        this.random = random;
        this.boot = random.nextInt() & 0x7fff_ffff;
        this.failSafe = new FailSafe(profile.failsafe(), hbTimeoutMs, now);
        this.pid = new Pid(profile.kp(), profile.ti(), profile.td(), profile.loopMin(), profile.loopMax());
        this.rejects = new RejectLog(zone, LOG);
        this.mode = profile.startMode();
        this.sv = profile.svStart();
        this.switches.putAll(profile.switches());
        readSensors(now);
        control(0.0);
    }

    // ---- link ----------------------------------------------------------------------------------

    /** MQTT connected and subscribed: announce the PLC, then deliver what waited for the link. */
    public void linkUp(long now) {
        failSafe.linkUp(now);
        LOG.info("zone {}: connected (boot {}, {})", zone, boot, failSafe.state().wire());
        outbox.publish(topics.birth(), birth(), 1, true);
        publishStatus();
        while (!eventBacklog.isEmpty()) {
            outbox.publish(topics.event(), eventBacklog.pollFirst(), 1, false);
        }
        teleDue = true;
    }

    public void linkDown(long now) {
        LOG.warn("zone {}: connection to the broker lost", zone);
        apply(() -> failSafe.linkDown(now), now, "");
    }

    // ---- inbound -------------------------------------------------------------------------------

    /** A message on one of the PLC's subscriptions. */
    public void onMessage(String topic, byte[] payload, long now) {
        if (topic.equals(topics.cmd())) {
            onCommand(payload, now);
        } else if (topic.equals(topics.heartbeat())) {
            Validation v = validator.validate(PayloadKind.HEARTBEAT, null, payload);
            if (v.ok()) {
                apply(() -> failSafe.heartbeat(now), now, "heartbeats are back");
            } else {
                rejects.count(v.reason(), "heartbeat: " + v.detail(), now);
            }
        } else if (topic.equals(topics.scadaStatus())) {
            Validation v = validator.validate(PayloadKind.SCADA_STATUS, null, payload);
            if (!v.ok()) {
                rejects.count(v.reason(), "scada status: " + v.detail(), now);
            } else if ("offline".equals(v.payload().get("state").textValue())) {
                apply(() -> failSafe.scadaOffline(now), now, "");
            } else {
                failSafe.scadaOnline(now);
            }
        }
    }

    private void onCommand(byte[] payload, long now) {
        Validation v = validator.validate(PayloadKind.CMD, zone, payload);
        String id = commandId(v.payload());
        if (id == null) {
            // nothing to answer to: count it and move on
            rejects.count(v.ok() ? RejectReason.BAD_VALUE : v.reason(), "cmd: " + (v.ok() ? "no id" : v.detail()), now);
            return;
        }
        byte[] previous = answered.get(id);
        if (previous != null) {
            duplicates++;
            LOG.debug("zone {}: command {} seen again, answered as before", zone, id);
            outbox.publish(topics.ack(), previous, 1, false);
            return;
        }
        Answer answer;
        String op = v.ok() ? v.payload().get("op").textValue() : "";
        if (!v.ok()) {
            rejects.count(v.reason(), "cmd " + id + ": " + v.detail(), now);
            String err = v.reason() == RejectReason.BAD_TYPE ? "bad_type" : "bad_request";
            answer = Answer.refused(err, v.reason().wire() + ": " + v.detail());
        } else {
            answer = switch (op) {
                case "ping" -> Answer.done();
                case "reset" -> reset(now);
                default -> write(v.payload().get("tag").textValue(), v.payload().get("value"), now);
            };
        }
        if (answer.ok()) {
            if (!op.equals("ping")) {
                LOG.info("zone {}: {} done ({})", zone, describe(v.payload()), id);
                teleDue = true;
            }
        } else {
            LOG.info("zone {}: {} refused: {} ({}) ({})", zone, v.ok() ? describe(v.payload()) : "command", answer.err(),
                    answer.msg(), id);
        }
        byte[] ack = ack(id, answer);
        answered.put(id, ack);
        outbox.publish(topics.ack(), ack, 1, false);
    }

    private static String commandId(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            return null;
        }
        JsonNode id = payload.get("id");
        return id != null && id.isTextual() && !id.textValue().isEmpty() ? id.textValue() : null;
    }

    private static String describe(JsonNode cmd) {
        String op = cmd.get("op").textValue();
        return op.equals("write") ? "write " + cmd.get("tag").textValue() + " = " + cmd.get("value") : op;
    }

    private Answer reset(long now) {
        if (failSafe.inFailSafe()) {
            apply(() -> failSafe.reset(now), now, "reset");
            if (failSafe.inFailSafe()) {
                return Answer.refused("failsafe", "cannot leave fail-safe: " + whyStuck(now));
            }
        }
        if (overtemp && !pvBad && pv < profile.overtempTrip() - OVERTEMP_RESET_MARGIN) {
            overtemp = false;
            event("interlock", "overtemp", false, "reset at pv " + format(pv));
            teleDue = true;
        }
        return overtemp
                ? Answer.done("overtemp trip stays until pv < " + format(profile.overtempTrip() - OVERTEMP_RESET_MARGIN))
                : Answer.done();
    }

    private String whyStuck(long now) {
        if (!failSafe.linkIsUp()) {
            return "no link";
        }
        if (failSafe.scadaIsOffline()) {
            return "SCADA is offline";
        }
        return "no heartbeat for " + failSafe.sinceHeartbeat(now) + " ms";
    }

    private Answer write(String name, JsonNode value, long now) {
        TagSpec tag = profile.tag(name).orElse(null);
        if (tag == null) {
            return Answer.refused("unknown_tag", "zone " + zone + " has no tag '" + name + "'");
        }
        if (!tag.rw()) {
            return Answer.refused("read_only", name + " is read-only");
        }
        switch (tag.kind()) {
            case "analog" -> {
                if (!value.isNumber()) {
                    return Answer.refused("bad_type", name + " takes a number, not " + value);
                }
                double x = value.doubleValue();
                if (x < tag.min()) {
                    return Answer.refused("out_of_range", name + " " + value + " < min " + format(tag.min()));
                }
                if (x > tag.max()) {
                    return Answer.refused("out_of_range", name + " " + value + " > max " + format(tag.max()));
                }
            }
            case "bool" -> {
                if (!value.isBoolean()) {
                    return Answer.refused("bad_type", name + " takes true or false, not " + value);
                }
            }
            default -> {
                if (!value.isTextual()) {
                    return Answer.refused("bad_type", name + " takes one of " + tag.values() + ", not " + value);
                }
                if (!tag.values().contains(value.textValue())) {
                    return Answer.refused("out_of_range", name + " " + value + " is not one of " + tag.values());
                }
            }
        }
        if (failSafe.inFailSafe()) {
            return Answer.refused("failsafe", "zone is in fail-safe (" + failSafe.reason() + "); "
                    + (failSafe.policy() == FailSafePolicy.OFF ? "send reset first" : "it leaves when heartbeats return"));
        }
        if (name.equals("sv")) {
            sv = value.doubleValue();
        } else if (name.equals("mode")) {
            setMode(Mode.fromWire(value.textValue()));
        } else if (switches.containsKey(name)) {
            switches.put(name, value.booleanValue());
        } else if (name.equals("pump")) {
            if (mode == Mode.OFF) {
                return Answer.refused("read_only", "pump stays off in mode off");
            }
            pump = value.booleanValue();
        } else {
            boolean on = value.booleanValue();
            if (mode != Mode.MANUAL) {
                return Answer.refused("read_only", name + " follows mode " + mode.wire() + "; set mode manual to drive it");
            }
            if (on && heaterBlocked()) {
                return Answer.refused("interlocked", name + " blocked by " + blockingInterlock());
            }
            manualOut = on ? profile.actuator().fullOutput() : 0.0;
        }
        return Answer.done();
    }

    private void setMode(Mode next) {
        if (next == mode) {
            return;
        }
        if (next == Mode.MANUAL) {
            manualOut = out; // bumpless auto -> manual: hold what the loop was giving
        } else if (next == Mode.OFF) {
            manualOut = 0.0;
            pump = false;
        }
        // off/manual -> auto is bumpless because the loop tracks the applied output meanwhile
        mode = next;
    }

    // ---- scan ----------------------------------------------------------------------------------

    /** One PLC scan: fail-safe clock, probe, interlocks, loop, telemetry. */
    public void scan(long now, double plantSeconds) {
        apply(() -> failSafe.tick(now), now, "");
        readSensors(now);
        checkInterlocks();
        control(plantSeconds);
        if (nextPeriodicTele == Long.MIN_VALUE) {
            // Real PLCs boot at different moments and keep their own period; event-driven messages do not move it.
            // Otherwise every simulated PLC that leaves fail-safe on the same heartbeat reports in step for ever.
            nextPeriodicTele = now + (long) (random.nextDouble() * periodMs);
        }
        boolean periodic = now >= nextPeriodicTele;
        if (periodic) {
            nextPeriodicTele = nextPeriodicTele + periodMs > now ? nextPeriodicTele + periodMs : now + periodMs;
        }
        if (teleDue || periodic || lastTele == Long.MIN_VALUE) {
            publishTele(now);
        }
        rejects.flushIfDue(now);
    }

    private void readSensors(long now) {
        double raw = vessel.probe().read(random);
        boolean bad = raw == -127.0
                || raw < profile.pvMin() - 10 || raw > profile.pvMax() + 10
                // 85.0 is a DS18B20's power-on value: a fault unless the liquid really is about there
                || (raw == 85.0 && (Double.isNaN(lastGoodPv) || Math.abs(lastGoodPv - 85.0) > 10));
        if (bad != pvBad) {
            pvBad = bad;
            if (bad) {
                LOG.warn("zone {}: pv probe fault, reads {}", zone, format(raw));
            } else {
                LOG.info("zone {}: pv probe reads again: {}", zone, format(raw));
            }
            event("sensor", "pv", bad, bad ? "probe reads " + format(raw) : "probe reads again: " + format(raw));
            teleDue = true;
        }
        if (!bad) {
            pv = raw;
            lastGoodPv = raw;
        } else {
            pv = Double.NaN;
        }
        level = vessel.levelPercent();
    }

    private void checkInterlocks() {
        if (profile.actuator() != Actuator.HEATER) {
            return;
        }
        boolean wasBlocked = heaterBlocked();
        if (profile.hasLevel()) {
            if (!lowLevel && level < LOW_LEVEL_TRIP) {
                lowLevel = true;
                interlock("low_level", true, "level " + format(level) + " % < " + format(LOW_LEVEL_TRIP) + " %");
            } else if (lowLevel && level >= LOW_LEVEL_CLEAR) {
                lowLevel = false;
                interlock("low_level", false, "level " + format(level) + " % >= " + format(LOW_LEVEL_CLEAR) + " %");
            }
        }
        if (profile.hasOvertempTrip() && !overtemp && !pvBad && pv >= profile.overtempTrip()) {
            overtemp = true;
            interlock("overtemp", true, "pv " + format(pv) + " >= trip " + format(profile.overtempTrip()));
        }
        if (!wasBlocked && heaterBlocked()) {
            // heat never comes back by itself in manual: the operator switches it on again
            manualOut = Math.min(manualOut, 0.0);
        }
    }

    private void interlock(String code, boolean active, String msg) {
        if (active) {
            LOG.warn("zone {}: interlock {} tripped: {}", zone, code, msg);
        } else {
            LOG.info("zone {}: interlock {} cleared: {}", zone, code, msg);
        }
        event("interlock", code, active, msg);
        teleDue = true;
    }

    private boolean heaterBlocked() {
        return profile.actuator() == Actuator.HEATER && (lowLevel || overtemp || pvBad);
    }

    private String blockingInterlock() {
        return overtemp ? "overtemp" : lowLevel ? "low_level" : "pv probe fault";
    }

    private void control(double plantSeconds) {
        double demand = switch (mode) {
            case OFF -> 0.0;
            case MANUAL -> manualOut;
            case AUTO -> pvBad ? 0.0 : pid.update(sv, pv, plantSeconds);
        };
        if (failSafe.inFailSafe() && failSafe.policy() == FailSafePolicy.OFF) {
            demand = 0.0;
        }
        double applied = demand > 0 && heaterBlocked() ? 0.0 : demand;
        if (mode != Mode.AUTO || applied != demand || pvBad) {
            pid.track(applied, sv, pv);
        }
        out = applied;
        vessel.setHeater(Math.max(0.0, out) / 100.0);
        vessel.setCooling(Math.max(0.0, -out) / 100.0);
        if (profile.hasPump()) {
            vessel.setFlow(pump);
        }
    }

    /** Runs a fail-safe input and reacts if the state changed. */
    private void apply(Runnable input, long now, String howLeft) {
        FailSafe.State before = failSafe.state();
        String reasonBefore = failSafe.reason();
        input.run();
        if (failSafe.state() == before) {
            return;
        }
        if (failSafe.inFailSafe()) {
            String reason = failSafe.reason();
            String msg;
            if (failSafe.policy() == FailSafePolicy.OFF) {
                mode = Mode.OFF;
                manualOut = 0.0;
                pump = false;
                switches.replaceAll((k, v) -> false);
                control(0.0);
                msg = "outputs off; reset needed";
            } else {
                msg = "holding mode " + mode.wire() + " at sv " + format(sv);
            }
            LOG.warn("zone {}: fail-safe ({}): {}", zone, reason, msg);
            event("failsafe", reason, true, msg);
        } else {
            LOG.info("zone {}: fail-safe left ({})", zone, howLeft);
            event("failsafe", reasonBefore, false, "online again: " + howLeft);
        }
        publishStatus();
        teleDue = true;
    }

    // ---- outbound ------------------------------------------------------------------------------

    private void publishTele(long now) {
        lastTele = now;
        teleDue = false;
        if (failSafe.linkIsUp()) {
            outbox.publish(topics.tele(), tele(), 0, false);
        }
    }

    private void publishStatus() {
        if (failSafe.linkIsUp()) {
            outbox.publish(topics.status(), status(), 1, true);
        }
    }

    private void event(String kind, String code, boolean active, String msg) {
        ObjectNode e = json.payload();
        e.put("boot", boot).put("seq", ++seq).put("t", epochMs.getAsLong());
        e.put("kind", kind).put("code", code).put("active", active);
        if (msg != null && !msg.isEmpty()) {
            e.put("msg", msg);
        }
        byte[] bytes = json.bytes(e);
        if (failSafe.linkIsUp() && outbox.publish(topics.event(), bytes, 1, false)) {
            return;
        }
        if (eventBacklog.size() == EVENT_BACKLOG) {
            eventBacklog.pollFirst();
            droppedEvents++;
        }
        eventBacklog.addLast(bytes);
    }

    byte[] birth() {
        ObjectNode b = json.payload();
        b.put("zone", zone).put("type", profile.type()).put("fw", FW).put("hw", HW).put("boot", boot);
        b.put("failsafe", profile.failsafe().wire()).put("period_ms", periodMs);
        ArrayNode tags = b.putArray("tags");
        for (TagSpec tag : profile.tags()) {
            ObjectNode t = tags.addObject().put("name", tag.name()).put("kind", tag.kind());
            if (tag.unit() != null) {
                t.put("unit", tag.unit());
            }
            if (tag.min() != null) {
                Json.putNumber(t, "min", tag.min());
            }
            if (tag.max() != null) {
                Json.putNumber(t, "max", tag.max());
            }
            if (!tag.values().isEmpty()) {
                tag.values().forEach(t.putArray("values")::add);
            }
            t.put("rw", tag.rw());
        }
        return json.bytes(b);
    }

    byte[] status() {
        ObjectNode s = json.payload().put("state", failSafe.state().wire()).put("boot", boot);
        if (failSafe.inFailSafe()) {
            s.put("reason", failSafe.reason());
        }
        return json.bytes(s);
    }

    byte[] tele() {
        ObjectNode t = json.payload().put("boot", boot).put("seq", ++seq).put("t", epochMs.getAsLong());
        ObjectNode tags = t.putObject("tags");
        Json.putRounded(tags, "pv", pv, 2);
        Json.putRounded(tags, "sv", sv, 2);
        Json.putRounded(tags, "out", out, 1);
        tags.put("mode", mode.wire());
        // on as the operator sees it: a valve at 0.0 % is shown shut
        tags.put(profile.actuator().tag(), profile.actuator().isOnAt(Json.round(out, 1)));
        if (profile.hasPump()) {
            tags.put("pump", pump);
        }
        if (profile.hasLevel()) {
            Json.putRounded(tags, "level", level, 1);
        }
        if (profile.hasLevelSwitch()) {
            tags.put("level_switch", level >= LEVEL_SWITCH);
        }
        switches.forEach(tags::put);
        if (pvBad) {
            t.putArray("bad").add("pv");
        }
        return json.bytes(t);
    }

    private byte[] ack(String id, Answer answer) {
        ObjectNode a = json.payload().put("id", id).put("ok", answer.ok());
        if (!answer.ok()) {
            a.put("err", answer.err());
        }
        if (answer.msg() != null) {
            a.put("msg", answer.msg());
        }
        return json.bytes(a);
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return Long.toString((long) value);
        }
        return Double.toString(Math.round(value * 100) / 100.0);
    }

    // ---- what the simulator and tests look at --------------------------------------------------

    public String zone() {
        return zone;
    }

    public ZoneProfile profile() {
        return profile;
    }

    public Vessel vessel() {
        return vessel;
    }

    public Topics topics() {
        return topics;
    }

    public int boot() {
        return boot;
    }

    public Mode mode() {
        return mode;
    }

    public double sv() {
        return sv;
    }

    public double out() {
        return out;
    }

    /** The last good probe reading, {@code NaN} while the probe is faulty. */
    public double pv() {
        return pv;
    }

    public FailSafe.State state() {
        return failSafe.state();
    }

    public String failSafeReason() {
        return failSafe.reason();
    }

    public boolean interlockActive(String code) {
        return switch (code) {
            case "overtemp" -> overtemp;
            case "low_level" -> lowLevel;
            default -> false;
        };
    }

    /** An on/off output of {@link ZoneProfile#switches()}, {@code null} when the zone has none of that name. */
    public Boolean switchState(String name) {
        return switches.get(name);
    }

    public long duplicateCommands() {
        return duplicates;
    }

    public long droppedEvents() {
        return droppedEvents;
    }

    /** Rejected inbound payloads per reason since power-up. */
    public Map<String, Long> rejected() {
        return rejects.totals();
    }

    /** The answer to one command. */
    private record Answer(boolean ok, String err, String msg) {

        static Answer done() {
            return new Answer(true, null, null);
        }

        static Answer done(String msg) {
            return new Answer(true, null, msg);
        }

        static Answer refused(String err, String msg) {
            return new Answer(false, err, msg);
        }
    }
}
