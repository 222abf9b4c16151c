package org.brewpi.alarms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmMetrics;
import org.brewpi.api.alarm.AlarmService;
import org.brewpi.api.alarm.AlarmTransition;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.history.HistoryStreams;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneDefinition;
import org.brewpi.api.zone.ZoneListener;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.h2store.SyncedStreams;
import org.osgi.framework.BundleContext;
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
 * The alarm engine. Plant data arrives on driver threads and is handed to one engine thread (a bounded
 * queue: a driver is never blocked; what does not fit is counted and shows in health). A tick on the same
 * thread runs on/off delays and shelf expiry forward when no data comes.
 * <p>
 * The alarms are the zone-type defaults of every configured zone ({@link Defaults}), unless switched off,
 * with the {@code brewpi.alarm} configurations on top: a configuration with the id of a default replaces
 * it, one with {@code enabled=false} removes it, any other adds an alarm. Each health component of the box
 * and the bundles get a system alarm ({@link SystemWatch}).
 * <p>
 * Every transition is written to the durable journal ({@link JournalStore}, {@code <data.dir>/alarms}, also the
 * record stream {@code alarm_journal} the sync ships) on the thread that makes it: the engine's own, or that of
 * the person acting; never a driver's.
 */
@Component(service = { AlarmService.class, ZoneListener.class, HealthContributor.class, HistoryStreams.class },
        configurationPid = AlarmsConfig.PID, immediate = true)
