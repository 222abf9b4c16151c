package org.brewpi.hardware;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmService;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandGate;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.interlock.EmergencyStop;
import org.brewpi.api.interlock.GuardRefusal;
import org.brewpi.api.zone.Plant;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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

import com.pi4j.context.Context;

/**
 * The box's hardware: reads the E-stop, holds the plant in its safe state while it is pressed and until
 * it is reset, drives beacon and horn from the alarms, and pulses the watchdog while the box is healthy.
 * Everything that touches the pins runs on one thread ({@code brewpi-hardware}, every {@value #TICK_MS} ms);
 * resets and guard checks come from other threads and go through the thread-safe {@link EstopLatch}.
 * <p>
 * The Pi4J context is also registered as a service (property {@value #PROVIDER_PROPERTY}), so that tests
 * and bench tools can reach the mock pins.
 */
@Component(service = { EmergencyStop.class, CommandGuard.class, HealthContributor.class },
        property = CommandGuard.GUARD_NAME + "=estop", configurationPid = HardwareConfig.PID, immediate = true)
@Designate(ocd = HardwareConfig.class)
public class HardwareLayer implements EmergencyStop, CommandGuard, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(HardwareLayer.class);
    static final long TICK_MS = 10;
    static final long ALARM_POLL_MS = 200;
    static final long HOLD_CHECK_MS = 100;
    static final String ACTOR = "estop";
    static final String PROVIDER_PROPERTY = "brewpi.gpio.provider";
    /** Edges kept between two ticks: enough to restart the debounce; a chattering input cannot grow the queue. */
    static final int MAX_EDGES_PER_TICK = 256;

    private final LongSupplier clock;
    private final Path dev;
    private final EstopLatch latch = new EstopLatch(State.CLEAR, 0);
    private final ConcurrentLinkedQueue<Boolean> edges = new ConcurrentLinkedQueue<>();
    private final AtomicInteger edgesQueued = new AtomicInteger();
    private final AtomicReference<CommandGate> gate = new AtomicReference<>();
    private final AtomicReference<Plant> plant = new AtomicReference<>();
    private final AtomicReference<AlarmService> alarms = new AtomicReference<>();
    private final AtomicReference<AuditTrail> audit = new AtomicReference<>();
    private final Map<Object, String> guards = new ConcurrentHashMap<>();
    private final Counters counters = new Counters();
    private ScheduledExecutorService thread;
    private ServiceRegistration<Context> contextService;
    private BundleContext bundleContext;

    // written on the hardware thread (or before it starts), read by health
    private volatile Settings settings;
    private volatile String configError;
    private volatile Pins pins;
    private volatile String pinsError;
    private volatile Annunciation annunciation = Annunciation.QUIET;
    private volatile Outputs outputs = new Outputs(false, false, false);
    private volatile String watchdogStop = "not started";
    private Debouncer debouncer;
    private Watchdog watchdog;
    private PlantHold plantHold;
    private List<Alarm> lastAlarms = List.of();
    private long nextAlarmPoll;
    private long nextHoldCheck;

    /** The output levels last driven (true = on / high). */
    record Outputs(boolean beacon, boolean horn, boolean watchdog) {
    }

    @Activate
    public HardwareLayer(BundleContext bundleContext, Map<String, Object> properties) {
        this(System::currentTimeMillis, Path.of("/dev"));
        this.bundleContext = bundleContext;
        configure(properties);
        openPins(clock.getAsLong());
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brewpi-hardware");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY); // the E-stop and the watchdog pulses must not wait for the UI
            return t;
        });
        thread.scheduleAtFixedRate(this::safeTick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** For tests: no thread; they call {@link #configure}, {@link #openPins} and {@link #tick} themselves. */
    HardwareLayer(LongSupplier clock, Path dev) {
        this.clock = clock;
        this.dev = dev;
    }

    @Modified
    void modified(Map<String, Object> properties) {
        // on the hardware thread, between two ticks: the latch and its state survive a change of pins
        thread.execute(() -> {
            closePins();
            configure(properties);
            openPins(clock.getAsLong());
        });
    }

    @Deactivate
    void deactivate() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closePins();
    }

    void configure(Map<String, ?> properties) {
        try {
            settings = Settings.parse(properties);
            configError = null;
        } catch (IllegalArgumentException e) {
            LOG.error("{}; keeping the {} settings", e.getMessage(), settings == null ? "default" : "previous");
            configError = e.getMessage();
            if (settings == null) {
                settings = Settings.DEFAULTS;
            }
        }
    }

    /** Opens the pins; when that fails the E-stop counts as pressed (nothing can tell it is not). */
    void openPins(long now) {
        Settings s = settings;
        try {
            Pins opened = Pins.open(s, dev);
            opened.onEstopEdge(this::edge);
            pins = opened;
            pinsError = null;
            LOG.info("GPIO through {} ({}): E-stop GPIO{}, beacon GPIO{}, horn GPIO{}, watchdog GPIO{}", opened.provider,
                    opened.reason, s.estopPin(), s.beaconPin(), s.hornPin(), s.watchdogPin());
            if (bundleContext != null) {
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(PROVIDER_PROPERTY, opened.provider);
                contextService = bundleContext.registerService(Context.class, opened.context, props);
            }
        } catch (RuntimeException | LinkageError e) {
            pins = null;
            pinsError = e.toString();
            LOG.error("GPIO cannot be opened ({}): the E-stop is held as pressed until it can", e.toString());
        }
        Pins p = pins;
        debouncer = new Debouncer(s.debounceMs(), p == null || readOpen(p), now);
        watchdog = new Watchdog(s.watchdogPeriodMs());
        plantHold = new PlantHold(plant::get, gate::get, counters, s.forceRetryMs());
        edges.clear();
    }

    /** An edge of the E-stop input, on Pi4J's thread: the next tick feeds it to the debouncer. */
    private void edge(boolean open) {
        if (edgesQueued.incrementAndGet() <= MAX_EDGES_PER_TICK) {
            edges.add(open);
        }
    }

    private void closePins() {
        if (contextService != null) {
            try {
                contextService.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            contextService = null;
        }
        Pins p = pins;
        pins = null;
        if (p != null) {
            p.close();
        }
    }

    private void safeTick() {
        try {
            tick(clock.getAsLong());
        } catch (RuntimeException e) {
            // one bad tick must not end the thread: the E-stop and the watchdog live on it
            counters.tickErrors.incrementAndGet();
            LOG.error("Hardware tick failed: {}", e.toString(), e);
        }
    }

    /** One pass: E-stop, hold, annunciation, watchdog, outputs. */
    void tick(long now) {
        Pins p = pins;
        boolean open = true;
        for (Boolean edge; (edge = edges.poll()) != null;) {
            debouncer.sample(edge, now);
        }
        edgesQueued.set(0);
        if (p != null) {
            open = readOpen(p);
        }
        State before = latch.state();
        switch (latch.input(debouncer.sample(open, now), now)) {
            case PRESSED -> pressed(before, now);
            case RELEASED -> released();
            case NONE -> {
                // nothing new
            }
        }
        if (latch.state() != State.CLEAR && now >= nextHoldCheck) {
            nextHoldCheck = now + HOLD_CHECK_MS;
            plantHold.hold(now);
        }
        if (now >= nextAlarmPoll) {
            nextAlarmPoll = now + ALARM_POLL_MS;
            AlarmService a = alarms.get();
            lastAlarms = a == null ? List.of() : a.alarms();
        }
        annunciation = Annunciation.of(lastAlarms, latch.state());
        String stop = watchdogStopReason(p);
        watchdogStop = stop;
        Settings s = settings;
        Outputs next = new Outputs(annunciation.beacon().lit(now, s.flashSlowMs(), s.flashFastMs()),
                annunciation.horn(), watchdog.update(stop == null, now));
        if (p != null) {
            try {
                p.beacon(next.beacon());
                p.horn(next.horn());
                p.watchdog(next.watchdog());
                counters.outputFailing = false;
            } catch (RuntimeException e) {
                counters.outputErrors.incrementAndGet();
                counters.outputFailing = true;
                counters.lastError.set("output: " + e);
            }
        }
        outputs = next;
    }

    private boolean readOpen(Pins p) {
        try {
            boolean open = p.estopOpen();
            counters.inputFailing = false;
            return open;
        } catch (RuntimeException e) {
            counters.inputErrors.incrementAndGet();
            counters.inputFailing = true;
            counters.lastError.set("E-stop input: " + e);
            return true; // unreadable counts as pressed
        }
    }

    private void pressed(State before, long now) {
        LOG.warn("EMERGENCY STOP pressed: every zone to mode off; writes that would energise an output are refused");
        plantHold.restart();
        nextHoldCheck = now + HOLD_CHECK_MS;
        plantHold.hold(now); // first the plant, then the record
        record("estop.press", before.name(), State.PRESSED.name(), "emergency stop pressed (loop open)");
    }

    private void released() {
        LOG.warn("Emergency stop released: the plant stays held until someone resets it");
        record("estop.release", State.PRESSED.name(), State.RESET_NEEDED.name(), "emergency stop released, reset needed");
    }

    private void record(String action, String from, String to, String reason) {
        AuditTrail a = audit.get();
        try {
            if (a == null) {
                throw new IllegalStateException("no audit trail");
            }
            a.append(AuditEntry.of(ACTOR, "internal", action, "estop", from, to, reason));
        } catch (RuntimeException e) {
            counters.auditFailures.incrementAndGet();
            LOG.error("{} not audited: {}", action, e.getMessage());
        }
    }

    /** @return why the watchdog must not pulse, {@code null} when the box is healthy */
    private String watchdogStopReason(Pins p) {
        if (p == null) {
            return "no GPIO";
        }
        if (gate.get() == null) {
            return "no command gate";
        }
        for (String required : settings.requiredGuards()) {
            if (!guards.containsValue(required)) {
                return "no " + required + " guard";
            }
        }
        return null;
    }

    // ---- EmergencyStop, CommandGuard -------------------------------------------------------------

    @Override
    public State state() {
        return latch.state();
    }

    @Override
    public long pressedAt() {
        return latch.pressedAt();
    }

    @Override
    public State reset(String user, String entryPoint) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a reset needs the user who does it");
        }
        if (!latch.resettable()) {
            return latch.state();
        }
        AuditTrail a = audit.get();
        try {
            if (a == null) {
                throw new IllegalStateException("no audit trail is running");
            }
            a.append(AuditEntry.of(user, entryPoint, "estop.reset", "estop", State.RESET_NEEDED.name(),
                    State.CLEAR.name(), "emergency stop reset after release"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the audit trail cannot record the reset, so it is not done: "
                    + e.getMessage(), e);
        }
        if (!latch.reset()) {
            throw new IllegalStateException("the emergency stop was pressed again: release it before the reset");
        }
        LOG.warn("Emergency stop reset by {} ({}): the plant may run again", user, entryPoint);
        return State.CLEAR;
    }

    @Override
    public Optional<GuardRefusal> check(Command command) {
        return EstopPolicy.check(command, latch.state());
    }

    // ---- references ------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setGate(CommandGate g) {
        gate.set(g);
    }

    void unsetGate(CommandGate g) {
        gate.compareAndSet(g, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPlant(Plant p) {
        plant.set(p);
    }

    void unsetPlant(Plant p) {
        plant.compareAndSet(p, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAlarms(AlarmService a) {
        alarms.set(a);
    }

    void unsetAlarms(AlarmService a) {
        alarms.compareAndSet(a, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAudit(AuditTrail a) {
        audit.set(a);
    }

    void unsetAudit(AuditTrail a) {
        audit.compareAndSet(a, null);
    }

    /** The other guards (not this one), by name, for the watchdog. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(!(" + CommandGuard.GUARD_NAME + "=estop))")
    void addGuard(CommandGuard guard, Map<String, Object> properties) {
        Object name = properties.get(CommandGuard.GUARD_NAME);
        guards.put(guard, name == null ? "" : name.toString());
    }

    void removeGuard(CommandGuard guard) {
        guards.remove(guard);
    }

    // ---- health ----------------------------------------------------------------------------------

    @Override
    public String name() {
        return "hardware";
    }

    @Override
    public Status status() {
        return HardwareHealth.status(this);
    }

    @Override
    public Map<String, Object> details() {
        return HardwareHealth.details(this);
    }

    Settings settings() {
        return settings;
    }

    String configError() {
        return configError;
    }

    Pins pins() {
        return pins;
    }

    String pinsError() {
        return pinsError;
    }

    Annunciation annunciation() {
        return annunciation;
    }

    Outputs outputs() {
        return outputs;
    }

    String watchdogStop() {
        return watchdogStop;
    }

    Counters counters() {
        return counters;
    }

    /** Zones the E-stop cannot hold off from here (offline, or no writable mode), while it holds the plant. */
    List<String> unheld() {
        return latch.state() == State.CLEAR ? List.of() : plantHold.unheld();
    }

    boolean gpioChipPresent() {
        return Pins.hasGpioChip(dev);
    }
}
