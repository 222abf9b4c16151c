package org.brewpi.batches;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.batch.BatchAction;
import org.brewpi.api.batch.BatchRecord;
import org.brewpi.api.batch.BatchRefusal;
import org.brewpi.api.batch.BatchService;
import org.brewpi.api.batch.BatchState;
import org.brewpi.api.batch.Recipe;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.history.Historian;
import org.brewpi.api.history.HistoryStreams;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;
import org.brewpi.api.security.AccessPolicy;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Signature;
import org.brewpi.api.security.Signatures;
import org.brewpi.h2store.SyncedStreams;
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
 * Recipes and batches. Each act: the right checked (a refusal audited), the input checked, the signature taken
 * where one is needed, the act appended to the audit trail, then committed to the batch store; only then does it
 * answer. Acts are serialised; reads are not.
 */
@Component(service = { BatchService.class, HealthContributor.class, HistoryStreams.class },
        configurationPid = BatchesConfig.PID, immediate = true)
@Designate(ocd = BatchesConfig.class)
public class BatchManager implements BatchService, HealthContributor, HistoryStreams {

    private static final Logger LOG = LoggerFactory.getLogger(BatchManager.class);

    private final LongSupplier clock;
    private final BatchStore store;
    private final String storeError;
    private final Path storeDir;
    private final ScheduledExecutorService poller;
    private volatile Settings settings;
    private volatile RecipeBook book;
    private ScheduledFuture<?> polling;

    final Gatekeeper gate = new Gatekeeper();
    private final Lots lots = new Lots(this);
    private final SyncedStreams streams = new SyncedStreams("the batch store", List.of(BatchStore.TABLE),
            this::openStore);
    private final AtomicReference<Historian> historian = new AtomicReference<>();

    @Activate
    public BatchManager(BatchesConfig config) {
        this(Settings.of(config), System::currentTimeMillis);
    }

