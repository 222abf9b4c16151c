package org.brewpi.zone.mqtt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.mqtt.MqttTransport;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneDefinition;
import org.brewpi.api.zone.ZoneDriver;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneInfo;
import org.brewpi.api.zone.ZoneListener;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.protocol.Messages;
import org.brewpi.protocol.ProtocolCodec;
import org.brewpi.protocol.ProtocolException;
import org.brewpi.protocol.Reject;
import org.brewpi.protocol.Topics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zone driver for PLCs that speak docs/protocol.md over MQTT. It owns the zones configured with
 * {@code driver = mqtt}, keeps their live tag table, sends the SCADA heartbeat and status, and carries
 * commands, reporting each as done only on the PLC's ack.
 */
@Component(service = { ZoneDriver.class, HealthContributor.class }, configurationPid = "brewpi.zone.mqtt",
        property = ZoneDriver.DRIVER_ID + "=" + MqttZoneDriver.ID)
@Designate(ocd = DriverConfig.class)
public class MqttZoneDriver implements ZoneDriver, HealthContributor {

    static final String ID = "mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttZoneDriver.class);
    private static final int MAX_UNKNOWN_KEYS = 64;

    private final MqttTransport transport;
    private final ProtocolCodec codec = new ProtocolCodec();
    private final Topics topics;
    private final long commandTimeoutMs;
    private final ScheduledExecutorService timer;
    private final RateLimitedLog rejectLog = new RateLimitedLog(LOG, 60_000, System::currentTimeMillis);

    /** Guards the trackers: every change to the live table happens under it, in arrival order. */
    private final Object lock = new Object();
    private final Map<String, ZoneTracker> zones = new LinkedHashMap<>();
    private final Map<String, Long> unknownZones = new TreeMap<>();
    /**
     * Zones whose configuration went away a moment ago, with the time it did. Editing a zone's file (the broker
     * hashing its password, an integrator changing the label) re-creates its configuration: the zone comes back
     * at once, and must keep what its PLC told us, because a PLC that stays connected never sends its birth again.
     */
    private final Map<String, Retired> retired = new LinkedHashMap<>();

    private record Retired(ZoneTracker tracker, long at) {
    }

    /** How long a removed zone's state is kept for its configuration to come back. */
    static final long RECONFIGURE_GRACE_MS = 10_000;
    private final Map<String, Long> badTopics = new TreeMap<>();

    private final List<ZoneListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong heartbeatSeq = new AtomicLong();
    private final AtomicLong commandsSent = new AtomicLong();
    private final AtomicLong commandsTimedOut = new AtomicLong();
    private final AtomicLong lateAcks = new AtomicLong();
    private AutoCloseable subscription;

    private record Pending(Command command, CompletableFuture<CommandResult> result, long sentAt,
            ScheduledFuture<?> timeout) {
    }

