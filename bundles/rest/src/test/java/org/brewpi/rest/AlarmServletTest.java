package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmMetrics;
import org.brewpi.api.alarm.AlarmPriority;
import org.brewpi.api.alarm.AlarmService;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.alarm.AlarmTransition;
import org.brewpi.api.alarm.Shelf;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.brewpi.users.UserService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code /api/alarms} on a real Jetty, over real HTTP, in front of a stand-in alarm service. */
class AlarmServletTest {

    private static final String TOKEN = "alarm-token-5678";
    private static final TestAlarms alarms = new TestAlarms();
    private static final AlarmServlet servlet = new AlarmServlet(TOKEN);
    private static EmbeddedJetty jetty;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        jetty = new EmbeddedJetty().add(servlet, false, AlarmServlet.ALARMS, AlarmServlet.ALARMS + "/*").start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    @BeforeEach
    void reset() {
        servlet.setAlarms(alarms);
        alarms.reset();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(jetty.http(path)).GET().build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(jetty.http(path)).POST(BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return mapper.readTree(r.body());
    }

    @Test
    void listsAlarmsWithStateAndOverlaysWithoutAToken() throws Exception {
        HttpResponse<String> r = get("/api/alarms");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("count").asInt()).isEqualTo(2);
        assertThat(body.get("unacknowledged").asInt()).isEqualTo(1);
        JsonNode hot = body.get("alarms").get(0);
        assertThat(hot.get("id").asText()).isEqualTo("hlt.pv.hihi");
        assertThat(hot.get("state").asText()).isEqualTo("UNACK_ACTIVE");
        assertThat(hot.get("priority").asText()).isEqualTo("critical");
        assertThat(hot.get("kind").asText()).isEqualTo("HIHI");
        assertThat(hot.get("active").asBoolean()).isTrue();
        assertThat(hot.get("annunciated").asBoolean()).isTrue();
        assertThat(hot.get("value").asText()).isEqualTo("97.00");
        assertThat(hot.get("shelf").isNull()).isTrue();
        JsonNode shelved = body.get("alarms").get(1);
        assertThat(shelved.get("shelf").get("user").asText()).isEqualTo("sup");
        assertThat(shelved.get("shelf").get("oneShot").asBoolean()).isTrue();
        assertThat(shelved.get("annunciated").asBoolean()).isFalse();

        assertThat(json(get("/api/alarms/fv1.comm")).get("state").asText()).isEqualTo("ACK_ACTIVE");
        HttpResponse<String> missing = get("/api/alarms/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("unknown_alarm");
    }

    @Test
    void journalAndMetrics() throws Exception {
        JsonNode journal = json(get("/api/alarms/journal?limit=1"));
        assertThat(journal.get("limit").asInt()).isEqualTo(1);
        assertThat(journal.get("transitions")).hasSize(1);
        assertThat(journal.get("transitions").get(0).get("transition").asText()).isEqualTo("activate");
        assertThat(get("/api/alarms/journal?limit=0").statusCode()).isEqualTo(400);
        assertThat(get("/api/alarms/journal?limit=x").statusCode()).isEqualTo(400);
        assertThat(alarms.journalLimits).containsExactly(1);
        assertThat(json(get("/api/alarms/journal")).get("limit").asInt()).isEqualTo(AlarmServlet.DEFAULT_JOURNAL);

        JsonNode metrics = json(get("/api/alarms/metrics"));
        assertThat(metrics.get("last10Min").asLong()).isEqualTo(12);
        assertThat(metrics.get("flooding").asBoolean()).isTrue();
        assertThat(metrics.get("chattering").get(0).asText()).isEqualTo("hlt.pv.hihi");
        assertThat(metrics.get("top10").get(0).get("alarm").asText()).isEqualTo("hlt.pv.hihi");
        assertThat(metrics.get("top10Share").asDouble()).isEqualTo(1.0);
    }

    @Test
    void acknowledgeNeedsTheTokenAndAUser() throws Exception {
        HttpResponse<String> r = post("/api/alarms/hlt.pv.hihi/ack", "{\"user\":\"ana\",\"comment\":\"heater off\"}", TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("state").asText()).isEqualTo("ACK_ACTIVE");
        assertThat(alarms.calls).containsExactly("ack hlt.pv.hihi ana rest heater off");

        assertThat(post("/api/alarms/hlt.pv.hihi/ack", "{\"user\":\"ana\"}", null).statusCode()).isEqualTo(401);
        assertThat(post("/api/alarms/hlt.pv.hihi/ack", "{\"user\":\"ana\"}", "wrong").statusCode()).isEqualTo(401);
        assertThat(post("/api/alarms/hlt.pv.hihi/ack", "{\"comment\":\"x\"}", TOKEN).statusCode()).isEqualTo(400);
        assertThat(post("/api/alarms/hlt.pv.hihi/ack", "{\"user\":42}", TOKEN).statusCode()).isEqualTo(400);
        assertThat(post("/api/alarms/hlt.pv.hihi/ack", "[1]", TOKEN).statusCode()).isEqualTo(400);
        assertThat(post("/api/alarms/hlt.pv.hihi/ack", "{not json", TOKEN).statusCode()).isEqualTo(400);
        assertThat(post("/api/alarms/hlt.pv.hihi/ack", "", TOKEN).statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post("/api/alarms/nope/ack", "{\"user\":\"ana\"}", TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("unknown_alarm");
        assertThat(alarms.calls).hasSize(2); // the refused ones never reached the service but the unknown id

        // nothing to acknowledge: 409; the audit trail cannot record it: 503
        HttpResponse<String> conflict = post("/api/alarms/fv1.comm/ack", "{\"user\":\"ana\"}", TOKEN);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(json(conflict).get("message").asText()).contains("nothing to acknowledge");
        alarms.auditBroken = true;
        HttpResponse<String> noAudit = post("/api/alarms/hlt.pv.hihi/ack", "{\"user\":\"ana\"}", TOKEN);
        assertThat(noAudit.statusCode()).isEqualTo(503);
        assertThat(json(noAudit).get("error").asText()).isEqualTo("audit_unavailable");
    }

    @Test
    void withoutTheUsersServiceNobodyCanSignSoShelvingIsRefused() throws Exception {
        HttpResponse<String> r = post("/api/alarms/hlt.pv.hihi/shelve",
                "{\"user\":\"sup\",\"pin\":\"135790\",\"reason\":\"probe swap\",\"minutes\":30}", TOKEN);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).get("error").asText()).isEqualTo("no_signatures");
        assertThat(alarms.calls).isEmpty();
        assertThat(post("/api/alarms/hlt.pv.hihi/unshelve", "{\"user\":\"sup\"}", TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongMethodsAndPaths() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(jetty.http("/api/alarms/hlt.pv.hihi/ack")).GET().build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(post("/api/alarms", "{}", TOKEN).statusCode()).isEqualTo(405);
        assertThat(post("/api/alarms/hlt.pv.hihi/explode", "{}", TOKEN).statusCode()).isEqualTo(404);
        assertThat(get("/api/alarms/a/b/c").statusCode()).isEqualTo(404);
    }

    @Test
    void withoutTheEngine503() throws Exception {
        servlet.unsetAlarms(alarms);
        HttpResponse<String> r = get("/api/alarms");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).get("error").asText()).isEqualTo("no_alarms");
    }

    @Test
    void withoutAConfiguredTokenActsAreDisabled() throws Exception {
        AlarmServlet open = new AlarmServlet("");
        open.setAlarms(alarms);
        try (EmbeddedJetty other = new EmbeddedJetty().add(open, false, "/api/alarms", "/api/alarms/*").start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(other.http("/api/alarms/hlt.pv.hihi/ack"))
                    .POST(BodyPublishers.ofString("{\"user\":\"ana\"}")).build(), BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(mapper.readTree(r.body()).get("error").asText()).isEqualTo("no_token");
        }
        assertThat(alarms.calls).isEmpty();
    }

    @Test
    void withTheUsersBundleTheTokenNamesTheUserAndShelvingIsSignedByThePerson(@TempDir Path dir) throws Exception {
        H2AuditTrail audit = new H2AuditTrail(new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return dir.toString();
            }
        });
        UserService users = new UserService(SecurityServletsTest.config(dir.toString()), audit);
        AlarmServlet secured = new AlarmServlet("");
        secured.setAlarms(alarms);
        secured.setAuthenticator(users);
        secured.setPolicy(users);
        secured.setSignatures(users);
        secured.setAudit(audit);
        try (EmbeddedJetty box = new EmbeddedJetty().add(secured, false, "/api/alarms", "/api/alarms/*")
                .add(new SessionServlet(users, users), false, SessionServlet.SESSION, SessionServlet.PIN)
                .add(new UsersServlet(users, users), false, "/api/users", "/api/users/*", "/api/tokens").start()) {
            String bootstrap = SecurityServletsTest.config(dir.toString())._api_token();
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String[] u : new String[][] { { "olga", "operator" }, { "sam", "supervisor" } }) {
                tokens.put(u[0], login(box, bootstrap, u[0], u[1]));
            }