    BatchManager(Settings settings, LongSupplier clock) {
        this.clock = clock;
        this.settings = settings;
        this.storeDir = settings.dataDir().resolve("batches");
        BatchStore s = null;
        String error = null;
        try {
            s = new BatchStore(storeDir);
            LOG.info("Batch store {} open", s.file());
        } catch (Exception e) {
            error = e.toString();
            LOG.error("Batch store in {} cannot be opened: recipes are shown, nothing can be approved or run: {}",
                    storeDir, e.toString());
        }
        this.store = s;
        this.storeError = error;
        this.book = new RecipeBook(settings.recipeDir(), clock);
        book.scan();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brewpi-recipes");
            t.setDaemon(true);
            return t;
        });
        schedule();
    }

    private synchronized void schedule() {
        if (polling != null) {
            polling.cancel(false);
        }
        long every = settings.pollMs();
        polling = poller.scheduleWithFixedDelay(this::scan, every, every, TimeUnit.MILLISECONDS);
    }

    private void scan() {
        try {
            book.scan();
        } catch (RuntimeException e) {
            LOG.warn("Recipe folder scan failed: {}", e.toString());
        }
    }

    @Modified
    void modified(BatchesConfig config) {
        Settings s = Settings.of(config);
        Settings before = settings;
        settings = s;
        if (!s.recipeDir().equals(before.recipeDir())) {
            RecipeBook next = new RecipeBook(s.recipeDir(), clock);
            next.scan();
            book = next;
            LOG.info("Recipes now read from {}", s.recipeDir());
        }
        if (!s.dataDir().resolve("batches").equals(storeDir)) {
            LOG.warn("Batch store stays in {} until the next start (data.dir is now {})", storeDir, s.dataDir());
        }
        schedule();
    }

    @Deactivate
    void close() {
        poller.shutdownNow();
        if (store != null) {
            try {
                store.close();
            } catch (SQLException e) {
                LOG.warn("Batch store close: {}", e.toString());
            }
        }
    }

    /** For tests: look at the recipe folder now. */
    void rescan() {
        book.scan();
    }

    // ---- references (public: other bundles' tests wire a real manager by hand) ----

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAudit(AuditTrail t) {
        gate.audit.set(t);
    }

    public void unsetAudit(AuditTrail t) {
        gate.audit.compareAndSet(t, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPolicy(AccessPolicy p) {
        gate.policy.set(p);
    }

    public void unsetPolicy(AccessPolicy p) {
        gate.policy.compareAndSet(p, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setSignatures(Signatures s) {
        gate.signatures.set(s);
    }

    public void unsetSignatures(Signatures s) {
        gate.signatures.compareAndSet(s, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setHistorian(Historian h) {
        historian.set(h);
    }

    public void unsetHistorian(Historian h) {
        historian.compareAndSet(h, null);
    }

    // ---- recipes ----

    @Override
    public List<Recipe> recipes() {
        List<Recipe> out = new ArrayList<>();
        for (Recipe r : book.recipes()) {
            out.add(withApproval(r));
        }
        return out;
    }

    @Override
    public Optional<Recipe> recipe(String id) {
        return book.recipe(id).map(this::withApproval);
    }

    Recipe withApproval(Recipe r) {
        if (store == null) {
            return r;
        }
        try {
            return r.withApproval(store.approval(r.id(), r.sha256())
                    .map(row -> RecordReader.signature(row, RecordReader.recipeTarget(row))).orElse(null));
        } catch (SQLException e) {
            throw unavailable("the batch store cannot be read", e);
        }
    }

    @Override
    public synchronized Recipe approve(String recipeId, String sha256, Principal who, String pin, String reason) {
        if (who == null) {
            throw new BatchRefusal("forbidden", "who acts is not known");
        }
        Recipe recipe = recipe(recipeId).orElseThrow(() -> noRecipe(recipeId));
        gate.allowed(who, Right.APPROVE_RECIPE, "recipe:" + recipe.id());
        String why = Gatekeeper.signable(who, pin, reason);
        BatchStore s = store();
        if (recipe.problem() != null) {
            throw new BatchRefusal("conflict", "recipe " + recipe.id() + ": " + recipe.problem() + "; fix the file first");
        }
        if (sha256 != null && !sha256.equals(recipe.sha256())) {
            throw new BatchRefusal("conflict", "recipe " + recipe.id() + " has changed since it was shown (sha256 now "
                    + recipe.sha256() + "): look at it again before approving");
        }
        if (recipe.approval() != null) {
            throw new BatchRefusal("conflict", "recipe " + recipe.id() + " version " + recipe.version()
                    + " is already approved, this very content, by " + recipe.approval().printedName());
        }
        String target = recipe.signatureTarget();
        Signature signed = gate.sign(who, pin, APPROVAL_MEANING, why, target);
        gate.audit(new AuditEntry(0, 0, who.user(), who.entryPoint(), "recipe.approve", target, "DRAFT", "APPROVED", why,
                APPROVAL_MEANING));
        commit(who, "recipe.approve", target, new BatchStore.Row(0, 0, RecordReader.KIND_RECIPE, recipe.id(), recipe.id(),
                recipe.version(), recipe.sha256(), "approve", "DRAFT", "APPROVED", who.user(), signed.printedName(),
                signed.role() == null ? null : signed.role().id(), who.entryPoint(), why, APPROVAL_MEANING,
                signed.time(), signed.auditSeq(), null), BatchStore.approve(recipe.id(), recipe.sha256()));
        LOG.info("Recipe {} version {} approved by {} (sha256 {})", recipe.id(), recipe.version(), who.user(),
                recipe.sha256().substring(0, 12));
        return recipe.withApproval(signed);
    }

    // ---- batches ----

    @Override
    public List<BatchRecord> batches(int limit) {
        BatchStore s = store();
        try {
            List<BatchRecord> out = new ArrayList<>();
            for (BatchStore.BatchRow b : s.batches(Math.max(1, limit))) {
                out.add(RecordReader.record(s, b, null));
            }
            return out;
        } catch (SQLException e) {
            throw unavailable("the batch store cannot be read", e);
        }
    }

    @Override
    public Optional<BatchRecord> batch(String lot) {
        if (lot == null || !Lots.LOT.matcher(lot).matches()) {
            return Optional.empty();
        }
        BatchStore s = store();
        try {
            Optional<BatchStore.BatchRow> b = s.batch(lot);
            if (b.isEmpty()) {
                return Optional.empty();
            }
            BatchState state = BatchState.valueOf(b.get().state());
            // an active batch shows its CCPs as they stand now; a finished one what was recorded
            RecordReader.Detail live = state.active() ? evaluate(b.get(), clock.getAsLong(), null) : null;
            return Optional.of(RecordReader.record(s, b.get(), live));
        } catch (SQLException e) {
            throw unavailable("the batch store cannot be read", e);
        }
    }

    @Override
    public synchronized BatchRecord start(String recipeId, String lot, Principal who, String reason) {
        return lots.start(recipeId, lot, who, reason);
    }

    @Override
    public synchronized BatchRecord act(String lot, BatchAction action, Principal who, String reason) {
        return lots.act(lot, action, who, reason);
    }

    @Override
    public synchronized BatchRecord release(String lot, Principal who, String pin, String reason, String deviation) {
        return lots.release(lot, who, pin, reason, deviation);
    }

    /** The batch's CCPs over its time window (start to end, or to now while active). */
    RecordReader.Detail evaluate(BatchStore.BatchRow b, long now, String deviation) {
        long to = b.endedAt() > 0 ? b.endedAt() : now;
        return new RecordReader.Detail(now, CcpEvaluator.evaluate(RecordReader.recordRecipe(b).criticalParameters(),
                historian.get(), b.startedAt(), to, settings.historyPoints(), settings.maxGapMs()), deviation);
    }

    // ---- rights, signatures, audit, store ----

    /** Commits the act; if the store refuses it, the audit trail says the act did not happen. */
    void commit(Principal who, String action, String target, BatchStore.Row row, BatchStore.Change change) {
        try {
            store().append(row, clock.getAsLong(), change);
        } catch (SQLException e) {
            AuditTrail t = gate.audit.get();
            try {
                if (t != null) {
                    t.append(AuditEntry.of(who.user(), who.entryPoint(), action + ".failed", target, null, null,
                            "not committed to the batch store: " + e.getMessage()));
                }
            } catch (RuntimeException ignored) {
                // the trail is down too: the log line below is what remains
            }
            throw unavailable("the batch store could not commit " + action + "; it did not happen", e);
        }
    }

    long now() {
        return clock.getAsLong();
    }

    RecipeBook book() {
        return book;
    }

    BatchStore store() {
        if (store == null) {
            throw new BatchRefusal("unavailable", "the batch store could not be opened: " + storeError);
        }
        return store;
    }

    static BatchRefusal unavailable(String what, Exception e) {
        LOG.error("{}: {}", what, e.toString());
        return new BatchRefusal("unavailable", what);
    }

    static BatchRefusal noRecipe(String id) {
        return new BatchRefusal("not_found", "no recipe '" + Gatekeeper.shorten(id) + "'");
    }

    // ---- HistoryStreams: the batch journal as the sync reads it ----

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

    /** The store for the sync: unreadable streams are an {@link IllegalStateException} there. */
    private BatchStore openStore() {
        if (store == null) {
            throw new IllegalStateException("the batch store could not be opened: " + storeError);
        }
        return store;
    }

    // ---- health ----

    @Override
    public String name() {
        return "batches";
    }

    @Override
    public Status status() {
        if (store == null) {
            return Status.DOWN;
        }
        return book.healthy() ? Status.UP : Status.DEGRADED;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("store", store == null ? null : store.file().toString());
        if (storeError != null) {
            d.put("storeError", storeError);
        }
        book.report(d);
        if (store != null) {
            try {
                d.put("activeBatches", store.activeBatches().stream().map(BatchStore.BatchRow::lot).toList());
            } catch (SQLException e) {
                d.put("storeError", e.toString());
            }
        }
        d.put("historian", historian.get() != null);
        d.put("auditTrail", gate.audit.get() != null);
        return d;
    }
}