    @Activate
    public MqttZoneDriver(@Reference MqttTransport transport, DriverConfig config) {
        this.transport = transport;
        this.topics = new Topics(config.topic_root());
        this.commandTimeoutMs = config.command_timeout_ms();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brewpi-zone-mqtt");
            t.setDaemon(true);
            return t;
        });
        subscription = transport.subscribe(topics.allZones(), this::message);
        transport.publish(topics.scadaStatus(), codec.encodeScadaStatus(true), 1, true);
        timer.scheduleAtFixedRate(this::heartbeat, 0, config.heartbeat_ms(), TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(this::checkStale, 250, 250, TimeUnit.MILLISECONDS);
        LOG.info("MQTT zone driver up on {}/#", topics.root());
    }

    @Deactivate
    void deactivate() {
        // Tell the PLCs the SCADA is gone: they enter fail-safe at once instead of waiting for the timeout.
        try {
            transport.publish(topics.scadaStatus(), codec.encodeScadaStatus(false), 1, true);
        } catch (RuntimeException e) {
            LOG.warn("Could not publish SCADA offline status: {}", e.toString());
        }
        closeQuietly(subscription);
        timer.shutdownNow();
        pending.values().forEach(p -> p.result().complete(result(p, Outcome.NOT_SENT, "stopped",
                "the zone driver stopped before the PLC answered")));
        pending.clear();
    }

    // ---- zones and listeners

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(|(!(driver=*))(driver=" + ID + "))")
    void addZone(ZoneDefinition zone) {
        if (!Topics.ZONE_ID.matcher(zone.id()).matches()) {
            LOG.error("Zone id '{}' breaks {}; zone ignored", zone.id(), Topics.ZONE_ID.pattern());
            return;
        }
        if (!ID.equals(zone.driver())) {
            return;
        }
        ZoneSnapshot snapshot;
        synchronized (lock) {
            Retired before = retired.remove(zone.id());
            boolean recent = before != null && System.currentTimeMillis() - before.at() < RECONFIGURE_GRACE_MS;
            snapshot = zones.computeIfAbsent(zone.id(), id -> recent ? before.tracker() : new ZoneTracker(id, ID))
                    .snapshot();
            unknownZones.remove(zone.id());
        }
        LOG.info("Zone {} ({}) configured", zone.id(), zone.type());
        notifyZone(snapshot);
    }

    void removeZone(ZoneDefinition zone) {
        synchronized (lock) {
            ZoneTracker tracker = zones.remove(zone.id());
            long now = System.currentTimeMillis();
            retired.values().removeIf(r -> now - r.at() >= RECONFIGURE_GRACE_MS);
            if (tracker != null) {
                retired.put(zone.id(), new Retired(tracker, now));
            }
        }
        LOG.info("Zone {} removed from configuration", zone.id());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ZoneListener listener) {
        listeners.add(listener);
    }

    void removeListener(ZoneListener listener) {
        listeners.remove(listener);
    }

    // ---- what the PLCs send

    /** Called on the transport's thread for every message under {root}/+/+. */
    void message(String topic, byte[] payload, String clientId) {
        long now = System.currentTimeMillis();
        if (topic.startsWith(topics.root() + "/scada/")) {
            return; // our own heartbeat and status, echoed back
        }
        Topics.Parsed parsed = topics.parse(topic);
        if (parsed == null || parsed.kind() == Topics.Kind.CMD) {
            if (parsed == null) {
                countBounded(badTopics, topic);
                rejectLog.warn("topic:" + topic, "Rejected message on {}: not a protocol topic", topic);
            }
            return; // our own commands echo back when the transport is a client: not for us
        }
        try {
            handle(parsed, payload, now);
        } catch (ProtocolException e) {
            synchronized (lock) {
                ZoneTracker zone = tracker(parsed.zone());
                if (zone != null) {
                    zone.reject(e.reason().code());
                }
            }
            rejectLog.warn(parsed.zone() + ":" + e.reason(), "Rejected {} from zone {}: {} ({})", parsed.kind().suffix(),
                    parsed.zone(), e.reason().code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Message on {} could not be handled", topic, e); // a bug of ours: loud, but never fatal
        }
    }

    private void handle(Topics.Parsed parsed, byte[] payload, long now) throws ProtocolException {
        synchronized (lock) {
            if (tracker(parsed.zone()) == null) {
                countBounded(unknownZones, parsed.zone());
                throw new ProtocolException(Reject.UNKNOWN_ZONE, "no configuration for this zone");
            }
        }
        switch (parsed.kind()) {
            case BIRTH -> birth(parsed.zone(), codec.birth(parsed.zone(), payload), now);
            case STATUS -> status(parsed.zone(), codec.status(payload), now);
            case TELE -> telemetry(parsed.zone(), codec.telemetry(payload), now);
            case ACK -> ack(parsed.zone(), codec.ack(payload), now);
            case EVENT -> event(parsed.zone(), codec.event(payload), now);
            default -> throw new IllegalStateException(parsed.kind().toString());
        }
    }

    /**
     * The zone's tracker, also while its configuration is being re-created (under {@link #lock}): what its PLC says
     * in that moment - the will of a simulated PLC switched off by the same edit, say - is kept, not refused.
     */
    private ZoneTracker tracker(String zoneId) {
        ZoneTracker zone = zones.get(zoneId);
        if (zone != null) {
            return zone;
        }
        Retired r = retired.get(zoneId);
        return r != null && System.currentTimeMillis() - r.at() < RECONFIGURE_GRACE_MS ? r.tracker() : null;
    }

    private void birth(String zoneId, ZoneInfo info, long now) {
        ZoneSnapshot snapshot;
        synchronized (lock) {
            ZoneTracker zone = tracker(zoneId);
            if (zone == null) {
                return;
            }
            zone.birth(info, now);
            snapshot = zone.snapshot();
        }
        LOG.info("Zone {} birth: {} fw {} on {}, boot {}, {} tags, fail-safe {}", zoneId, info.type(), info.firmware(),
                info.hardware(), info.boot(), info.tags().size(), info.failsafePolicy());
        notifyZone(snapshot);
    }

    private void status(String zoneId, Messages.Status status, long now) {
        List<TagValue> changed;
        ZoneSnapshot snapshot;
        ZoneState before;
        synchronized (lock) {
            ZoneTracker zone = tracker(zoneId);
            if (zone == null) {
                return;
            }
            before = zone.state();
            changed = zone.status(status, now);
            snapshot = zone.snapshot();
        }
        if (before != status.state()) {
            LOG.info("Zone {} is {}{}", zoneId, status.state().wire(), status.reason() == null ? "" : " (" + status.reason() + ")");
        }
        if (status.state() == ZoneState.OFFLINE) {
            failPendingFor(zoneId, "offline", "the PLC went offline before answering");
        }
        notifyTags(changed);
        notifyZone(snapshot);
    }

    private void telemetry(String zoneId, Messages.Telemetry tele, long now) {
        List<TagValue> samples;
        synchronized (lock) {
            ZoneTracker zone = tracker(zoneId);
            if (zone == null) {
                return;
            }
            samples = zone.telemetry(tele, now);
        }
        notifyTags(samples);
    }

    private void event(String zoneId, Messages.Event e, long now) {
        synchronized (lock) {
            ZoneTracker zone = tracker(zoneId);
            if (zone == null || !zone.event(e.boot(), e.seq(), now)) {
                return;
            }
        }
        ZoneEvent event = new ZoneEvent(zoneId, e.boot(), e.seq(), e.time(), now, e.kind(), e.code(), e.active(), e.msg());
        LOG.info("Zone {} event {} {} {}{}", zoneId, e.kind(), e.code(), e.active() ? "active" : "cleared",
                e.msg() == null ? "" : ": " + e.msg());
        for (ZoneListener listener : listeners) {
            try {
                listener.event(event);
            } catch (RuntimeException ex) {
                LOG.error("Listener {} failed on an event", listener, ex);
            }
        }
    }

    private void ack(String zoneId, Messages.Ack ack, long now) {
        Pending p = pending.get(ack.id());
        if (p == null || !p.command().zone().equals(zoneId)) {
            lateAcks.incrementAndGet();
            LOG.info("Ack {} from zone {} matches no waiting command (late or not ours)", ack.id(), zoneId);
            return;
        }
        if (pending.remove(ack.id(), p)) {
            p.timeout().cancel(false);
            Outcome outcome = ack.ok() ? Outcome.DONE : Outcome.REFUSED;
            p.result().complete(new CommandResult(p.command(), outcome, ack.ok() ? null : ack.err(), ack.msg(), p.sentAt(), now));
        }
    }

    // ---- what the SCADA sends

    @Override
    public CompletionStage<CommandResult> send(Command command) {
        long now = System.currentTimeMillis();
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        ZoneState state;
        synchronized (lock) {
            ZoneTracker zone = zones.get(command.zone());
            state = zone == null ? null : zone.state();
        }
        if (state == null) {
            return CompletableFuture.completedFuture(new CommandResult(command, Outcome.NOT_SENT, "unknown_zone",
                    "zone " + command.zone() + " is not driven by " + ID, now, now));
        }
        if (state == ZoneState.OFFLINE) {
            return CompletableFuture.completedFuture(new CommandResult(command, Outcome.NOT_SENT, "offline",
                    "zone " + command.zone() + " is offline", now, now));
        }
        if (!transport.connected()) {
            return CompletableFuture.completedFuture(new CommandResult(command, Outcome.NOT_SENT, "no_broker",
                    "the MQTT broker is not reachable", now, now));
        }
        ScheduledFuture<?> timeout = timer.schedule(() -> timeOut(command.id()), commandTimeoutMs, TimeUnit.MILLISECONDS);
        Pending p = new Pending(command, result, now, timeout);
        if (pending.putIfAbsent(command.id(), p) != null) {
            timeout.cancel(false);
            throw new IllegalArgumentException("command id " + command.id() + " is already waiting for an ack");
        }
        try {
            transport.publish(topics.zone(command.zone(), Topics.Kind.CMD),
                    codec.encodeCmd(new Messages.Cmd(command.id(), command.op(), command.tag(), command.value())), 1, false);
            commandsSent.incrementAndGet();
        } catch (RuntimeException e) {
            pending.remove(command.id());
            timeout.cancel(false);
            result.complete(result(p, Outcome.NOT_SENT, "no_broker", "publish failed: " + e.getMessage()));
        }
        return result;
    }

    private void timeOut(String id) {
        Pending p = pending.remove(id);
        if (p != null) {
            commandsTimedOut.incrementAndGet();
            LOG.warn("Command {} to zone {} got no ack within {} ms", id, p.command().zone(), commandTimeoutMs);
            p.result().complete(result(p, Outcome.TIMEOUT, "timeout", "no answer from the PLC within " + commandTimeoutMs + " ms"));
        }
    }

    private void failPendingFor(String zoneId, String error, String message) {
        for (Pending p : new ArrayList<>(pending.values())) {
            if (p.command().zone().equals(zoneId) && pending.remove(p.command().id(), p)) {
                p.timeout().cancel(false);
                // It was published: the PLC may have acted before it died, so this is a timeout, not "not sent".
                p.result().complete(result(p, Outcome.TIMEOUT, error, message));
            }
        }
    }

    private static CommandResult result(Pending p, Outcome outcome, String error, String message) {
        return new CommandResult(p.command(), outcome, error, message, p.sentAt(), System.currentTimeMillis());
    }

    private void heartbeat() {
        try {
            transport.publish(topics.heartbeat(),
                    codec.encodeHeartbeat(new Messages.Heartbeat(heartbeatSeq.incrementAndGet(), System.currentTimeMillis())),
                    0, false);
        } catch (RuntimeException e) {
            LOG.debug("Heartbeat not sent: {}", e.toString());
        }
    }

    private void checkStale() {
        long now = System.currentTimeMillis();
        List<TagValue> changed = new ArrayList<>();
        synchronized (lock) {
            for (ZoneTracker zone : zones.values()) {
                changed.addAll(zone.checkStale(now));
            }
        }
        notifyTags(changed);
    }

    // ---- the live table

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Collection<ZoneSnapshot> zones() {
        synchronized (lock) {
            return zones.values().stream().map(ZoneTracker::snapshot).toList();
        }
    }

    @Override
    public Optional<ZoneSnapshot> zone(String zoneId) {
        synchronized (lock) {
            return Optional.ofNullable(zones.get(zoneId)).map(ZoneTracker::snapshot);
        }
    }

    private void notifyTags(List<TagValue> values) {
        if (values.isEmpty()) {
            return;
        }
        for (ZoneListener listener : listeners) {
            try {
                listener.tagsChanged(values);
            } catch (RuntimeException e) {
                LOG.error("Listener {} failed on tag changes", listener, e);
            }
        }
    }

    private void notifyZone(ZoneSnapshot snapshot) {
        for (ZoneListener listener : listeners) {
            try {
                listener.zoneChanged(snapshot);
            } catch (RuntimeException e) {
                LOG.error("Listener {} failed on a zone change", listener, e);
            }
        }
    }

    private static void countBounded(Map<String, Long> counts, String key) {
        String bounded = counts.size() >= MAX_UNKNOWN_KEYS && !counts.containsKey(key) ? "(others)" : key;
        counts.merge(bounded, 1L, Long::sum);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("close failed: {}", e.toString());
            }
        }
    }

    // ---- health

    @Override
    public String name() {
        return "zones.mqtt";
    }

    @Override
    public Status status() {
        return transport.connected() ? Status.UP : Status.DOWN;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("transportConnected", transport.connected());
        d.put("commandsSent", commandsSent.get());
        d.put("commandsWaiting", pending.size());
        d.put("commandsTimedOut", commandsTimedOut.get());
        d.put("lateAcks", lateAcks.get());
        Map<String, Object> rejects = new LinkedHashMap<>();
        long total = 0;
        synchronized (lock) {
            for (ZoneTracker zone : zones.values()) {
                var counters = zone.counters();
                rejects.put(zone.id(), counters.rejects());
                total += counters.rejectTotal();
            }
            d.put("unknownZones", new HashMap<>(unknownZones));
            d.put("badTopics", new HashMap<>(badTopics));
            total += unknownZones.values().stream().mapToLong(Long::longValue).sum();
            total += badTopics.values().stream().mapToLong(Long::longValue).sum();
        }
        d.put("rejects", rejects);
        d.put("rejectsTotal", total);
        return d;
    }
}
