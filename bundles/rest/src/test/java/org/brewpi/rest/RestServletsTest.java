package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.rest.Fixtures.Contributor;
import org.brewpi.rest.Fixtures.Definition;
import org.brewpi.rest.Fixtures.TestGate;
import org.brewpi.rest.Fixtures.TestHistorian;
import org.brewpi.rest.Fixtures.TestPlant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The REST servlets on a real Jetty, over real HTTP. */
class RestServletsTest {

    private static final String TOKEN = "test-token-1234";
    private static final long GATE_WAIT_MS = 1_500;
    private static final HealthContributor LIVE = new Contributor("live", HealthContributor.Status.UP, Map.of());

    private static final TestPlant plant = new TestPlant();
    private static final TestGate gate = new TestGate();
    private static final TestHistorian historian = new TestHistorian();
    private static HistoryServlet history;
    private static HealthServlet health;
    private static EmbeddedJetty jetty;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        plant.put(Fixtures.fermenter("fv1", ZoneState.ONLINE, 18.25));
        ZonesServlet zones = new ZonesServlet(plant, TOKEN, GATE_WAIT_MS);
        zones.addDefinition(Definition.of("fv1", "fermenter", "Fermentador 1"));
        zones.addDefinition(Definition.of("hlt", "hlt", "Licor caliente"));
        zones.setGate(gate);

        health = new HealthServlet(() -> List.of(new HealthReport.BundleInfo(0, "system", "ACTIVE", false)));
        health.setPlant(plant);
        health.addDefinition(Definition.of("fv1", "fermenter", "Fermentador 1"));
        health.addDefinition(Definition.of("hlt", "hlt", "Licor caliente"));
        health.addContributor(zones);
        health.addContributor(LIVE);

        history = new HistoryServlet();

