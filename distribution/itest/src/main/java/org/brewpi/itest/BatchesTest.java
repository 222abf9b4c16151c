package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.api.security.Sessions;
import org.brewpi.api.security.UserAdmin;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The demo recipe through the REST API of the running box with the simulated plant: QA approves it with a signature,
 * an operator starts a batch and completes it, QA releases it with a signature (a deviation for the boil CCP, which
 * a short test cannot meet), and the batch record holds all of it.
 */
class BatchesTest {

    private static final String PIN = "it-batch-pin-7";

    @InjectBundleContext
    BundleContext context;
    Box box;

    @BeforeEach
    void box() {
        box = new Box(context);
    }

    /** A person with a PIN, logged in: the session token. Names are new per run: the data folder may be reused. */
    private String login(Role role) {
        Principal admin = box.service(Authenticator.class).authenticate("Bearer " + Box.TOKEN).orElseThrow();
        String user = "b" + role.id().substring(0, 3) + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        box.service(UserAdmin.class).createUser(admin, user, "IT " + role.id() + " " + user, role, "first-" + user);
        Sessions sessions = box.service(Sessions.class);
        sessions.changePin(user, "first-" + user, PIN, "hmi");
        return sessions.login(user, PIN, "hmi").token();
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + box.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return box.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Box.JSON.readTree(r.body());
    }

    @Test
    void theDemoRecipeIsApprovedABatchRunsAndIsReleasedWithSignatures() throws Exception {
        long testStarted = System.currentTimeMillis();
        box.awaitZone("fv1", ZoneState.ONLINE);
        String qa = login(Role.QUALITY);
        String operator = login(Role.OPERATOR);
        String supervisor = login(Role.SUPERVISOR);

        // the demo recipe was seeded into conf/recipes and picked up from there
        await().atMost(Box.WAIT).until(() -> box.get("/api/recipes/pale-ale").statusCode() == 200);
        JsonNode recipe = box.getJson("/api/recipes/pale-ale");
        assertThat(recipe.get("zones").toString()).isEqualTo("[\"hlt\",\"mash\",\"kettle\",\"fv1\"]");
        assertThat(recipe.get("criticalParameters").findValuesAsText("id")).containsExactly("boil", "fermentation");
        String sha = recipe.get("sha256").asText();

        // a batch left running by an earlier run on this data folder would hold the zones
        for (JsonNode b : box.getJson("/api/batches?limit=1000").get("batches")) {
            if (List.of("RUNNING", "HELD").contains(b.get("state").asText())) {
                assertThat(post("/api/batches/" + b.get("lot").asText() + "/abort",
                        "{\"reason\":\"left over from an earlier test run\"}", supervisor).statusCode()).isEqualTo(200);
            }
        }

        String approve = "{\"pin\":\"" + PIN + "\",\"reason\":\"HACCP plan reviewed\",\"sha256\":\"" + sha + "\"}";
        assertThat(post("/api/recipes/pale-ale/approve", approve, Box.TOKEN).statusCode())
                .as("an API token cannot sign").isEqualTo(403);
        assertThat(post("/api/recipes/pale-ale/approve", approve, operator).statusCode())
                .as("an operator may not approve").isEqualTo(403);
        assertThat(post("/api/recipes/pale-ale/approve", "{\"reason\":\"no pin\"}", qa).statusCode()).isEqualTo(400);
        if ("DRAFT".equals(recipe.get("status").asText())) {
            HttpResponse<String> approved = post("/api/recipes/pale-ale/approve", approve, qa);
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            JsonNode signature = json(approved).get("approval");
            assertThat(json(approved).get("status").asText()).isEqualTo("APPROVED");
            assertThat(signature.get("printedName").asText()).startsWith("IT quality ");
            assertThat(signature.get("meaning").asText()).isEqualTo("recipe approval");
            assertThat(signature.get("target").asText()).isEqualTo("recipe:pale-ale@1#" + sha);
        } else {
            // the data folder is reused from an earlier run: this very content is approved already, once only
            assertThat(recipe.get("status").asText()).isEqualTo("APPROVED");
            assertThat(post("/api/recipes/pale-ale/approve", approve, qa).statusCode()).isEqualTo(409);
        }

        HttpResponse<String> started = post("/api/batches", "{\"recipe\":\"pale-ale\",\"reason\":\"itest\"}", operator);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String lot = json(started).get("lot").asText();
        assertThat(lot).matches("\\d{4}-\\d{2}-\\d{2}-\\d{2,3}");
        assertThat(json(started).get("state").asText()).isEqualTo("RUNNING");
        assertThat(json(started).get("recipe").get("sha256").asText()).isEqualTo(sha);

        // while it runs the record shows the CCPs as they stand: fv1 holds 18 °C, the kettle is cold
        await().atMost(Box.WAIT).untilAsserted(() -> {
            JsonNode ccp = box.getJson("/api/batches/" + lot).get("ccp");
            assertThat(ccp.get(1).get("status").asText()).isEqualTo("MET");
        });
        assertThat(post("/api/batches/" + lot + "/hold", "{\"reason\":\"x\"}", operator).statusCode())
                .as("holding is the supervisor's").isEqualTo(403);
        HttpResponse<String> complete = post("/api/batches/" + lot + "/complete", "{\"reason\":\"all steps done\"}", operator);
        assertThat(complete.statusCode()).as(complete.body()).isEqualTo(200);
        // the kettle stays cold (NOT_MET), or reports no change at all in so short a batch (NO_DATA)
        List<String> ccp = json(complete).get("ccp").findValuesAsText("status");
        assertThat(ccp.get(0)).isIn("NOT_MET", "NO_DATA");
        assertThat(ccp.get(1)).isEqualTo("MET");

        String release = "{\"pin\":\"" + PIN + "\",\"reason\":\"lab results within spec\"}";
        HttpResponse<String> refused = post("/api/batches/" + lot + "/release", release, qa);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(json(refused).get("message").asText()).contains("boil " + ccp.get(0), "deviation");
        HttpResponse<String> released = post("/api/batches/" + lot + "/release", "{\"pin\":\"" + PIN
                + "\",\"reason\":\"lab results within spec\",\"deviation\":\"integration test: no real boil\"}", qa);
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);

