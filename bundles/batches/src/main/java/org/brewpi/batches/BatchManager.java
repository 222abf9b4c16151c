package org.brewpi.batches;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import java.util.regex.Pattern;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.batch.BatchAction;
import org.brewpi.api.batch.BatchRecord;
import org.brewpi.api.batch.BatchRefusal;
import org.brewpi.api.batch.BatchService;
import org.brewpi.api.batch.BatchState;
import org.brewpi.api.batch.CcpResult;
import org.brewpi.api.batch.CcpStatus;
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
    static final Pattern LOT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final LongSupplier clock;
    private final BatchStore store;
    private final String storeError;
    private final Path storeDir;
    private final ScheduledExecutorService poller;
    private volatile Settings settings;
    private volatile RecipeBook book;
    private ScheduledFuture<?> polling;

    private final Gatekeeper gate = new Gatekeeper();
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

    private Recipe withApproval(Recipe r) {
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
        if (lot == null || !LOT.matcher(lot).matches()) {
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
        gate.allowed(who, Right.OPERATE, "recipe:" + recipeId);
        if (recipeId == null || recipeId.isBlank()) {
            throw new BatchRefusal("bad_request", "'recipe' is required: the id of an approved recipe");
        }
        String why = Gatekeeper.optionalText(reason, "reason");
        if (lot != null && !LOT.matcher(lot.strip()).matches()) {
            throw new BatchRefusal("bad_request",
                    "lot must be 1-40 of letters, digits, '.', '_', '-', starting with a letter or digit");
        }
        BatchStore s = store();
        Recipe shown = recipe(recipeId).orElseThrow(() -> noRecipe(recipeId));
        byte[] content = book.content(shown.id()).orElseThrow(() -> noRecipe(recipeId));
        Recipe recipe;
        try {
            // the bytes are the truth: hash and approval of exactly what the batch keeps
            recipe = withApproval(RecipeFile.parse(shown.id(), shown.file(), content, clock.getAsLong()));
        } catch (RecipeFile.Invalid e) {
            throw new BatchRefusal("conflict", "recipe " + recipeId + " cannot be read: " + e.getMessage());
        }
        if (recipe.approval() == null) {
            throw new BatchRefusal("conflict", "recipe " + recipe.id() + " version " + recipe.version()
                    + " is a DRAFT: QA must approve it (this exact content) before a batch can start");
        }
        try {
            String theLot = lot == null ? nextLot(s) : lot.strip();
            if (s.lotExists(theLot)) {
                throw new BatchRefusal("conflict", "lot " + theLot + " already exists: lot numbers are unique");
            }
            for (BatchStore.BatchRow active : s.activeBatches()) {
                for (String zone : recipe.zones()) {
                    if (active.zones().contains(zone)) {
                        throw new BatchRefusal("conflict", "zone " + zone + " is in use by batch " + active.lot() + " ("
                                + active.state() + ")");
                    }
                }
            }
            long approvalSeq = s.approval(recipe.id(), recipe.sha256()).orElseThrow().seq();
            String target = "batch:" + theLot;
            gate.audit(new AuditEntry(0, 0, who.user(), who.entryPoint(), "batch.start", target, null,
                    "RUNNING " + recipe.signatureTarget(), why, null));
            long now = clock.getAsLong();
            commit(who, "batch.start", target, row(theLot, recipe, "start", null, BatchState.RUNNING, who, why, null, null),
                    BatchStore.startBatch(theLot, recipe.id(), new String(content, StandardCharsets.UTF_8), approvalSeq,
                            now, recipe.zones()));
            LOG.info("Batch {} of recipe {} version {} started by {} on {}", theLot, recipe.id(), recipe.version(),
                    who.user(), recipe.zones());
            return batch(theLot).orElseThrow();
        } catch (SQLException e) {
            throw unavailable("the batch store cannot be read", e);
        }
    }

    @Override
    public synchronized BatchRecord act(String lot, BatchAction action, Principal who, String reason) {
        if (action == null) {
            throw new BatchRefusal("bad_request", "no action");
        }
        gate.allowed(who, action == BatchAction.COMPLETE ? Right.OPERATE : Right.HOLD_BATCH, "batch:" + lot);
        String why = action == BatchAction.COMPLETE ? Gatekeeper.optionalText(reason, "reason") : Gatekeeper.requiredText(reason, "reason");
        BatchStore.BatchRow b = batchRow(lot);
        BatchState from = BatchState.valueOf(b.state());
        BatchState to = switch (action) {
            case HOLD -> from == BatchState.RUNNING ? BatchState.HELD : null;
            case RESUME -> from == BatchState.HELD ? BatchState.RUNNING : null;
            case ABORT -> from.active() ? BatchState.ABORTED : null;
            case COMPLETE -> from == BatchState.RUNNING ? BatchState.COMPLETE : null;
        };
        if (to == null) {
            throw new BatchRefusal("conflict", "batch " + lot + " is " + from + ": it cannot " + action.id()
                    + (action == BatchAction.COMPLETE && from == BatchState.HELD ? " (resume it first)" : ""));
        }
        long now = clock.getAsLong();
        String detail = null;
        if (action == BatchAction.COMPLETE) {
            detail = RecordReader.detail(evaluate(b, now, null));
        }
        Recipe recipe = RecordReader.recordRecipe(b);
        String target = "batch:" + lot;
        gate.audit(new AuditEntry(0, 0, who.user(), who.entryPoint(), "batch." + action.id(), target, from.name(), to.name(),
                why, null));
        commit(who, "batch." + action.id(), target, row(lot, recipe, action.id(), from, to, who, why, null, detail),
                BatchStore.moveBatch(lot, from.name(), to.name(), to == BatchState.COMPLETE || to == BatchState.ABORTED
                        ? now : null));
        LOG.info("Batch {} {} -> {} by {}{}", lot, from, to, who.user(), why == null ? "" : ": " + why);
        return batch(lot).orElseThrow();
    }

    @Override
    public synchronized BatchRecord release(String lot, Principal who, String pin, String reason, String deviation) {
        gate.allowed(who, Right.RELEASE_BATCH, "batch:" + lot);
        String why = Gatekeeper.signable(who, pin, reason);
        String accepted = Gatekeeper.optionalText(deviation, "deviation");
        BatchStore.BatchRow b = batchRow(lot);
        BatchState from = BatchState.valueOf(b.state());
        if (from != BatchState.COMPLETE) {
            throw new BatchRefusal("conflict", "batch " + lot + " is " + from + ": only a COMPLETE batch can be released");
        }
        RecordReader.Detail evaluated = evaluate(b, clock.getAsLong(), accepted);
        List<CcpResult> failing = evaluated.ccp().stream().filter(c -> c.status() != CcpStatus.MET).toList();
        if (!failing.isEmpty() && accepted == null) {
            StringBuilder text = new StringBuilder("batch " + lot + " has CCPs not met:");
            failing.forEach(c -> text.append(' ').append(c.id()).append(' ').append(c.status()).append(" (")
                    .append(c.detail()).append(");"));
            throw new BatchRefusal("conflict", text + " releasing it needs a 'deviation' saying why the lot may go");
        }
        if (failing.isEmpty() && accepted != null) {
            throw new BatchRefusal("bad_request", "every CCP of batch " + lot + " is met: there is no deviation to accept");
        }
        String signedReason = accepted == null ? why : why + " | deviation accepted: " + accepted;
        if (signedReason.length() > Gatekeeper.MAX_REASON) {
            throw new BatchRefusal("bad_request", "reason and deviation together are longer than " + (Gatekeeper.MAX_REASON - 25)
                    + " characters");
        }
        String target = "batch:" + lot;
        Signature signed = gate.sign(who, pin, RELEASE_MEANING, signedReason, target);
        gate.audit(new AuditEntry(0, 0, who.user(), who.entryPoint(), "batch.release", target, from.name(),
                BatchState.RELEASED.name(), signedReason, RELEASE_MEANING));
        Recipe recipe = RecordReader.recordRecipe(b);
        commit(who, "batch.release", target, row(lot, recipe, "release", from, BatchState.RELEASED, who, signedReason,
                signed, RecordReader.detail(evaluated)), BatchStore.moveBatch(lot, from.name(), BatchState.RELEASED.name(), null));
        LOG.info("Batch {} released by {}{}", lot, who.user(), accepted == null ? "" : " with a deviation: " + accepted);
        return batch(lot).orElseThrow();
    }

    /** The batch's CCPs over its time window (start to end, or to now while active). */
    private RecordReader.Detail evaluate(BatchStore.BatchRow b, long now, String deviation) {
        long to = b.endedAt() > 0 ? b.endedAt() : now;
        return new RecordReader.Detail(now, CcpEvaluator.evaluate(RecordReader.recordRecipe(b).criticalParameters(),
                historian.get(), b.startedAt(), to, settings.historyPoints(), settings.maxGapMs()), deviation);
    }

    private BatchStore.Row row(String lot, Recipe recipe, String event, BatchState from, BatchState to, Principal who,
            String why, Signature signed, String detail) {
        return new BatchStore.Row(0, 0, RecordReader.KIND_BATCH, lot, recipe.id(), recipe.version(), recipe.sha256(),
                event, from == null ? null : from.name(), to.name(), who.user(),
                signed != null ? signed.printedName() : who.printedName(),
                signed != null && signed.role() != null ? signed.role().id() : who.role() == null ? null : who.role().id(),
                who.entryPoint(), why, signed == null ? null : signed.meaning(), signed == null ? null : signed.time(),
                signed == null ? null : signed.auditSeq(), detail);
    }

    private String nextLot(BatchStore s) throws SQLException {
        String day = DAY.format(Instant.ofEpochMilli(clock.getAsLong()));
        for (int n = 1; n < 1000; n++) {
            String lot = day + "-" + (n < 10 ? "0" + n : String.valueOf(n));
            if (!s.lotExists(lot)) {
                return lot;
            }
        }
        throw new BatchRefusal("conflict", "999 lots started today already: give the lot number");
    }

    private BatchStore.BatchRow batchRow(String lot) {
        if (lot == null || !LOT.matcher(lot).matches()) {
            throw new BatchRefusal("not_found", "no batch '" + Gatekeeper.shorten(lot) + "'");
        }
        try {
            return store().batch(lot).orElseThrow(() -> new BatchRefusal("not_found", "no batch '" + lot + "'"));
        } catch (SQLException e) {
            throw unavailable("the batch store cannot be read", e);
        }
    }

    // ---- rights, signatures, audit, store ----

    /** Commits the act; if the store refuses it, the audit trail says the act did not happen. */
    private void commit(Principal who, String action, String target, BatchStore.Row row, BatchStore.Change change) {
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

    private BatchStore store() {
        if (store == null) {
            throw new BatchRefusal("unavailable", "the batch store could not be opened: " + storeError);
        }
        return store;
    }

    private static BatchRefusal unavailable(String what, Exception e) {
        LOG.error("{}: {}", what, e.toString());
        return new BatchRefusal("unavailable", what);
    }

    private static BatchRefusal noRecipe(String id) {
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
