package org.brewpi.batches;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.batch.BatchAction;
import org.brewpi.api.batch.BatchRecord;
import org.brewpi.api.batch.BatchRefusal;
import org.brewpi.api.batch.BatchService;
import org.brewpi.api.batch.BatchState;
import org.brewpi.api.batch.CcpResult;
import org.brewpi.api.batch.CcpStatus;
import org.brewpi.api.batch.Recipe;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Signature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What people do to batches: start one of an approved recipe, move it through its states, release it. Called by the
 * manager under its lock; each act passes the manager's gatekeeper and is committed by the manager.
 */
final class Lots {

    private static final Logger LOG = LoggerFactory.getLogger(Lots.class);
    static final Pattern LOT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final BatchManager m;

    Lots(BatchManager manager) {
        this.m = manager;
    }

    BatchRecord start(String recipeId, String lot, Principal who, String reason) {
        m.gate.allowed(who, Right.OPERATE, "recipe:" + recipeId);
        if (recipeId == null || recipeId.isBlank()) {
            throw new BatchRefusal("bad_request", "'recipe' is required: the id of an approved recipe");
        }
        String why = Gatekeeper.optionalText(reason, "reason");
        if (lot != null && !LOT.matcher(lot.strip()).matches()) {
            throw new BatchRefusal("bad_request",
                    "lot must be 1-40 of letters, digits, '.', '_', '-', starting with a letter or digit");
        }
        BatchStore s = m.store();
        Recipe shown = m.recipe(recipeId).orElseThrow(() -> BatchManager.noRecipe(recipeId));
        byte[] content = m.book().content(shown.id()).orElseThrow(() -> BatchManager.noRecipe(recipeId));
        Recipe recipe;
        try {
            // the bytes are the truth: hash and approval of exactly what the batch keeps
            recipe = m.withApproval(RecipeFile.parse(shown.id(), shown.file(), content, m.now()));
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
            m.gate.audit(new AuditEntry(0, 0, who.user(), who.entryPoint(), "batch.start", target, null,
                    "RUNNING " + recipe.signatureTarget(), why, null));
            long now = m.now();
            m.commit(who, "batch.start", target, row(theLot, recipe, "start", null, BatchState.RUNNING, who, why, null, null),
                    BatchStore.startBatch(theLot, recipe.id(), new String(content, StandardCharsets.UTF_8), approvalSeq,
                            now, recipe.zones()));
            LOG.info("Batch {} of recipe {} version {} started by {} on {}", theLot, recipe.id(), recipe.version(),
                    who.user(), recipe.zones());
            return m.batch(theLot).orElseThrow();
        } catch (SQLException e) {
            throw BatchManager.unavailable("the batch store cannot be read", e);
        }
    }

    BatchRecord act(String lot, BatchAction action, Principal who, String reason) {
        if (action == null) {
            throw new BatchRefusal("bad_request", "no action");
        }
        m.gate.allowed(who, action == BatchAction.COMPLETE ? Right.OPERATE : Right.HOLD_BATCH, "batch:" + lot);
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
        long now = m.now();
        String detail = null;
        if (action == BatchAction.COMPLETE) {
            detail = RecordReader.detail(m.evaluate(b, now, null));
        }
        Recipe recipe = RecordReader.recordRecipe(b);
        String target = "batch:" + lot;
        m.gate.audit(new AuditEntry(0, 0, who.user(), who.entryPoint(), "batch." + action.id(), target, from.name(), to.name(),
                why, null));
        m.commit(who, "batch." + action.id(), target, row(lot, recipe, action.id(), from, to, who, why, null, detail),
                BatchStore.moveBatch(lot, from.name(), to.name(), to == BatchState.COMPLETE || to == BatchState.ABORTED
                        ? now : null));
        LOG.info("Batch {} {} -> {} by {}{}", lot, from, to, who.user(), why == null ? "" : ": " + why);
        return m.batch(lot).orElseThrow();
    }

    BatchRecord release(String lot, Principal who, String pin, String reason, String deviation) {
        m.gate.allowed(who, Right.RELEASE_BATCH, "batch:" + lot);
        String why = Gatekeeper.signable(who, pin, reason);
        String accepted = Gatekeeper.optionalText(deviation, "deviation");
        BatchStore.BatchRow b = batchRow(lot);
        BatchState from = BatchState.valueOf(b.state());
        if (from != BatchState.COMPLETE) {
            throw new BatchRefusal("conflict", "batch " + lot + " is " + from + ": only a COMPLETE batch can be released");
        }
        RecordReader.Detail evaluated = m.evaluate(b, m.now(), accepted);
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
        Signature signed = m.gate.sign(who, pin, BatchService.RELEASE_MEANING, signedReason, target);
        m.gate.audit(new AuditEntry(0, 0, who.user(), who.entryPoint(), "batch.release", target, from.name(),
                BatchState.RELEASED.name(), signedReason, BatchService.RELEASE_MEANING));
        Recipe recipe = RecordReader.recordRecipe(b);
        m.commit(who, "batch.release", target, row(lot, recipe, "release", from, BatchState.RELEASED, who, signedReason,
                signed, RecordReader.detail(evaluated)), BatchStore.moveBatch(lot, from.name(), BatchState.RELEASED.name(), null));
        LOG.info("Batch {} released by {}{}", lot, who.user(), accepted == null ? "" : " with a deviation: " + accepted);
        return m.batch(lot).orElseThrow();
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
        String day = DAY.format(Instant.ofEpochMilli(m.now()));
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
            return m.store().batch(lot).orElseThrow(() -> new BatchRefusal("not_found", "no batch '" + lot + "'"));
        } catch (SQLException e) {
            throw BatchManager.unavailable("the batch store cannot be read", e);
        }
    }
}
