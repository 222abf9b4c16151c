package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.brewpi.rest.Fixtures.Definition;
import org.brewpi.rest.Fixtures.TestGate;
import org.brewpi.rest.Fixtures.TestPlant;
import org.brewpi.users.UserService;
import org.brewpi.users.UsersConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Sessions, users, tokens, signatures and authenticated writes, over real HTTP, on the real user directory. */
class SecurityServletsTest {

    private static final String BOOTSTRAP = "security-bootstrap-token";

    @TempDir
    static Path dir;
    private static H2AuditTrail audit;
    private static UserService users;
    private static final TestGate gate = new TestGate();
    private static EmbeddedJetty jetty;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        audit = new H2AuditTrail(new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return dir.toString();
            }
        });
        users = new UserService(config(dir.toString()), audit);
        gate.answering(c -> new CommandResult(c, Outcome.DONE, null, null, 1, 2), 10);

        TestPlant plant = new TestPlant();
        plant.put(Fixtures.fermenter("fv1", ZoneState.ONLINE, 18.25));
        // No token of its own: with the users bundle present, the authenticator decides.
        ZonesServlet zones = new ZonesServlet(plant, "", 1_500);
        zones.addDefinition(Definition.of("fv1", "fermenter", "Fermentador 1"));
        zones.setGate(gate);
        zones.setAuthenticator(users);
        AuditServlet auditServlet = new AuditServlet(restConfig());
        auditServlet.setTrail(audit);
        auditServlet.setAuthenticator(users);
        auditServlet.setAccess(users);

        jetty = new EmbeddedJetty()
                .add(zones, true, "/api/zones", "/api/zones/*")
                .add(new SessionServlet(users, users), false, SessionServlet.SESSION, SessionServlet.PIN)
                .add(new UsersServlet(users, users), false, "/api/users", "/api/users/*", "/api/tokens", "/api/tokens/*")
                .add(new SignaturesServlet(users, users), false, "/api/signatures")
                .add(auditServlet, false, AuditServlet.AUDIT, AuditServlet.VERIFY)
                .start();

        // The bootstrap token creates the people the tests log in as.
        for (String[] u : new String[][] { { "olga", "operator" }, { "sam", "supervisor" }, { "quinn", "quality" } }) {
            assertThat(call("POST", "/api/users", "{\"user\":\"" + u[0] + "\",\"printedName\":\"" + u[0].toUpperCase()
                    + "\",\"role\":\"" + u[1] + "\",\"pin\":\"first-" + u[0] + "\"}", BOOTSTRAP).statusCode()).isEqualTo(201);
            assertThat(call("POST", "/api/session/pin", "{\"user\":\"" + u[0] + "\",\"pin\":\"first-" + u[0]
                    + "\",\"newPin\":\"246813\"}", null).statusCode()).isEqualTo(204);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    private static HttpResponse<String> call(String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(jetty.http(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return mapper.readTree(r.body());
    }

    private static String login(String user) throws Exception {
        HttpResponse<String> r = call("POST", "/api/session", "{\"user\":\"" + user + "\",\"pin\":\"246813\"}", null);
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r).get("token").asText();
    }

    @Test
    void loginWhoAmIAndLogout() throws Exception {
        HttpResponse<String> r = call("POST", "/api/session", "{\"user\":\"olga\",\"pin\":\"246813\"}", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode s = json(r);
        assertThat(s.get("role").asText()).isEqualTo("operator");
        assertThat(s.get("idleTimeoutSeconds").asLong()).isEqualTo(15 * 60);
        String token = s.get("token").asText();

        JsonNode who = json(call("GET", "/api/session", null, token));
        assertThat(who.get("user").asText()).isEqualTo("olga");
        assertThat(who.get("printedName").asText()).isEqualTo("OLGA");
        assertThat(who.get("entryPoint").asText()).isEqualTo("hmi");

        assertThat(call("DELETE", "/api/session", null, token).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/session", null, token).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/session", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void badLoginsAreRefusedClearlyAndLockTheUser() throws Exception {
        assertThat(call("POST", "/api/session", "{\"user\":\"olga\"}", null).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/session", "{\"user\":1,\"pin\":2}", null).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/session", "not json", null).statusCode()).isEqualTo(400);
        assertThat(call("PUT", "/api/session", "{}", null).statusCode()).isEqualTo(405);
        // A user of its own, so the lockout does not disturb the other tests.
        call("POST", "/api/users", "{\"user\":\"lou\",\"printedName\":\"Lou\",\"role\":\"operator\",\"pin\":\"first-lou\"}",
                BOOTSTRAP);
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = call("POST", "/api/session", "{\"user\":\"lou\",\"pin\":\"000000\"}", null);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(json(r).get("error").asText()).isEqualTo("bad_credentials");
        }
        HttpResponse<String> locked = call("POST", "/api/session", "{\"user\":\"lou\",\"pin\":\"000000\"}", null);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(json(locked).get("error").asText()).isEqualTo("locked");
        assertThat(call("POST", "/api/session", "{\"user\":\"lou\",\"pin\":\"first-lou\"}", null).statusCode()).isEqualTo(429);
    }

    @Test
    void writesCarryTheAuthenticatedUser() throws Exception {
        String olga = login("olga");
        gate.submitted.clear();
        HttpResponse<String> r = call("PUT", "/api/zones/fv1/tags/sv", "{\"value\":19}", olga);
        assertThat(r.statusCode()).isEqualTo(200);
        Command sent = gate.submitted.get(0);
        assertThat(sent.user()).isEqualTo("olga");
        assertThat(sent.origin()).isEqualTo("hmi");

        call("PUT", "/api/zones/fv1/tags/sv", "{\"value\":19}", BOOTSTRAP);
        assertThat(gate.submitted.get(1).user()).isEqualTo("api");
        assertThat(gate.submitted.get(1).origin()).isEqualTo("rest");

        assertThat(call("PUT", "/api/zones/fv1/tags/sv", "{\"value\":19}", "nonsense").statusCode()).isEqualTo(401);
        assertThat(gate.submitted).hasSize(2);
    }

    @Test
    void aOneTimePinAllowsNothingButChangingIt() throws Exception {
        call("POST", "/api/users", "{\"user\":\"nina\",\"printedName\":\"Nina\",\"role\":\"engineer\",\"pin\":\"first-nina\"}",
                BOOTSTRAP);
        HttpResponse<String> r = call("POST", "/api/session", "{\"user\":\"nina\",\"pin\":\"first-nina\"}", null);
        assertThat(json(r).get("mustChangePin").asBoolean()).isTrue();
        String token = json(r).get("token").asText();
        HttpResponse<String> write = call("PUT", "/api/zones/fv1/tags/sv", "{\"value\":19}", token);
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(json(write).get("error").asText()).isEqualTo("must_change_pin");
        assertThat(call("GET", "/api/audit", null, token).statusCode()).isEqualTo(403);
    }

    @Test
    void onlyAdministratorsManageUsersAndTokensAndRevocationIsImmediate() throws Exception {
        String olga = login("olga");
        assertThat(call("GET", "/api/users", null, olga).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/tokens", "{\"name\":\"x\",\"role\":\"admin\"}", olga).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/users", null, null).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/api/users", "{\"user\":\"z1\",\"printedName\":\"Z\",\"role\":\"king\",\"pin\":\"123456\"}",
                BOOTSTRAP).statusCode()).isEqualTo(400);
        assertThat(call("PUT", "/api/users/olga", "{\"enabled\":\"no\"}", BOOTSTRAP).statusCode()).isEqualTo(400);
        assertThat(call("PUT", "/api/users/ghost", "{\"enabled\":false}", BOOTSTRAP).statusCode()).isEqualTo(404);

        JsonNode list = json(call("GET", "/api/users", null, BOOTSTRAP));
        assertThat(list.toString()).contains("\"olga\"").doesNotContain("pbkdf2");

        HttpResponse<String> created = call("POST", "/api/tokens", "{\"name\":\"mes\",\"role\":\"operator\"}", BOOTSTRAP);
        assertThat(created.statusCode()).isEqualTo(201);
        String token = json(created).get("token").asText();
        gate.submitted.clear();
        assertThat(call("PUT", "/api/zones/fv1/tags/sv", "{\"value\":20}", token).statusCode()).isEqualTo(200);
        assertThat(gate.submitted.get(0).user()).isEqualTo("token:mes");
        assertThat(json(call("GET", "/api/tokens", null, BOOTSTRAP)).toString()).doesNotContain(token);

        assertThat(call("DELETE", "/api/tokens/mes", null, BOOTSTRAP).statusCode()).isEqualTo(200);
        assertThat(call("PUT", "/api/zones/fv1/tags/sv", "{\"value\":20}", token).statusCode()).isEqualTo(401);
        assertThat(gate.submitted).hasSize(1);
        assertThat(call("DELETE", "/api/tokens/none", null, BOOTSTRAP).statusCode()).isEqualTo(404);
    }

    @Test
    void theAuditTrailIsForRolesThatMayReadIt() throws Exception {
        assertThat(call("GET", "/api/audit", null, login("olga")).statusCode()).isEqualTo(403);
        HttpResponse<String> qa = call("GET", "/api/audit?actor=olga", null, login("quinn"));
        assertThat(qa.statusCode()).isEqualTo(200);
        assertThat(qa.body()).contains("session.login");
        assertThat(json(call("GET", "/api/audit/verify", null, BOOTSTRAP)).get("ok").asBoolean()).isTrue();
    }

    @Test
    void aSignatureNeedsThePinAndAReasonAndRecordsNameTimeAndMeaning() throws Exception {
        String sam = login("sam");
        HttpResponse<String> noPin = call("POST", "/api/signatures",
                "{\"meaning\":\"interlock bypass\",\"reason\":\"probe swap\",\"target\":\"fv1.overtemp\"}", sam);
        assertThat(noPin.statusCode()).isEqualTo(400);
        HttpResponse<String> noReason = call("POST", "/api/signatures",
                "{\"pin\":\"246813\",\"meaning\":\"interlock bypass\",\"target\":\"fv1.overtemp\"}", sam);
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(call("POST", "/api/signatures", "{\"pin\":\"246813\",\"meaning\":\"m\",\"reason\":\"r\",\"target\":\"t\"}",
                BOOTSTRAP).statusCode()).isEqualTo(403);

        HttpResponse<String> ok = call("POST", "/api/signatures",
                "{\"pin\":\"246813\",\"meaning\":\"interlock bypass\",\"reason\":\"probe swap\",\"target\":\"fv1.overtemp\"}", sam);
        assertThat(ok.statusCode()).isEqualTo(201);
        JsonNode s = json(ok);
        assertThat(s.get("printedName").asText()).isEqualTo("SAM");
        assertThat(s.get("meaning").asText()).isEqualTo("interlock bypass");
        assertThat(s.get("time").asLong()).isPositive();
        var entry = audit.entries(s.get("auditSeq").asLong() - 1, 0, Long.MAX_VALUE, null, null, 1).get(0);
        assertThat(entry.signature()).isEqualTo("interlock bypass");
        assertThat(entry.actor()).isEqualTo("sam");
        assertThat(entry.time()).isEqualTo(s.get("time").asLong());
    }

    static RestConfig restConfig() {
        return new RestConfig() {
            public Class<? extends Annotation> annotationType() {
                return RestConfig.class;
            }

            public String _api_token() {
                return "";
            }
        };
    }

    static UsersConfig config(String dataDir) {
        return new UsersConfig() {
            public Class<? extends Annotation> annotationType() {
                return UsersConfig.class;
            }

            public String data_dir() {
                return dataDir;
            }

            public int idle_timeout_minutes() {
                return 15;
            }

            public int lockout_failures() {
                return 5;
            }

            public int lockout_window_minutes() {
                return 10;
            }

            public int lockout_minutes() {
                return 5;
            }

            public int pin_iterations() {
                return 1_000;
            }

            public String _api_token() {
                return BOOTSTRAP;
            }
        };
    }
}
