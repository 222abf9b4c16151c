package org.brewpi.interlocks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandGate;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.interlock.GuardRefusal;
import org.brewpi.api.interlock.Interlock;
import org.brewpi.api.interlock.InterlockService;
import org.brewpi.api.security.AccessPolicy;
import org.brewpi.api.security.Signature;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneListener;
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
 * The interlock engine. Plant data is judged on the thread that delivers it (a driver's): the rules that read the
 * zone are evaluated in memory and their forcing writes go to the command gate at once, without waiting for
 * another thread to wake up. What is slow - the audit records, the log lines - is handed to the engine thread (a
 * bounded queue: a driver never waits for the disk). A tick on the engine thread runs delays, bypass expiry and
 * re-forcing when no data comes. As a {@link CommandGuard} it answers the gate from memory for every other write.
 */
@Component(service = { InterlockService.class, CommandGuard.class, ZoneListener.class, HealthContributor.class },
        configurationPid = InterlocksConfig.PID, immediate = true,
        property = CommandGuard.GUARD_NAME + "=" + InterlockEngine.GUARD)
@Designate(ocd = InterlocksConfig.class)
public class InterlockEngine implements InterlockService, CommandGuard, ZoneListener, HealthContributor {

    static final String GUARD = "interlocks";
    static final int QUEUE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(InterlockEngine.class);

    private final PlantCache plant = new PlantCache();
    private final InterlockBook book;
    private final ThreadPoolExecutor worker;
    private final ScheduledExecutorService ticker;
    private final Map<RuleSource, Boolean> sources = new ConcurrentHashMap<>();
    private final AtomicReference<AuditTrail> trail = new AtomicReference<>();
    private final AtomicReference<CommandGate> gate = new AtomicReference<>();
    private final AtomicReference<AccessPolicy> policy = new AtomicReference<>();
    private final AtomicBoolean redefinePending = new AtomicBoolean();
    private final LongAdder dropped = new LongAdder();
    private volatile Thread engineThread;
    private final LongAdder unaudited = new LongAdder();
    private final LongAdder forcesSent = new LongAdder();
    private final LongAdder forcesFailed = new LongAdder();
    private final LongAdder forcesNoGate = new LongAdder();

    @Activate
    public InterlockEngine(InterlocksConfig config) {
        this(Settings.of(config), System::currentTimeMillis);
    }

    /** For tests: any clock, any settings. */
    InterlockEngine(Settings settings, LongSupplier clock) {
        Supplier<AccessPolicy> rights = policy::get;
        this.book = new InterlockBook(clock, settings, plant, this::appendAudit, rights);
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(QUEUE),
                r -> engineThread = daemon(r, "brewpi-interlocks")); // full queue or stopped: execute throws
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "brewpi-interlocks-tick"));
        ticker.scheduleWithFixedDelay(() -> run(() -> carryOut(book.tick())), settings.tickMs(), settings.tickMs(),
                TimeUnit.MILLISECONDS);
        LOG.info("Interlock engine started: bypass at most {} min", settings.bypassMaxMs() / Settings.MINUTE);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Modified
    void modified(InterlocksConfig config) {
        Settings s = Settings.of(config);
        book.configure(s);
        LOG.info("Interlock engine settings changed: bypass at most {} min", s.bypassMaxMs() / Settings.MINUTE);
    }

    @Deactivate
    public void stop() {
        ticker.shutdownNow();
        worker.shutdownNow();
    }

    // ---- what the engine is told ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addRule(RuleSource source) {
        sources.put(source, Boolean.TRUE);
        redefine();
    }

    public void removeRule(RuleSource source) {
        sources.remove(source);
        redefine();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAuditTrail(AuditTrail t) {
        trail.set(t);
    }

    public void unsetAuditTrail(AuditTrail t) {
        trail.compareAndSet(t, null);
    }

    /** Optional: the gate asks this engine as a guard, so each must be able to start without the other. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setGate(CommandGate g) {
        gate.set(g);
        run(() -> carryOut(book.evaluate(null))); // forcing writes that waited for a gate go now
    }

    public void unsetGate(CommandGate g) {
        gate.compareAndSet(g, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPolicy(AccessPolicy p) {
        policy.set(p);
    }

    public void unsetPolicy(AccessPolicy p) {
        policy.compareAndSet(p, null);
    }

    /** The live table, read once when it appears: interlocks start from the plant as it is. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPlant(Plant p) {
        run(() -> judgeNow(() -> {
            p.zones().forEach(plant::zone);
            return book.evaluate(null);
        }));
    }

    public void unsetPlant(Plant p) {
        // nothing kept: the listener callbacks carry on
    }

    @Override
    public void tagsChanged(List<TagValue> values) {
        if (values.isEmpty()) {
            return;
        }
        List<TagValue> copy = List.copyOf(values);
        String zone = copy.get(0).zone();
        boolean oneZone = copy.stream().allMatch(v -> v.zone().equals(zone));
        judgeNow(() -> {
            plant.tags(copy);
            return book.evaluate(oneZone ? zone : null);
        });
    }

    @Override
    public void zoneChanged(ZoneSnapshot zone) {
        judgeNow(() -> {
            plant.zone(zone);
            return book.evaluate(zone.id());
        });
    }

    /**
     * Judges on the caller's thread. The plant copy is updated and read under the book's lock, so the drivers'
     * threads (delivery, stale timer) see one order; the forcing writes go out after the lock is released (the
     * gate's publish takes the transport's lock, which a delivering thread holds while it waits for this one).
     */
    private void judgeNow(Supplier<InterlockBook.Effects> judgement) {
        InterlockBook.Effects effects;
        try {
            synchronized (book) {
                effects = judgement.get();
            }
        } catch (RuntimeException e) {
            LOG.error("Interlock evaluation failed: {}", e.toString(), e);
            return;
        }
        carryOut(effects);
    }

    private void redefine() {
        if (redefinePending.compareAndSet(false, true)) {
            run(() -> {
                redefinePending.set(false);
                carryOut(book.define(new ArrayList<>(sources.keySet())));
            });
        }
    }

    /**
     * Forcing writes first, on this thread (safety does not wait for the record); then the record of what happened
     * and the log lines, on the engine thread.
     */
    private void carryOut(InterlockBook.Effects effects) {
        if (effects.isEmpty()) {
            return;
        }
        sendForces(effects.forces());
        if (Thread.currentThread() == engineThread) {
            record(effects);
        } else if (!effects.audits().isEmpty() || !effects.warnings().isEmpty()) {
            if (!later(() -> record(effects))) {
                // the engine thread is gone or its queue full: the records are lost, and health says so
                unaudited.add(effects.audits().size());
            }
        }
    }

    private void sendForces(List<Command> forces) {
        CommandGate g = gate.get();
        for (Command force : forces) {
            if (g == null) {
                forcesNoGate.increment();
                LOG.error("Interlock {} cannot force {}.{} = {}: no command gate is running", force.user(),
                        force.zone(), force.tag(), force.value());
                continue;
            }
            try {
                forcesSent.increment();
                g.submit(force).whenComplete((result, failure) -> {
                    if (failure != null || !result.done()) {
                        forcesFailed.increment();
                    }
                });
            } catch (RuntimeException e) {
                forcesFailed.increment();
                LOG.error("Forcing write {}.{} = {} failed: {}", force.zone(), force.tag(), force.value(), e.toString());
            }
        }
    }

    private void record(InterlockBook.Effects effects) {
        effects.warnings().forEach(LOG::warn);
        for (AuditEntry entry : effects.audits()) {
            try {
                appendAudit(entry);
            } catch (RuntimeException e) {
                unaudited.increment();
                LOG.error("Interlock event not audited ({} {}): {}", entry.action(), entry.target(), e.getMessage());
            }
        }
    }

    private void appendAudit(AuditEntry entry) {
        AuditTrail t = trail.get();
        if (t == null) {
            throw new IllegalStateException("no audit trail is running");
        }
        t.append(entry);
    }

    /** @return false when the engine thread would not take it */
    private boolean later(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("Interlock records failed: {}", e.toString(), e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void run(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("Interlock evaluation failed: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            dropped.increment(); // a tick or a redefinition not run: the engine thread's queue is full, or it stopped
        }
    }

    /** Runs one tick now, as the ticker would (tests: deterministic time). */
    void tickNow() {
        run(() -> carryOut(book.tick()));
    }

    /** Waits until everything handed to the engine thread so far is done (tests). */
    boolean drain(long timeoutMs) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        worker.execute(done::countDown);
        return done.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    // ---- CommandGuard ----

    @Override
    public Optional<GuardRefusal> check(Command command) {
        return book.check(command);
    }

    // ---- InterlockService ----

    @Override
    public List<Interlock> interlocks() {
        return book.interlocks();
    }

    @Override
    public Optional<Interlock> interlock(String id) {
        return book.interlock(id);
    }

    @Override
    public Interlock reset(String id, String user, String entryPoint) {
        return book.reset(id, user, entryPoint);
    }

    @Override
    public Interlock bypass(String id, Signature signature, long durationMs, String entryPoint) {
        return book.bypass(id, signature, durationMs, entryPoint);
    }

    @Override
    public Interlock endBypass(String id, String user, String entryPoint, String reason) {
        Interlock after = book.endBypass(id, user, entryPoint, reason);
        run(() -> carryOut(book.evaluate(null))); // a rule still tripped forces its outputs now
        return after;
    }

    // ---- HealthContributor ----

    @Override
    public String name() {
        return "interlocks";
    }

    /**
     * DEGRADED when a rule file was refused, events went unaudited, engine tasks were dropped, forcing writes
     * could not be sent, or the audit trail or the gate is missing: the protection is not what was configured.
     */
    @Override
    public Status status() {
        boolean degraded = trail.get() == null || gate.get() == null || !book.refused().isEmpty()
                || unaudited.sum() > 0 || dropped.sum() > 0 || forcesNoGate.sum() > 0;
        return degraded ? Status.DEGRADED : Status.UP;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>(book.counts());
        d.put("refused", book.refused());
        d.put("auditTrail", trail.get() != null);
        d.put("gate", gate.get() != null);
        d.put("forcesSent", forcesSent.sum());
        d.put("forcesFailed", forcesFailed.sum());
        d.put("forcesWithoutGate", forcesNoGate.sum());
        d.put("unaudited", unaudited.sum());
        d.put("droppedUpdates", dropped.sum());
        d.put("queued", worker.getQueue().size());
        return d;
    }
}
