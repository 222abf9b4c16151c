package org.brewpi.plant;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandGate;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.security.Access;
import org.brewpi.api.security.AccessPolicy;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Role;
import org.brewpi.api.zone.ZoneDriver;
import org.brewpi.api.zone.ZoneSnapshot;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way in for writes to the plant. Each command gets an id unique for this SCADA boot, is checked
 * (the user's role first, then the guards - interlocks, emergency stop -, then the tag and its limits), written
 * to the audit trail, and only then handed to the zone's driver; its outcome is audited too. A refusal is
 * audited like any other request. Forcing writes (origin {@code interlock} or {@code estop}) put the plant in a
 * safe state: they skip the role check and the guards, go out first and are recorded right after.
 * <p>
 * What may be recorded after the fact - a forcing write's request, every command's outcome - is recorded on the
 * gate's own thread, in the order it happened: the thread that sent a forcing write (a driver delivering the
 * telemetry that tripped an interlock) or that completes a command (a driver delivering the PLC's ack) never
 * waits for the disk. Without an audit trail or a user directory the gate does not run: no write without its
 * record and its role.
 */
@Component(service = { CommandGate.class, HealthContributor.class }, configurationPid = GateConfig.PID)
@Designate(ocd = GateConfig.class)
public class PlantCommandGate implements CommandGate, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(PlantCommandGate.class);
    private static final int JOURNAL_SIZE = 200;

    private final List<ZoneDriver> drivers = new CopyOnWriteArrayList<>();
    /** A random prefix per boot: a PLC that remembers ids from our previous run never mistakes a new command for a resend. */
    private final String bootPrefix = String.format("c-%04x-", new SecureRandom().nextInt(0x10000));
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Outcome, AtomicLong> outcomes = new LinkedHashMap<>();
    private final Deque<CommandResult> journal = new ArrayDeque<>();
    private final AtomicLong unauditedForcing = new AtomicLong();

    private final AuditTrail audit;
    private final AccessPolicy access;
    private final Guards guards = new Guards();
    /** Records in arrival order; when its queue is full, or once stopped, the caller records itself (never lost). */
    private final ThreadPoolExecutor recorder = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "brewpi-gate-records");
                t.setDaemon(true);
                return t;
            }, (task, pool) -> task.run());

    @Activate
    public PlantCommandGate(@Reference AuditTrail audit, @Reference AccessPolicy access, GateConfig config) {
        this(audit, access, requiredGuards(config));
    }

    /** @param requiredGuards the guards without which only forcing writes go out */
    public PlantCommandGate(AuditTrail audit, AccessPolicy access, Set<String> requiredGuards) {
        this.audit = audit;
        this.access = access;
        guards.require(requiredGuards);
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new AtomicLong());
        }
        LOG.info("Command gate up; required guards {}", requiredGuards);
    }

    /**
     * Waits until the records queued so far are written (tests; what the audit trail shows after a trip).
     *
     * @return false if they were not within the time
     */
    public boolean awaitRecords(long timeoutMs) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        recorder.execute(done::countDown);
        return done.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Records already queued are still written. */
    @Deactivate
    public void stop() {
        recorder.shutdown();
    }

    @Modified
    void modified(GateConfig config) {
        Set<String> required = requiredGuards(config);
        guards.require(required);
        LOG.info("Command gate: required guards now {}", required);
    }

    static Set<String> requiredGuards(GateConfig config) {
        Set<String> names = new TreeSet<>();
        for (String v : config.required_guards() == null ? new String[0] : config.required_guards()) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    names.add(part.trim());
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addGuard(CommandGuard guard, Map<String, Object> properties) {
        guards.add(guard, properties.get(CommandGuard.GUARD_NAME));
    }

    public void removeGuard(CommandGuard guard, Map<String, Object> properties) {
        guards.remove(guard);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addDriver(ZoneDriver driver) {
        drivers.add(driver);
    }

    public void removeDriver(ZoneDriver driver) {
        drivers.remove(driver);
    }

    @Override
    public CompletionStage<CommandResult> submit(Command request) {
        long now = System.currentTimeMillis();
        Command command = request.withId(bootPrefix + String.format("%06d", sequence.incrementAndGet()));
        ZoneDriver driver = null;
        ZoneSnapshot zone = null;
        for (ZoneDriver d : drivers) {
            var z = d.zone(command.zone());
            if (z.isPresent()) {
                driver = d;
                zone = z.get();
                break;
            }
        }
        String oldValue = oldValue(command, zone);
        boolean forcing = CommandCheck.isForcing(command);
        CommandCheck.Refusal refusal = forcing ? null : CommandCheck.checkRole(command, access);
        if (refusal == null && !forcing) {
            refusal = guards.check(command);
        }
        if (refusal == null) {
            refusal = CommandCheck.check(command, zone);
        }
        if (forcing && refusal == null) {
            // A forcing write makes the plant safe: it goes out at once and is recorded by the recorder thread, so a
            // trip never waits for the disk (and goes out even when the audit trail cannot record it). Its record is
            // queued before it is sent, so that its outcome (an ack may come at once) is recorded after it.
            AuditEntry entry = request(command, oldValue, null);
            recorder.execute(() -> {
                try {
                    audit.append(entry);
                } catch (RuntimeException e) {
                    unauditedForcing.incrementAndGet();
                    LOG.error("Forcing write {} sent WITHOUT its audit entry: {}", command.id(), e.getMessage());
                }
            });
            return send(driver, command, now);
        }
        try {
            audit.append(request(command, oldValue, refusal));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(record(new CommandResult(command, Outcome.NOT_SENT,
                    "audit_unavailable", "the audit trail cannot record it, so it is not sent: " + e.getMessage(), now,
                    now), false));
        }
        if (refusal != null) {
            return CompletableFuture.completedFuture(
                    record(new CommandResult(command, Outcome.REJECTED, refusal.error(), refusal.message(), now, now), false));
        }
        return send(driver, command, now);
    }

    private static AuditEntry request(Command command, String oldValue, CommandCheck.Refusal refusal) {
        return AuditEntry.of(actor(command), command.origin(), "command." + command.op(), target(command), oldValue,
                text(command.value()), refusal == null ? "id " + command.id()
                        : "id " + command.id() + " refused: " + refusal.error() + " - " + refusal.message());
    }

    /** The outcome is recorded (and the returned stage completes) on the recorder thread. */
    private CompletionStage<CommandResult> send(ZoneDriver driver, Command command, long now) {
        CompletionStage<CommandResult> sent;
        try {
            sent = driver.send(command);
        } catch (RuntimeException e) {
            sent = CompletableFuture.completedFuture(new CommandResult(command, Outcome.NOT_SENT, "driver_error",
                    "the " + driver.id() + " driver failed: " + e.getMessage(), now, System.currentTimeMillis()));
        }
        // logged once it is out: a console slow to take the line does not hold up the write
        LOG.info("Command {} by {} via {}: {} {}{}", command.id(), command.user(), command.origin(), command.zone(),
                command.op(), Command.WRITE.equals(command.op()) ? " " + command.tag() + " = " + command.value() : "");
        return sent.thenApplyAsync(result -> record(result, true), recorder);
    }

    /** @param auditOutcome whether the outcome still needs its own audit entry (sent commands) */
    private CommandResult record(CommandResult result, boolean auditOutcome) {
        if (auditOutcome) {
            Command c = result.command();
            try {
                audit.append(AuditEntry.of(actor(c), c.origin(), "command.outcome", target(c), null, text(c.value()),
                        "id " + c.id() + ": " + result.outcome() + (result.error() == null ? "" : " " + result.error())
                                + (result.message() == null ? "" : " - " + result.message())));
            } catch (RuntimeException e) {
                LOG.error("Outcome of command {} not audited: {}", c.id(), e.getMessage());
            }
        }
        outcomes.get(result.outcome()).incrementAndGet();
        synchronized (journal) {
            journal.addFirst(result);
            while (journal.size() > JOURNAL_SIZE) {
                journal.removeLast();
            }
        }
        Command c = result.command();
        if (result.outcome() == Outcome.DONE) {
            LOG.info("Command {} done in {} ms", c.id(), result.answeredAt() - result.submittedAt());
        } else {
            LOG.warn("Command {} ({} {} {}) {}: {} - {}", c.id(), c.zone(), c.op(), c.tag() == null ? "" : c.tag(),
                    result.outcome(), result.error(), result.message());
        }
        return result;
    }

    private static String actor(Command c) {
        return c.user() == null || c.user().isBlank() ? "unknown" : c.user();
    }

    private static String target(Command c) {
        return c.tag() == null ? c.zone() : c.zone() + "." + c.tag();
    }

    private static String oldValue(Command c, ZoneSnapshot zone) {
        if (zone == null || c.tag() == null) {
            return null;
        }
        var tag = zone.tags().get(c.tag());
        return tag == null ? null : text(tag.value());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    @Override
    public String name() {
        return "commands";
    }

    /** DEGRADED while a required guard is missing: only forcing writes go out. */
    @Override
    public Status status() {
        return guards.missing().isEmpty() && unauditedForcing.get() == 0 ? Status.UP : Status.DEGRADED;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        outcomes.forEach((o, n) -> d.put(o.name().toLowerCase(), n.get()));
        d.put("guards", guards.present());
        d.put("requiredGuards", guards.required());
        d.put("missingGuards", guards.missing());
        d.put("unauditedForcingWrites", unauditedForcing.get());
        List<Map<String, Object>> recent = new ArrayList<>();
        synchronized (journal) {
            journal.stream().limit(20).forEach(r -> {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", r.command().id());
                line.put("zone", r.command().zone());
                line.put("op", r.command().op());
                line.put("tag", r.command().tag());
                line.put("value", r.command().value());
                line.put("origin", r.command().origin());
                line.put("user", r.command().user());
                line.put("outcome", r.outcome().name());
                line.put("error", r.error());
                line.put("at", r.submittedAt());
                recent.add(line);
            });
        }
        d.put("recent", recent);
        return d;
    }
}