@Designate(ocd = AlarmsConfig.class)
public class AlarmEngine implements AlarmService, ZoneListener, HealthContributor, HistoryStreams {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmEngine.class);
    static final int QUEUE = 10_000;

    private final AlarmBook book;
    private final ThreadPoolExecutor worker;
    private final ScheduledExecutorService ticker;
    private final Map<ZoneDefinition, Boolean> zones = new ConcurrentHashMap<>();
    private final Map<AlarmSource, Boolean> configured = new ConcurrentHashMap<>();
    private final AtomicReference<AuditTrail> trail = new AtomicReference<>();
    private final AtomicBoolean redefinePending = new AtomicBoolean();
    private final LongAdder dropped = new LongAdder();
    private volatile Settings settings;
    /** {@code null} when the journal's file could not be opened at all: alarms go on, health says so. */
    private final JournalStore journal;
    private final String journalOpenError;
    private final SyncedStreams streams = new SyncedStreams("the alarm journal", List.of(JournalStore.TABLE),
            this::openJournal);
    private final Path journalDir;

    /** The box's own health, for the system alarms; the engine's own health is not in it (it would alarm on itself). */
    private final SystemWatch system;

    @Activate
    public AlarmEngine(AlarmsConfig config, BundleContext context) {
        this(Settings.of(config), System::currentTimeMillis, dataDir(config), context);
    }

    private static Path dataDir(AlarmsConfig config) {
        String dir = config.data_dir();
        return Path.of(dir == null || dir.isBlank() ? "data" : dir.strip());
    }

    /**
     * For tests: any clock, any settings; the tick runs at {@link Settings#tickMs()}.
     *
     * @param dataDir the journal lives in {@code <dataDir>/alarms}; a change of it takes effect at the next start
     */
    AlarmEngine(Settings settings, LongSupplier clock, Path dataDir) {
        this(settings, clock, dataDir, null);
    }

    /** @param context the framework whose bundles {@code system.bundles} watches; {@code null}: none */
    AlarmEngine(Settings settings, LongSupplier clock, Path dataDir, BundleContext context) {
        this.settings = settings;
        JournalStore store = null;
        String openError = null;
        List<AlarmTransition> history = List.of();
        try {
            store = new JournalStore(dataDir.resolve("alarms"));
            history = store.newest(settings.journalSize());
            LOG.info("Alarm journal {} open: {} transitions", store.file(), store.lastSeq());
        } catch (Exception e) {
            openError = e.toString();
            LOG.error("Alarm journal in {} cannot be opened; transitions are kept in memory only: {}",
                    dataDir.resolve("alarms"), e.toString(), e);
            if (store != null) {
                closeQuietly(store);
                store = null;
            }
        }
        this.journal = store;
        this.journalDir = dataDir.resolve("alarms");
        this.journalOpenError = openError;
        this.book = new AlarmBook(clock, settings, this::audit, this::writeJournal, history);
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(QUEUE),
                r -> daemon(r, "brewpi-alarms"), (r, pool) -> dropped.increment());
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "brewpi-alarms-tick"));
        ticker.scheduleWithFixedDelay(() -> run(this::tick), settings.tickMs(), settings.tickMs(),
                TimeUnit.MILLISECONDS);
        this.system = new SystemWatch(clock, settings.healthPollMs(), () -> this.settings.degradedMs(),
                () -> this.settings.bundleErrorMs(), context, verdict -> run(() -> book.system(withOwn(verdict))));
        redefine();
        LOG.info("Alarm engine started: defaults {}, suppressed zones {}", settings.defaults() ? "on" : "off",
                settings.suppressedZones());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Modified
    void modified(AlarmsConfig config) {
        Settings s = Settings.of(config);
        settings = s;
        if (!dataDir(config).resolve("alarms").equals(journalDir)) {
            LOG.warn("Alarm journal stays in {} until the next start (data.dir is now {})", journalDir,
                    config.data_dir());
        }
        run(() -> book.configure(s));
        redefine();
        LOG.info("Alarm engine settings changed: defaults {}, suppressed zones {}", s.defaults() ? "on" : "off",
                s.suppressedZones());
    }

    @Deactivate
    void stop() {
        system.close();
        ticker.shutdownNow();
        // not shutdownNow: an interrupt in the middle of an H2 write would close the journal's file under it
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (journal != null) {
            closeQuietly(journal);
        }
    }

    private static void closeQuietly(JournalStore store) {
        try {
            store.close();
        } catch (Exception e) {
            LOG.warn("Alarm journal close: {}", e.toString());
        }
    }

    /** Delays and shelves forward, then new journal rows onto the device (a power cut loses at most one tick). */
    private void tick() {
        book.tick();
        if (journal != null) {
            try {
                journal.syncToDevice();
            } catch (java.sql.SQLException e) {
                LOG.warn("Alarm journal not synced to the device: {}", e.getMessage());
            }
        }
    }

    private void writeJournal(List<AlarmTransition> transitions) throws java.sql.SQLException {
        if (journal == null) {
            throw new IllegalStateException("the alarm journal could not be opened: " + journalOpenError);
        }
        journal.append(transitions);
    }

    // ---- what the engine is told ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addZone(ZoneDefinition zone) {
        zones.put(zone, Boolean.TRUE);
        redefine();
    }

    void removeZone(ZoneDefinition zone) {
        zones.remove(zone);
        redefine();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAlarm(AlarmSource alarm) {
        configured.put(alarm, Boolean.TRUE);
        redefine();
    }

    void removeAlarm(AlarmSource alarm) {
        configured.remove(alarm);
        redefine();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAuditTrail(AuditTrail t) {
        trail.set(t);
    }

    void unsetAuditTrail(AuditTrail t) {
        trail.compareAndSet(t, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(!(component.name=org.brewpi.alarms.AlarmEngine))")
    void addHealth(HealthContributor component) {
        if (system.add(component)) {
            redefine();
        }
    }

    void removeHealth(HealthContributor component) {
        system.remove(component);
    }

    /**
     * The engine's own trouble as {@code system.alarms}: its journal, not its health as a whole (that also
     * counts transitions once left unaudited, which would keep the alarm up for good).
     */
    private Map<String, SystemWatch.Health> withOwn(Map<String, SystemWatch.Health> verdict) {
        String problem = journal == null ? "the alarm journal could not be opened: " + journalOpenError
                : journal.setAside() != null ? "the alarm journal was damaged at start-up: moved aside to "
                        + journal.setAside()
                : book.journalProblem();
        Map<String, SystemWatch.Health> all = new java.util.HashMap<>(verdict);
        all.put(Defaults.ALARMS, new SystemWatch.Health(problem != null, problem == null ? "UP" : problem));
        return all;
    }

    /** A look at the box's health now (tests); its verdict is evaluated on the engine thread. */
    void pollHealth() {
        system.poll();
    }

    /** The live table, read once when it appears so alarms start from the plant as it is, not as it will next change. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPlant(Plant plant) {
        run(() -> plant.zones().forEach(book::zone));
    }

    void unsetPlant(Plant plant) {
        // nothing kept: the listener callbacks carry on
    }

    @Override
    public void tagsChanged(List<TagValue> values) {
        List<TagValue> copy = List.copyOf(values);
        run(() -> book.tags(copy));
    }

    @Override
    public void zoneChanged(ZoneSnapshot zone) {
        run(() -> book.zone(zone));
    }

    /** Coalesces a burst of (un)bindings at start-up into one recomputation. */
    private void redefine() {
        if (redefinePending.compareAndSet(false, true)) {
            run(() -> {
                redefinePending.set(false);
                book.define(definitions(settings, new ArrayList<>(zones.keySet()), new ArrayList<>(configured.keySet()),
                        system.seen()));
            });
        }
    }

    static List<AlarmDefinition> definitions(Settings s, List<? extends ZoneDefinition> zones,
            List<? extends AlarmSource> configured) {
        return definitions(s, zones, configured, List.of());
    }

    /** Zone-type defaults (unless switched off), a system alarm per component, then the configured alarms on top. */
    static List<AlarmDefinition> definitions(Settings s, List<? extends ZoneDefinition> zones,
            List<? extends AlarmSource> configured, List<String> systemComponents) {
        Map<String, AlarmDefinition> byId = new LinkedHashMap<>();
        if (s.defaults()) {
            zones.stream().sorted(Comparator.comparing(ZoneDefinition::id))
                    .forEach(z -> Defaults.forZone(z).forEach(d -> byId.put(d.id(), d)));
        }
        systemComponents.stream().sorted().forEach(c -> {
            AlarmDefinition d = Defaults.system(c);
            byId.put(d.id(), d);
        });
        configured.stream().sorted(Comparator.comparing(c -> c.definition().id())).forEach(c -> {
            if (c.enabled()) {
                byId.put(c.definition().id(), c.definition());
            } else {
                byId.remove(c.definition().id());
            }
        });
        return new ArrayList<>(byId.values());
    }

    private void run(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("Alarm evaluation failed: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            dropped.increment(); // only after deactivation
        }
    }

    /** Waits until everything handed to the engine thread so far is done (tests). */
    boolean drain(long timeoutMs) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        worker.execute(done::countDown);
        return done.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void audit(AuditEntry entry) {
        AuditTrail t = trail.get();
        if (t == null) {
            throw new IllegalStateException("no audit trail is running");
        }
        t.append(entry);
    }

    // ---- AlarmService ----

    @Override
    public List<Alarm> alarms() {
        return book.alarms();
    }

    @Override
    public Optional<Alarm> alarm(String id) {
        return book.alarm(id);
    }

    @Override
    public Alarm acknowledge(String id, String user, String entryPoint, String comment) {
        return book.acknowledge(id, user, entryPoint, comment);
    }

    @Override
    public Alarm shelve(String id, String user, String entryPoint, String reason, long durationMs) {
        return book.shelve(id, user, entryPoint, reason, durationMs);
    }

    @Override
    public Alarm unshelve(String id, String user, String entryPoint, String reason) {
        return book.unshelve(id, user, entryPoint, reason);
    }

    @Override
    public Alarm setInService(String id, boolean inService, String user, String entryPoint, String reason) {
        return book.setInService(id, inService, user, entryPoint, reason);
    }

    @Override
    public List<AlarmTransition> journal(int limit) {
        return book.journal(limit);
    }

    @Override
    public AlarmMetrics metrics() {
        return book.metrics();
    }

    // ---- HistoryStreams: the journal as the sync service reads it ----

    @Override
    public List<String> streams() {
        return streams.streams();
    }

    @Override
    public StreamRows read(String stream, long afterSeq, int maxRows) {
        return streams.read(stream, afterSeq, maxRows);
    }

    @Override
    public void markSynced(String stream, long seq) {
        streams.markSynced(stream, seq);
    }

    @Override
    public StreamBacklog backlog(String stream) {
        return streams.backlog(stream);
    }

    private JournalStore openJournal() {
        if (journal == null) {
            throw new IllegalStateException("the alarm journal could not be opened: " + journalOpenError);
        }
        return journal;
    }

    // ---- HealthContributor ----

    @Override
    public String name() {
        return "alarms";
    }

    /**
     * DEGRADED when transitions go unaudited or unjournaled, the journal file was replaced, or plant updates were
     * dropped: the alarm record is incomplete.
     */
    @Override
    public Status status() {
        return trail.get() == null || book.unaudited() > 0 || book.unjournaled() > 0 || dropped.sum() > 0
                || journal == null || journal.setAside() != null ? Status.DEGRADED : Status.UP;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>(book.counts());
        details.put("auditTrail", trail.get() != null);
        details.put("droppedUpdates", dropped.sum());
        details.put("queued", worker.getQueue().size());
        details.put("flooding", book.metrics().flooding());
        if (journal != null) {
            details.put("journalFile", journal.file().toString());
            details.put("journalEntries", journal.lastSeq());
            if (journal.setAside() != null) {
                details.put("alarm", "alarm journal was damaged at start-up: moved aside to " + journal.setAside());
            }
        } else {
            details.put("journalError", journalOpenError);
        }
        return details;
    }
}