            // an operator acknowledges; the user is the token's, not the one the body claims
            HttpResponse<String> ack = call(box, "/api/alarms/hlt.pv.hihi/ack", "{\"user\":\"mallory\"}",
                    tokens.get("olga"));
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            assertThat(alarms.calls).hasSize(1);
            assertThat(alarms.calls.get(0)).startsWith("ack hlt.pv.hihi olga ");
            // but may not shelve: that needs a supervisor
            HttpResponse<String> shelve = call(box, "/api/alarms/hlt.pv.hihi/shelve",
                    "{\"pin\":\"" + PIN + "\",\"reason\":\"x\"}", tokens.get("olga"));
            assertThat(shelve.statusCode()).isEqualTo(403);
            assertThat(mapper.readTree(shelve.body()).get("message").asText()).contains("operator");

            // a supervisor without PIN, or without reason, or with a wrong PIN: nothing is shelved
            String sam = tokens.get("sam");
            String path = "/api/alarms/hlt.pv.hihi/shelve";
            assertThat(call(box, path, "{\"reason\":\"probe swap\"}", sam).statusCode()).as("no PIN").isEqualTo(400);
            assertThat(call(box, path, "{\"pin\":\"" + PIN + "\"}", sam).statusCode()).as("no reason").isEqualTo(400);
            assertThat(call(box, path, "{\"pin\":123456,\"reason\":\"x\"}", sam).statusCode()).isEqualTo(400);
            assertThat(call(box, path, "{\"pin\":\"" + PIN + "\",\"reason\":\"x\",\"minutes\":1.5}", sam)
                    .statusCode()).as("bad minutes: refused before the PIN is checked").isEqualTo(400);
            HttpResponse<String> wrongPin = call(box, path, "{\"pin\":\"999999\",\"reason\":\"x\"}", sam);
            assertThat(wrongPin.statusCode()).isEqualTo(401);
            assertThat(mapper.readTree(wrongPin.body()).get("error").asText()).isEqualTo("bad_credentials");
            assertThat(call(box, "/api/alarms/nope/shelve", "{\"pin\":\"" + PIN + "\",\"reason\":\"x\"}", sam)
                    .statusCode()).isEqualTo(404);
            assertThat(alarms.calls).hasSize(1);

