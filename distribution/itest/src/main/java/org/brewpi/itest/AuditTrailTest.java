package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;

import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

import com.fasterxml.jackson.databind.JsonNode;

/** Every write through the gate leaves its request and its outcome in the hash-chained audit trail. */
class AuditTrailTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void aRestWriteIsAuditedAndTheChainVerifies() throws Exception {
        Box box = new Box(context);
        box.awaitZone("fv1", ZoneState.ONLINE);
        var write = box.put("/api/zones/fv1/tags/sv", "{\"value\": 17.5}", Box.TOKEN);
        assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
        var refused = box.put("/api/zones/fv1/tags/sv", "{\"value\": 99}", Box.TOKEN);
        assertThat(refused.statusCode()).isEqualTo(422);

        assertThat(box.get("/api/audit").statusCode()).isEqualTo(401);
        var page = box.get("/api/audit?target=fv1.sv", Box.TOKEN);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        JsonNode entries = Box.JSON.readTree(page.body()).get("entries");
        assertThat(entries).extracting(e -> e.get("action").asText() + " " + e.get("newValue").asText())
                .contains("command.write 17.5", "command.outcome 17.5", "command.write 99.0");
        JsonNode last = entries.get(entries.size() - 1);
        assertThat(last.get("entryPoint").asText()).isEqualTo("rest");
        assertThat(last.get("reason").asText()).contains("refused: out_of_range");
        assertThat(last.get("oldValue").isNull()).isFalse();

        JsonNode verify = Box.JSON.readTree(box.get("/api/audit/verify", Box.TOKEN).body());
        assertThat(verify.get("ok").asBoolean()).isTrue();
        assertThat(verify.get("entries").asLong()).isGreaterThanOrEqualTo(3);
    }
}
