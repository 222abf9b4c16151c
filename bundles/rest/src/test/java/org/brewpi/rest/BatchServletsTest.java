package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.Annotation;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.brewpi.batches.BatchManager;
import org.brewpi.batches.BatchesConfig;
import org.brewpi.users.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * /api/recipes and /api/batches over HTTP, on the real batch manager, users service and audit trail: every bad
 * input a clear 4xx, signatures only from people, the whole flow from approval to the released record.
 */
class BatchServletsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String PIN = AlarmServletTest.PIN;
    static final String RECIPE = """
            {"id": "ipa", "name": "IPA", "version": 2, "style": "IPA",
             "steps": [{"zone": "kettle", "name": "boil", "setpoints": {"sv": 100.0}, "minutes": 60}],
             "criticalParameters": [{"id": "boil", "zone": "kettle", "tag": "pv", "min": 98.0, "minutes": 60}]}
            """;

    @TempDir
    Path dir;
    H2AuditTrail audit;
    BatchManager batches;
    EmbeddedJetty box;
    String bootstrap;
    String qa;
    String operator;
    String supervisor;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("conf/recipes"));
        Files.writeString(dir.resolve("conf/recipes/ipa.json"), RECIPE);
        audit = new H2AuditTrail(new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return dir.toString();
            }
        });
        UserService users = new UserService(SecurityServletsTest.config(dir.toString()), audit);
        batches = new BatchManager(config(dir));
        batches.setAudit(audit);
        batches.setPolicy(users);
        batches.setSignatures(users);
        RecipesServlet recipes = new RecipesServlet();
        recipes.setBatches(batches);
        recipes.setAuthenticator(users);
        BatchesServlet lots = new BatchesServlet();
        lots.setBatches(batches);
        lots.setAuthenticator(users);
        box = new EmbeddedJetty().add(recipes, false, "/api/recipes", "/api/recipes/*")
                .add(lots, false, "/api/batches", "/api/batches/*")
                .add(new SessionServlet(users, users), false, SessionServlet.SESSION, SessionServlet.PIN)
                .add(new UsersServlet(users, users), false, "/api/users", "/api/users/*").start();
        bootstrap = SecurityServletsTest.config(dir.toString())._api_token();
        qa = AlarmServletTest.login(box, bootstrap, "quinn", "quality");
        operator = AlarmServletTest.login(box, bootstrap, "olga", "operator");
        supervisor = AlarmServletTest.login(box, bootstrap, "sam", "supervisor");
    }

    @AfterEach
    void stop() throws Exception {
        box.close();
        invoke(batches, "close");
    }

    /** The manager's deactivation is package-private, as DS wants it. */
    private static void invoke(Object target, String method) throws Exception {
        var m = target.getClass().getDeclaredMethod(method);
        m.setAccessible(true);
        m.invoke(target);
    }

    static BatchesConfig config(Path dir) {
        return new BatchesConfig() {
            public Class<? extends Annotation> annotationType() {
                return BatchesConfig.class;
            }

            public String data_dir() {
                return dir.toString();
            }

            public String conf_dir() {
                return dir.resolve("conf").toString();
            }

            public long poll_ms() {
                return 100;
            }

            public int max_gap_seconds() {
                return 300;
            }

            public int history_points() {
                return 1000;
            }
        };
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        return AlarmServletTest.call(box, path, body, token);
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(box.http(path)).method(method, BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String error(HttpResponse<String> r) throws Exception {
        return json(r).get("error").asText();
    }

    @Test
    void fromApprovalToTheReleasedRecord() throws Exception {
        JsonNode list = json(send("GET", "/api/recipes", null));
        assertThat(list.get("count").asInt()).isEqualTo(1);
        JsonNode recipe = list.get("recipes").get(0);
        assertThat(recipe.get("status").asText()).isEqualTo("DRAFT");
        String sha = recipe.get("sha256").asText();

        HttpResponse<String> draft = post("/api/batches", "{\"recipe\":\"ipa\"}", operator);
        assertThat(draft.statusCode()).isEqualTo(409);
        assertThat(json(draft).get("message").asText()).contains("DRAFT");

        HttpResponse<String> approved = post("/api/recipes/ipa/approve",
                "{\"pin\":\"" + PIN + "\",\"reason\":\"plan reviewed\",\"sha256\":\"" + sha + "\"}", qa);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(json(approved).get("approval").get("printedName").asText()).isEqualTo("Name of quinn");
        assertThat(json(send("GET", "/api/recipes/ipa", null)).get("status").asText()).isEqualTo("APPROVED");

        HttpResponse<String> started = post("/api/batches", "{\"recipe\":\"ipa\",\"lot\":\"IPA-001\"}", operator);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        assertThat(post("/api/batches", "{\"recipe\":\"ipa\",\"lot\":\"IPA-001\"}", operator).statusCode()).isEqualTo(409);
        assertThat(post("/api/batches/IPA-001/hold", "{\"reason\":\"x\"}", operator).statusCode()).isEqualTo(403);
        assertThat(post("/api/batches/IPA-001/hold", "{\"reason\":\"pump trip\"}", supervisor).statusCode()).isEqualTo(200);
        assertThat(post("/api/batches/IPA-001/complete", "{}", operator).statusCode()).isEqualTo(409);
        assertThat(post("/api/batches/IPA-001/resume", "{\"reason\":\"pump reset\"}", supervisor).statusCode()).isEqualTo(200);
        assertThat(post("/api/batches/IPA-001/complete", "{}", operator).statusCode()).isEqualTo(200);

        assertThat(post("/api/batches/IPA-001/release", "{\"pin\":\"" + PIN + "\",\"reason\":\"ok\"}", bootstrap)
                .statusCode()).as("the bootstrap token cannot sign").isEqualTo(403);
        assertThat(post("/api/batches/IPA-001/release", "{\"pin\":\"wrong\",\"reason\":\"ok\",\"deviation\":\"d\"}", qa)
                .statusCode()).as("a wrong PIN").isEqualTo(401);
        HttpResponse<String> needsDeviation = post("/api/batches/IPA-001/release", "{\"pin\":\"" + PIN + "\",\"reason\":\"ok\"}", qa);
        assertThat(needsDeviation.statusCode()).isEqualTo(409);
        assertThat(json(needsDeviation).get("message").asText()).contains("boil NO_DATA");
        HttpResponse<String> released = post("/api/batches/IPA-001/release",
                "{\"pin\":\"" + PIN + "\",\"reason\":\"lab ok\",\"deviation\":\"boil on paper log\"}", qa);
        assertThat(released.statusCode()).as(released.body()).isEqualTo(200);

        JsonNode record = json(send("GET", "/api/batches/IPA-001", null));
        assertThat(record.get("state").asText()).isEqualTo("RELEASED");
        assertThat(record.get("recipe").get("sha256").asText()).isEqualTo(sha);
        assertThat(record.get("history").findValuesAsText("event"))
                .containsExactly("start", "hold", "resume", "complete", "release");
        assertThat(record.get("history").findValuesAsText("actor")).containsExactly("olga", "sam", "sam", "olga", "quinn");
        assertThat(record.get("release").get("meaning").asText()).isEqualTo("batch release");
        assertThat(record.get("release").get("printedName").asText()).isEqualTo("Name of quinn");
        assertThat(record.get("deviation").asText()).isEqualTo("boil on paper log");
        assertThat(record.get("ccp").get(0).get("status").asText()).isEqualTo("NO_DATA");

        JsonNode all = json(send("GET", "/api/batches", null));
        assertThat(all.get("count").asInt()).isEqualTo(1);
        assertThat(all.get("batches").get(0).get("released").asBoolean()).isTrue();
        assertThat(audit.entries(0, 0, Long.MAX_VALUE, null, "batch:IPA-001", 100)).extracting(AuditEntry::action)
                .contains("batch.start", "batch.hold", "batch.resume", "batch.complete", "signature", "batch.release");
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {4}")
    @CsvSource(delimiter = '|', value = {
            // who | method | path | body | status | error
            "none|POST|/api/recipes/ipa/approve|{\"pin\":\"p\",\"reason\":\"r\"}|401|unauthorized",
            "qa|POST|/api/recipes/ipa/approve|[1]|400|bad_request",
            "qa|POST|/api/recipes/ipa/approve|{\"pin\":4711,\"reason\":\"r\"}|400|bad_request",
            "qa|POST|/api/recipes/ipa/approve|{\"PIN\":\"x\",\"reason\":\"r\"}|400|bad_request",
            "qa|POST|/api/recipes/ipa/approve|{\"reason\":\"r\"}|400|bad_request",
            "qa|POST|/api/recipes/ipa/approve|{\"pin\":\"x\"}|400|bad_request",
            "qa|POST|/api/recipes/ipa/approve|{\"pin\":\"x\",\"reason\":\"   \"}|400|bad_request",
            "qa|POST|/api/recipes/ipa/approve|{\"pin\":\"x\",\"reason\":\"r\",\"sha256\":\"00\"}|409|conflict",
            "qa|POST|/api/recipes/porter/approve|{\"pin\":\"x\",\"reason\":\"r\"}|404|unknown_recipe",
            "qa|POST|/api/recipes/ipa/reject|{}|404|not_found",
            "qa|GET|/api/recipes/ipa/approve||405|method_not_allowed",
            "none|GET|/api/recipes/porter||404|unknown_recipe",
            "none|POST|/api/recipes||405|method_not_allowed",
            "operator|POST|/api/recipes/ipa/approve|{\"pin\":\"x\",\"reason\":\"r\"}|403|forbidden",
            "bootstrap|POST|/api/recipes/ipa/approve|{\"pin\":\"x\",\"reason\":\"r\"}|403|forbidden",
            "none|POST|/api/batches|{\"recipe\":\"ipa\"}|401|unauthorized",
            "operator|POST|/api/batches|{}|400|bad_request",
            "operator|POST|/api/batches|{\"recipe\":7}|400|bad_request",
            "operator|POST|/api/batches|{\"recipe\":\"ipa\",\"lot\":\"\"}|400|bad_request",
            "operator|POST|/api/batches|{\"recipe\":\"ipa\",\"lot\":\"a/b c\"}|400|bad_request",
            "operator|POST|/api/batches|{\"recipe\":\"ipa\",\"color\":\"red\"}|400|bad_request",
            "operator|POST|/api/batches|{\"recipe\":\"porter\"}|404|not_found",
            "operator|POST|/api/batches|not json|400|bad_request",
            "qa|POST|/api/batches|{\"recipe\":\"ipa\"}|403|forbidden",
            "supervisor|POST|/api/batches/L-1/hold|{\"reason\":\"r\"}|404|not_found",
            "supervisor|POST|/api/batches/L-1/pause|{\"reason\":\"r\"}|404|not_found",
            "supervisor|GET|/api/batches/L-1/hold||405|method_not_allowed",
            "none|GET|/api/batches/L-1||404|unknown_batch",
            "none|GET|/api/batches?limit=0||400|bad_request",
            "none|GET|/api/batches?limit=x||400|bad_request",
            "none|PUT|/api/batches||405|method_not_allowed",
            "none|GET|/api/batches/a/b/c||404|not_found",
            "qa|POST|/api/batches/L-1/release|{\"pin\":\"x\",\"reason\":\"r\",\"deviation\":5}|400|bad_request",
    })
    void everyBadRequestIsAClear4xx(String who, String method, String path, String body, int status, String code)
            throws Exception {
        String token = switch (who) {
            case "qa" -> qa;
            case "operator" -> operator;
            case "supervisor" -> supervisor;
            case "bootstrap" -> bootstrap;
            default -> null;
        };
        HttpResponse<String> r = body == null ? send(method, path, token) : "POST".equals(method)
                ? post(path, body, token) : send(method, path, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(error(r)).isEqualTo(code);
        assertThat(json(r).get("message").asText()).isNotBlank().doesNotContain("Exception", "org.brewpi");
    }

    @Test
    void aRoleWithoutTheRightIsRefusedWhateverItSentAndTheRefusalIsAudited() throws Exception {
        HttpResponse<String> r = post("/api/recipes/ipa/approve", "{}", operator);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("message").asText()).contains("role operator may not approve recipe");
        List<AuditEntry> refused = audit.entries(0, 0, Long.MAX_VALUE, "olga", "recipe:ipa", 10);
        assertThat(refused).extracting(AuditEntry::action).containsExactly("access.refused");
    }

    @Test
    void aRecipeFileChangedOnDiskIsADraftAgainOverTheApi() throws Exception {
        assertThat(post("/api/recipes/ipa/approve", "{\"pin\":\"" + PIN + "\",\"reason\":\"ok\"}", qa).statusCode())
                .isEqualTo(200);
        Files.writeString(dir.resolve("conf/recipes/ipa.json"), RECIPE.replace("98.0", "97.0"));
        await().atMost(Duration.ofSeconds(10)).until(
                () -> "DRAFT".equals(json(send("GET", "/api/recipes/ipa", null)).get("status").asText()));
        assertThat(post("/api/batches", "{\"recipe\":\"ipa\"}", operator).statusCode()).isEqualTo(409);
    }
}