            // PIN and reason: signed first, then shelved
            HttpResponse<String> signed = call(box, path,
                    "{\"pin\":\"" + PIN + "\",\"reason\":\"probe swap\",\"minutes\":10}", sam);
            assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
            assertThat(alarms.calls.get(1)).startsWith("shelve hlt.pv.hihi sam ").endsWith(" probe swap 600000");
            List<AuditEntry> signatures = audit.entries(0, 0, Long.MAX_VALUE, "sam", "alarm:hlt.pv.hihi", 100).stream()
                    .filter(e -> "signature".equals(e.action())).toList();
            assertThat(signatures).hasSize(1);
            assertThat(signatures.get(0).signature()).isEqualTo("alarm shelve");
            assertThat(signatures.get(0).newValue()).as("printed name").isEqualTo("Name of sam");
            assertThat(signatures.get(0).reason()).isEqualTo("probe swap");
            assertThat(signatures.get(0).time()).isPositive();

            // an API token, even a supervisor's, cannot sign
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(box.http("/api/tokens"))
                    .POST(BodyPublishers.ofString("{\"name\":\"scada\",\"role\":\"supervisor\"}"))
                    .header("Authorization", "Bearer " + bootstrap).build(), BodyHandlers.ofString());
            String apiToken = mapper.readTree(created.body()).get("token").asText();
            HttpResponse<String> byToken = call(box, path, "{\"pin\":\"" + PIN + "\",\"reason\":\"x\"}", apiToken);
            assertThat(byToken.statusCode()).isEqualTo(403);
            assertThat(mapper.readTree(byToken.body()).get("message").asText()).contains("API token cannot sign");
            assertThat(call(box, path, "{\"pin\":\"" + PIN + "\",\"reason\":\"x\"}", bootstrap).statusCode())
                    .as("the bootstrap token cannot sign either").isEqualTo(403);
            assertThat(call(box, "/api/alarms/hlt.pv.hihi/ack", "{}", "not-a-token").statusCode()).isEqualTo(401);
            assertThat(alarms.calls).hasSize(2);
        }
    }

    static final String PIN = "246813";

    /** Creates the user through the admin API, replaces the one-time PIN and logs in: the session token. */
    static String login(EmbeddedJetty box, String bootstrap, String user, String role) throws Exception {
        assertThat(call(box, "/api/users", "{\"user\":\"" + user + "\",\"printedName\":\"Name of " + user
                + "\",\"role\":\"" + role + "\",\"pin\":\"first-" + user + "\"}", bootstrap).statusCode())
                .isEqualTo(201);
        assertThat(call(box, "/api/session/pin", "{\"user\":\"" + user + "\",\"pin\":\"first-" + user
                + "\",\"newPin\":\"" + PIN + "\"}", null).statusCode()).isEqualTo(204);
        HttpResponse<String> login = call(box, "/api/session", "{\"user\":\"" + user + "\",\"pin\":\"" + PIN + "\"}",
                null);
        return mapper.readTree(login.body()).get("token").asText();
    }

    static HttpResponse<String> call(EmbeddedJetty box, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(box.http(path)).POST(BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), BodyHandlers.ofString());
    }

    /**
     * Stands in for the alarm engine of org.brewpi.alarms (tested there): two alarms, and the errors the
     * {@link AlarmService} contract names.
     */
    static final class TestAlarms implements AlarmService {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Integer> journalLimits = new CopyOnWriteArrayList<>();
        volatile boolean auditBroken;
        private final Map<String, Alarm> alarms = new LinkedHashMap<>();

        void reset() {
            calls.clear();
            journalLimits.clear();
            auditBroken = false;
            alarms.clear();
            put(new Alarm(def("hlt.pv.hihi", "hlt", "pv", AlarmKind.HIHI, AlarmPriority.CRITICAL), AlarmState.UNACK_ACTIVE,
                    null, false, null, "97.00", 1_000, 1_000, null, 0));
            put(new Alarm(def("fv1.comm", "fv1", "", AlarmKind.COMM_LOSS, AlarmPriority.HIGH), AlarmState.ACK_ACTIVE,
                    new Shelf("sup", "PLC swap", 2_000, 3_000, true), false, null, "zone offline", 1_500, 2_000,
                    null, 0));
        }

        private void put(Alarm a) {
            alarms.put(a.id(), a);
        }

        private static AlarmDefinition def(String id, String zone, String tag, AlarmKind kind, AlarmPriority p) {
            return new AlarmDefinition(id, zone, tag, kind, 95, "", p, 1, 5_000, 0, id + " message", false, "default");
        }

        private Alarm known(String id) {
            Alarm a = alarms.get(id);
            if (a == null) {
                throw new NoSuchElementException("no alarm '" + id + "'");
            }
            if (auditBroken) {
                throw new IllegalStateException("not done", new IllegalStateException("disk full"));
            }
            return a;
        }

        private Alarm with(Alarm a, AlarmState state, Shelf shelf) {
            Alarm changed = new Alarm(a.definition(), state, shelf, a.suppressed(), a.outOfService(), a.value(),
                    a.activeSince(), a.lastChange(), a.ackUser(), a.ackTime());
            put(changed);
            return changed;
        }

        @Override
        public List<Alarm> alarms() {
            return new ArrayList<>(alarms.values());
        }

        @Override
        public Optional<Alarm> alarm(String id) {
            return Optional.ofNullable(alarms.get(id));
        }

        @Override
        public Alarm acknowledge(String id, String user, String entryPoint, String comment) {
            calls.add("ack " + id + " " + user + " " + entryPoint + " " + comment);
            Alarm a = known(id);
            if (a.state().acknowledged()) {
                throw new IllegalStateException("alarm " + id + " is " + a.state() + ": nothing to acknowledge");
            }
            return with(a, AlarmState.of(a.state().active(), true), a.shelf());
        }

        @Override
        public Alarm shelve(String id, String user, String entryPoint, String reason, long durationMs) {
            calls.add("shelve " + id + " " + user + " " + entryPoint + " " + reason + " " + durationMs);
            Alarm a = known(id);
            if (durationMs > 480 * 60_000L) {
                throw new IllegalArgumentException("shelving time must be between 0 (one-shot) and 480 minutes");
            }
            return with(a, AlarmState.of(a.state().active(), true), new Shelf(user, reason, 0, durationMs, durationMs == 0));
        }

        @Override
        public Alarm unshelve(String id, String user, String entryPoint, String reason) {
            calls.add("unshelve " + id + " " + user);
            return with(known(id), AlarmState.UNACK_ACTIVE, null);
        }

        @Override
        public Alarm setInService(String id, boolean inService, String user, String entryPoint, String reason) {
            throw new UnsupportedOperationException("not offered over REST yet");
        }

        @Override
        public List<AlarmTransition> journal(int limit) {
            journalLimits.add(limit);
            List<AlarmTransition> all = List.of(
                    new AlarmTransition(2, 1_000, "hlt.pv.hihi", "activate", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE,
                            "alarms", "hlt.pv.hihi message", "97.00"),
                    new AlarmTransition(1, 500, "fv1.comm", "activate", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE,
                            "alarms", "fv1.comm message", "zone offline"));
            return all.subList(0, Math.min(limit, all.size()));
        }

        @Override
        public AlarmMetrics metrics() {
            return new AlarmMetrics(10_000, 600_000, 12, 12, 12, 10, 1, true, 3, 60_000, List.of("hlt.pv.hihi"),
                    86_400_000, List.of(), List.of(new AlarmMetrics.Count("hlt.pv.hihi", 12)), 1.0);
        }
    }
}
