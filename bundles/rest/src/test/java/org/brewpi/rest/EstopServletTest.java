package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brewpi.api.interlock.EmergencyStop;
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

/** {@code /api/estop} on a real Jetty, over real HTTP, in front of a stand-in E-stop (the real one: EmergencyStopTest in itest). */
class EstopServletTest {

    private static final String TOKEN = "estop-token-1234";
    private static final TestEstop estop = new TestEstop();
    private static final EstopServlet servlet = new EstopServlet(TOKEN);
    private static EmbeddedJetty jetty;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        jetty = new EmbeddedJetty().add(servlet, false, EstopServlet.ESTOP, EstopServlet.ESTOP + "/*").start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    @BeforeEach
    void reset() {
        servlet.setEstop(estop);
        estop.state = EmergencyStop.State.RESET_NEEDED;
        estop.auditBroken = false;
        estop.resets.clear();
    }

    private static HttpResponse<String> send(EmbeddedJetty box, String method, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(box.http(path)).method(method,
                body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return mapper.readTree(r.body());
    }

    @Test
    void getShowsStateAndPressTimeWithoutAToken() throws Exception {
        estop.state = EmergencyStop.State.PRESSED;
        HttpResponse<String> r = send(jetty, "GET", "/api/estop", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("state").asText()).isEqualTo("PRESSED");
        assertThat(json(r).get("pressedAt").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(send(jetty, "GET", "/api/estop/reset", null, null).statusCode()).isEqualTo(405);
        assertThat(send(jetty, "POST", "/api/estop", "{}", TOKEN).statusCode()).isEqualTo(405);
        assertThat(send(jetty, "GET", "/api/estop/other", null, null).statusCode()).isEqualTo(404);

        servlet.unsetEstop(estop);
        HttpResponse<String> none = send(jetty, "GET", "/api/estop", null, null);
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(json(none).get("error").asText()).isEqualTo("no_estop");
    }

    @Test
    void resetNeedsTheTokenAndAnswersWithTheNewState() throws Exception {
        assertThat(send(jetty, "POST", "/api/estop/reset", "{\"user\":\"ana\"}", null).statusCode()).isEqualTo(401);
        assertThat(send(jetty, "POST", "/api/estop/reset", "{\"user\":\"ana\"}", "wrong").statusCode()).isEqualTo(401);
        assertThat(send(jetty, "POST", "/api/estop/reset", "[]", TOKEN).statusCode()).isEqualTo(400);
        assertThat(send(jetty, "POST", "/api/estop/reset", "{", TOKEN).statusCode()).isEqualTo(400);
        assertThat(send(jetty, "POST", "/api/estop/reset", "{}", TOKEN).statusCode()).as("bootstrap token names no user")
                .isEqualTo(400);
        assertThat(estop.resets).isEmpty();

        HttpResponse<String> ok = send(jetty, "POST", "/api/estop/reset", "{\"user\":\"ana\"}", TOKEN);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).get("state").asText()).isEqualTo("CLEAR");
        assertThat(estop.resets).containsExactly("ana rest");
    }

    @Test
    void stillPressedIsAConflictAndABrokenAuditTrailIsUnavailable() throws Exception {
        estop.state = EmergencyStop.State.PRESSED;
        HttpResponse<String> pressed = send(jetty, "POST", "/api/estop/reset", "{\"user\":\"ana\"}", TOKEN);
        assertThat(pressed.statusCode()).isEqualTo(409);
        assertThat(json(pressed).get("error").asText()).isEqualTo("estop_pressed");
        assertThat(json(pressed).get("message").asText()).contains("still pressed");

        estop.state = EmergencyStop.State.RESET_NEEDED;
        estop.auditBroken = true;
        HttpResponse<String> noAudit = send(jetty, "POST", "/api/estop/reset", "{\"user\":\"ana\"}", TOKEN);
        assertThat(noAudit.statusCode()).isEqualTo(503);
        assertThat(json(noAudit).get("error").asText()).isEqualTo("audit_unavailable");
        assertThat(estop.state).isEqualTo(EmergencyStop.State.RESET_NEEDED);
    }

    @Test
    void withTheUsersBundleAnOperatorMayResetAndQualityMayNot(@TempDir Path dir) throws Exception {
        H2AuditTrail audit = new H2AuditTrail(new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return dir.toString();
            }
        });
        UserService users = new UserService(SecurityServletsTest.config(dir.toString()), audit);
        EstopServlet secured = new EstopServlet("");
        secured.setEstop(estop);
        secured.setAuthenticator(users);
        secured.setPolicy(users);
        try (EmbeddedJetty box = new EmbeddedJetty().add(secured, false, "/api/estop", "/api/estop/*")
                .add(new SessionServlet(users, users), false, SessionServlet.SESSION, SessionServlet.PIN)
                .add(new UsersServlet(users, users), false, "/api/users", "/api/users/*").start()) {
            String bootstrap = SecurityServletsTest.config(dir.toString())._api_token();
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String[] u : new String[][] { { "olga", "operator" }, { "quinn", "quality" } }) {
                assertThat(send(box, "POST", "/api/users", "{\"user\":\"" + u[0] + "\",\"printedName\":\"" + u[0]
                        + "\",\"role\":\"" + u[1] + "\",\"pin\":\"first-" + u[0] + "\"}", bootstrap).statusCode())
                        .isEqualTo(201);
                assertThat(send(box, "POST", "/api/session/pin", "{\"user\":\"" + u[0] + "\",\"pin\":\"first-" + u[0]
                        + "\",\"newPin\":\"246813\"}", null).statusCode()).isEqualTo(204);
                HttpResponse<String> login = send(box, "POST", "/api/session",
                        "{\"user\":\"" + u[0] + "\",\"pin\":\"246813\"}", null);
                tokens.put(u[0], mapper.readTree(login.body()).get("token").asText());
            }
            HttpResponse<String> quality = send(box, "POST", "/api/estop/reset", "{}", tokens.get("quinn"));
            assertThat(quality.statusCode()).isEqualTo(403);
            assertThat(estop.resets).isEmpty();

            // the user is the session's, whatever the body claims; an empty body is fine
            HttpResponse<String> operator = send(box, "POST", "/api/estop/reset", "{\"user\":\"mallory\"}",
                    tokens.get("olga"));
            assertThat(operator.statusCode()).as(operator.body()).isEqualTo(200);
            assertThat(estop.resets).containsExactly("olga hmi");
            assertThat(send(box, "POST", "/api/estop/reset", "", tokens.get("olga")).statusCode()).isEqualTo(200);
        }
    }

    /** Follows the {@link EmergencyStop} contract: reset throws while pressed, and with a cause when not audited. */
    static final class TestEstop implements EmergencyStop {
        volatile State state = State.RESET_NEEDED;
        volatile boolean auditBroken;
        final List<String> resets = new CopyOnWriteArrayList<>();

        @Override
        public State state() {
            return state;
        }

        @Override
        public long pressedAt() {
            return 1_700_000_000_000L;
        }

        @Override
        public State reset(String user, String entryPoint) {
            if (state == State.PRESSED) {
                throw new IllegalStateException("the emergency stop is still pressed: release it before the reset");
            }
            if (auditBroken) {
                throw new IllegalStateException("not audited", new IllegalStateException("disk full"));
            }
            resets.add(user + " " + entryPoint);
            state = State.CLEAR;
            return state;
        }
    }
}
