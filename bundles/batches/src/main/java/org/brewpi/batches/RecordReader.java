package org.brewpi.batches;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.brewpi.api.batch.BatchEvent;
import org.brewpi.api.batch.BatchRecord;
import org.brewpi.api.batch.BatchState;
import org.brewpi.api.batch.CcpResult;
import org.brewpi.api.batch.Recipe;
import org.brewpi.api.security.Role;
import org.brewpi.api.security.Signature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The store's rows as the API's records: signatures, batch records, the CCP detail as JSON. */
final class RecordReader {

    static final String KIND_RECIPE = "recipe";
    static final String KIND_BATCH = "batch";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<CcpResult>> CCP_LIST = new TypeReference<>() {
    };

    /** What a complete or release row keeps in {@code detail}. */
    record Detail(long evaluatedAt, List<CcpResult> ccp, String deviation) {
    }

    private RecordReader() {
    }

    /** The signature a journal row holds, {@code null} when none. */
    static Signature signature(BatchStore.Row r, String target) {
        if (r.meaning() == null) {
            return null;
        }
        return new Signature(r.actor(), r.printedName(), Role.parse(r.role()).orElse(null),
                r.signedTs() == null ? r.ts() : r.signedTs(), r.meaning(), r.reason(), target,
                r.auditSeq() == null ? 0 : r.auditSeq());
    }

    static String recipeTarget(BatchStore.Row r) {
        return "recipe:" + r.recipe() + "@" + r.recipeVersion() + "#" + r.recipeSha256();
    }

    static String detail(Detail d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("evaluatedAt", d.evaluatedAt());
        m.put("ccp", d.ccp());
        if (d.deviation() != null) {
            m.put("deviation", d.deviation());
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("CCP results cannot be written as JSON", e);
        }
    }

    static Optional<Detail> detail(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(text);
            List<CcpResult> ccp = JSON.convertValue(n.get("ccp"), CCP_LIST);
            return Optional.of(new Detail(n.path("evaluatedAt").asLong(), ccp == null ? List.of() : ccp,
                    n.hasNonNull("deviation") ? n.get("deviation").asText() : null));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty(); // written by this class: cannot happen short of a damaged file
        }
    }

    /** The recipe as the batch keeps it (its own copy, not the file as it is now). */
    static Recipe recordRecipe(BatchStore.BatchRow b) {
        try {
            return RecipeFile.parse(b.recipe(), "batch:" + b.lot(), b.recipeContent().getBytes(StandardCharsets.UTF_8),
                    b.startedAt());
        } catch (RecipeFile.Invalid e) {
            throw new IllegalStateException("the recipe copy of batch " + b.lot() + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * @param live the CCPs evaluated now, for a batch still active ({@code null}: use the recorded ones)
     */
    static BatchRecord record(BatchStore store, BatchStore.BatchRow b, Detail live) throws SQLException {
        Recipe recipe = recordRecipe(b);
        Optional<BatchStore.Row> approval = store.row(b.approvalSeq());
        if (approval.isPresent()) {
            recipe = recipe.withApproval(signature(approval.get(), recipeTarget(approval.get())));
        }
        List<BatchEvent> events = new ArrayList<>();
        Detail recorded = null;
        Signature release = null;
        for (BatchStore.Row r : store.history(KIND_BATCH, b.lot())) {
            Signature s = signature(r, "batch:" + b.lot());
            events.add(new BatchEvent(r.seq(), r.ts(), r.event(), r.fromState() == null ? null : BatchState.valueOf(r.fromState()),
                    BatchState.valueOf(r.toState()), r.actor(), r.printedName(), r.entryPoint(), r.reason(), s));
            Optional<Detail> d = detail(r.detail());
            if (d.isPresent()) {
                recorded = d.get();
            }
            if ("release".equals(r.event())) {
                release = s;
            }
        }
        Detail shown = live != null ? live : recorded;
        return new BatchRecord(b.lot(), recipe, BatchState.valueOf(b.state()), b.zones(), b.startedAt(), b.endedAt(),
                events, shown == null ? List.of() : shown.ccp(), shown == null ? 0 : shown.evaluatedAt(),
                recorded == null ? null : recorded.deviation(), release);
    }
}