        JsonNode record = box.getJson("/api/batches/" + lot);
        assertThat(record.get("state").asText()).isEqualTo("RELEASED");
        assertThat(record.get("recipe").get("id").asText()).isEqualTo("pale-ale");
        assertThat(record.get("recipe").get("sha256").asText()).isEqualTo(sha);
        assertThat(record.get("recipe").get("approval").get("meaning").asText()).isEqualTo("recipe approval");
        assertThat(record.get("history").findValuesAsText("event")).containsExactly("start", "complete", "release");
        assertThat(record.get("history").get(0).get("printedName").asText()).startsWith("IT operator ");
        assertThat(record.get("deviation").asText()).isEqualTo("integration test: no real boil");
        JsonNode signature = record.get("release");
        assertThat(signature.get("printedName").asText()).startsWith("IT quality ");
        assertThat(signature.get("meaning").asText()).isEqualTo("batch release");
        assertThat(signature.get("time").asLong()).isGreaterThanOrEqualTo(testStarted);
        assertThat(signature.get("reason").asText()).contains("lab results within spec", "integration test: no real boil");

        List<AuditEntry> audited = box.service(AuditTrail.class).entries(0, testStarted, Long.MAX_VALUE, null,
                "batch:" + lot, 100);
        assertThat(audited).extracting(AuditEntry::action).containsSubsequence("batch.start", "batch.complete",
                "signature", "batch.release");
        assertThat(box.getJson("/api/health").get("components").get("batches").get("status").asText()).isEqualTo("UP");
    }
}