        jetty = new EmbeddedJetty()
                .add(zones, true, "/api/zones", "/api/zones/*")
                .add(health, false, "/api/health")
                .add(history, false, HistoryServlet.HISTORY, HistoryServlet.EVENTS)
                .add(new RootServlet(), false, "/")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    @BeforeEach
    void reset() {
        gate.submitted.clear();
        gate.answering(c -> new CommandResult(c, Outcome.DONE, null, null, 1, 2), 100);
        history.unsetHistorian(historian);
        health.unsetHistorian(historian);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(jetty.http(path)));
    }

    private static HttpResponse<String> put(String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(jetty.http(path)).PUT(BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return mapper.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    @Test
    void listsLiveAndConfiguredZones() throws Exception {
        HttpResponse<String> response = get("/api/zones");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode zones = json(response);
        assertThat(zones).extracting(z -> z.get("id").asText() + ":" + z.get("state").asText())
                .containsExactly("fv1:online", "hlt:offline");
        assertThat(zones.get(0).get("label").asText()).isEqualTo("Fermentador 1");
        assertThat(zones.get(0).get("tags").get("pv").get("value").asDouble()).isEqualTo(18.25);
    }

    @Test
    void oneZoneOr404() throws Exception {
        HttpResponse<String> fv1 = get("/api/zones/fv1");
        assertThat(fv1.statusCode()).isEqualTo(200);
        assertThat(json(fv1).get("id").asText()).isEqualTo("fv1");

        assertError(get("/api/zones/nope"), 404, "unknown_zone");
        assertError(get("/api/zones/fv1/bogus"), 404, "not_found");
    }

    @Test
    void writeGoesThroughTheGateAndAnswersWithTheAck() throws Exception {
        HttpResponse<String> response = put("/api/zones/fv1/tags/sv", "{\"value\": 18.5}", TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("outcome").asText()).isEqualTo("DONE");
        assertThat(body.get("error").isNull()).isTrue();
        assertThat(body.get("id").asText()).isEqualTo(gate.submitted.get(0).id());
        assertThat(body.get("zone").asText()).isEqualTo("fv1");
        assertThat(body.get("tag").asText()).isEqualTo("sv");
        assertThat(body.get("value").asDouble()).isEqualTo(18.5);
        assertThat(gate.submitted).singleElement().satisfies(c -> {
            assertThat(c.op()).isEqualTo(Command.WRITE);
            assertThat(c.zone()).isEqualTo("fv1");
            assertThat(c.tag()).isEqualTo("sv");
            assertThat(c.value()).isEqualTo(18.5);
            assertThat(c.origin()).isEqualTo("rest");
            assertThat(c.user()).isEqualTo("api");
        });
    }

    @Test
    void outcomesMapToStatuses() throws Exception {
        Map<Outcome, String[]> cases = Map.of(
                Outcome.REJECTED, new String[] { "out_of_range", "422" },
                Outcome.REFUSED, new String[] { "interlocked", "409" },
                Outcome.TIMEOUT, new String[] { "timeout", "504" },
                Outcome.NOT_SENT, new String[] { "offline", "503" });
        for (Map.Entry<Outcome, String[]> c : cases.entrySet()) {
            String error = c.getValue()[0];
            gate.answering(cmd -> new CommandResult(cmd, c.getKey(), error, "because " + error, 1, 2), 10);

            HttpResponse<String> response = put("/api/zones/fv1/tags/sv", "{\"value\": 45}", TOKEN);

            assertThat(response.statusCode()).as(c.getKey() + " " + response.body())
                    .isEqualTo(Integer.parseInt(c.getValue()[1]));
            JsonNode body = json(response);
            assertThat(body.get("outcome").asText()).isEqualTo(c.getKey().name());
            assertThat(body.get("error").asText()).isEqualTo(error);
            assertThat(body.get("message").asText()).isEqualTo("because " + error);
        }
        gate.answering(cmd -> new CommandResult(cmd, Outcome.REJECTED, "unknown_tag", "no tag", 1, 2), 0);
        assertError(put("/api/zones/fv1/tags/nope", "{\"value\": 1}", TOKEN), 404, "unknown_tag");
    }

    @Test
    void aGateThatNeverAnswersGivesA504() throws Exception {
        gate.answering(null, 0);
        long start = System.nanoTime();

        HttpResponse<String> response = put("/api/zones/fv1/tags/sv", "{\"value\": 18}", TOKEN);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(json(response).get("outcome").asText()).isEqualTo("TIMEOUT");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(GATE_WAIT_MS));
    }

    @Test
    void writesNeedTheToken() throws Exception {
        HttpResponse<String> none = put("/api/zones/fv1/tags/sv", "{\"value\": 18.5}", null);
        assertError(none, 401, "unauthorized");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"brewpi\"");
        assertError(put("/api/zones/fv1/tags/sv", "{\"value\": 18.5}", "wrong"), 401, "unauthorized");
        assertError(send(HttpRequest.newBuilder(jetty.http("/api/zones/fv1/reset")).POST(BodyPublishers.noBody())),
                401, "unauthorized");
        assertThat(gate.submitted).isEmpty();
    }

    @Test
    void badBodiesAre400AndChangeNothing() throws Exception {
        for (String body : List.of("", "{", "{\"value\": null}", "[1]", "{\"value\": {}}", "{\"v\": 1}")) {
            assertError(put("/api/zones/fv1/tags/sv", body, TOKEN), 400, "bad_request");
        }
        assertError(put("/api/zones/fv1/tags/sv", "{\"value\":\"" + "x".repeat(5000) + "\"}", TOKEN), 413,
                "too_large");
        assertError(put("/api/zones/BAD!/tags/sv", "{\"value\": 1}", TOKEN), 404, "unknown_zone");
        assertThat(gate.submitted).isEmpty();
    }

    @Test
    void resetIsACommandToo() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(jetty.http("/api/zones/hlt/reset"))
                .POST(BodyPublishers.noBody()).header("Authorization", "Bearer " + TOKEN));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("outcome").asText()).isEqualTo("DONE");
        assertThat(gate.submitted).singleElement().satisfies(c -> {
            assertThat(c.op()).isEqualTo(Command.RESET);
            assertThat(c.zone()).isEqualTo("hlt");
            assertThat(c.tag()).isNull();
        });
    }

    @Test
    void wrongMethodsAre405WithAllow() throws Exception {
        HttpResponse<String> response = get("/api/zones/fv1/tags/sv");
        assertError(response, 405, "method_not_allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue("PUT");
        assertError(send(HttpRequest.newBuilder(jetty.http("/api/zones")).DELETE()), 405, "method_not_allowed");
    }

    @Test
    void healthReportsBundlesZonesAndComponents() throws Exception {
        health.setHistorian(historian);

        HttpResponse<String> response = get("/api/health");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("bundles").get("total").asInt()).isEqualTo(1);
        assertThat(body.get("zones").get("configured").asInt()).isEqualTo(2);
        assertThat(body.get("zones").get("online").asInt()).isEqualTo(1);
        assertThat(body.get("zones").get("offline").asInt()).isEqualTo(1);
        assertThat(body.get("zones").get("rejects").get("not_json").asInt()).isEqualTo(5);
        assertThat(body.get("components").get("rest").get("status").asText()).isEqualTo("UP");
        assertThat(body.get("uptimeMs").asLong()).isPositive();
    }

    @Test
    void healthIsDownAnd503WithoutAHistorian() throws Exception {
        HttpResponse<String> response = get("/api/health");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.get("components").get("historian").get("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void healthIsDegradedWhenTheLiveFeedIsNotRunning() throws Exception {
        health.setHistorian(historian);
        health.removeContributor(LIVE);
        try {
            HttpResponse<String> response = get("/api/health");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.get("status").asText()).isEqualTo("DEGRADED");
            assertThat(body.get("components").get("live").get("status").asText()).isEqualTo("DOWN");
        } finally {
            health.addContributor(LIVE);
        }
    }

    @Test
    void healthSurvivesAContributorWhoseDetailsAreNotJson() throws Exception {
        health.setHistorian(historian);
        HealthContributor odd = new HealthContributor() {
            @Override
            public String name() {
                return "odd";
            }

            @Override
            public Status status() {
                return Status.UP;
            }

            @Override
            public Map<String, Object> details() {
                return Map.of("self", new Object() {
                    @SuppressWarnings("unused")
                    public Object getLoop() {
                        throw new IllegalStateException("cannot be read");
                    }
                });
            }
        };
        health.addContributor(odd);
        try {
            HttpResponse<String> response = get("/api/health");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("components").get("odd").get("message").asText()).contains("JSON");
        } finally {
            health.removeContributor(odd);
        }
    }

    @Test
    void historyAndEvents() throws Exception {
        history.setHistorian(historian);

        HttpResponse<String> response = get("/api/history?zone=fv1&tag=pv&from=1000&to=2000&points=10");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("zone").asText()).isEqualTo("fv1");
        assertThat(body.get("from").asLong()).isEqualTo(1000);
        assertThat(body.get("to").asLong()).isEqualTo(2000);
        JsonNode first = body.get("points").get(0);
        assertThat(first.get("t").asLong()).isEqualTo(1000);
        assertThat(first.get("n").asInt()).isEqualTo(3);
        assertThat(first.get("min").asDouble()).isEqualTo(17.5);
        assertThat(first.get("max").asDouble()).isEqualTo(18.5);
        assertThat(first.get("avg").asDouble()).isEqualTo(18.0);
        assertThat(first.get("last").asDouble()).isEqualTo(18.25);
        assertThat(first.get("q").asText()).isEqualTo("GOOD");
        assertThat(body.get("points").get(1).get("min").isNull()).isTrue(); // NaN has no JSON form
        assertThat(historian.queries.get(historian.queries.size() - 1)).containsExactly("fv1", "pv", 1000L, 2000L, 10);

        JsonNode events = json(get("/api/events?limit=5"));
        assertThat(events.get("zone").isNull()).isTrue();
        assertThat(events.get("events").get(0).get("code").asText()).isEqualTo("overtemp");
        assertThat(historian.queries.get(historian.queries.size() - 1)[3]).isEqualTo(5);
    }

    @Test
    void historyRefusesBadParametersAndSays503WithoutAHistorian() throws Exception {
        assertError(get("/api/history?zone=fv1&tag=pv"), 503, "no_historian");
        history.setHistorian(historian);
        assertError(get("/api/history?tag=pv"), 400, "bad_request");
        assertError(get("/api/history?zone=fv1&tag=pv&points=5001"), 400, "bad_request");
        assertError(get("/api/history?zone=fv1&tag=pv&from=abc"), 400, "bad_request");
        assertError(get("/api/history?zone=fv1&tag=pv&from=3000&to=2000"), 400, "bad_request");
        assertError(get("/api/events?limit=0"), 400, "bad_request");
    }

    @Test
    void rootRedirectsToTheHmiAndUnknownPathsAreJson404() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/hmi/"));

        assertError(get("/nothing/here"), 404, "not_found");
    }
}
