package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.Annotation;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagDef;
import org.brewpi.api.zone.TagKind;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneDriver;
import org.brewpi.api.zone.ZoneInfo;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.brewpi.interlocks.ConfiguredInterlock;
import org.brewpi.interlocks.InterlockConfig;
import org.brewpi.interlocks.InterlockEngine;
import org.brewpi.interlocks.InterlocksConfig;
import org.brewpi.plant.PlantCommandGate;
import org.brewpi.users.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code /api/interlocks} and the 409 of a blocked write, over real HTTP, in front of the real interlock engine,
 * command gate, user directory and audit trail; a stand-in driver plays the kettle's PLC.
 */
class InterlockServletTest {

    private static final String PIN = "864213";
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;
    private EmbeddedJetty jetty;
    private InterlockEngine engine;
    private H2AuditTrail audit;
    private final Kettle kettle = new Kettle();
    private final java.util.Map<String, String> tokens = new java.util.HashMap<>();

    @BeforeEach
    void start() throws Exception {
        audit = new H2AuditTrail(new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return dir.toString();
            }
        });
        UserService users = new UserService(SecurityServletsTest.config(dir.toString()), audit);
        Principal admin = users.authenticate("Bearer " + SecurityServletsTest.config(dir.toString())._api_token())
                .orElseThrow();
        for (Role role : List.of(Role.OPERATOR, Role.SUPERVISOR, Role.QUALITY)) {
            users.createUser(admin, role.id(), "Tester " + role.id(), role, "one-time-pin");
            users.changePin(role.id(), "one-time-pin", PIN, "hmi");
            tokens.put(role.id(), users.login(role.id(), PIN, "hmi").token());
        }
        tokens.put("token", users.createToken(admin, "scada-link", Role.SUPERVISOR).token());

        engine = new InterlockEngine(engineConfig());
        engine.setAuditTrail(audit);
        engine.setPolicy(users);
        engine.addRule(new ConfiguredInterlock(ruleConfig(), Map.of("felix.fileinstall.filename",
                "file:/conf/brewpi.interlock-kettle-level.cfg")));
        PlantCommandGate gate = new PlantCommandGate(audit, users, Set.of("interlocks"));
        gate.addDriver(kettle);
        gate.addGuard(engine, Map.of(CommandGuard.GUARD_NAME, "interlocks"));
        engine.setGate(gate);
        tele(70.0, "auto");

        InterlockServlet servlet = new InterlockServlet();
        servlet.setInterlocks(engine);
        servlet.setAuthenticator(users);
        servlet.setPolicy(users);
        servlet.setSignatures(users);
        ZonesServlet zones = new ZonesServlet(new Fixtures.TestPlant().put(kettle.snapshot()), "", 2_000);
        zones.setGate(gate);
        zones.setAuthenticator(users);
        jetty = new EmbeddedJetty().add(servlet, false, "/api/interlocks", "/api/interlocks/*")
                .add(zones, true, "/api/zones", "/api/zones/*").start();
        await().until(() -> state().equals("HEALTHY"));
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
        engine.stop();
    }

    private void tele(double level, String mode) {
        kettle.level = level;
        kettle.mode = mode;
        engine.tagsChanged(List.of(kettle.value("level", level), kettle.value("mode", mode)));
    }

    private HttpResponse<String> send(String method, String path, String body, String who) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(jetty.http(path))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (who != null) {
            b.header("Authorization", "Bearer " + tokens.getOrDefault(who, who));
        }
        return http.send(b.build(), BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return mapper.readTree(r.body());
    }

    private String state() throws Exception {
        return engine.interlock("kettle-level").orElseThrow().state().name();
    }

    private static void assertError(HttpResponse<String> r, int status, String error) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(mapper.readTree(r.body()).get("error").asText()).isEqualTo(error);
    }

    @Test
    void listsEveryInterlockAsTheContractSays() throws Exception {
        JsonNode body = get("/api/interlocks");
        assertThat(body.get("estop").isNull()).as("no emergency stop bundle here").isTrue();
        JsonNode i = body.get("interlocks").get(0);
        assertThat(i.get("id").asText()).isEqualTo("kettle-level");
        assertThat(i.get("text").asText()).isEqualTo("Kettle heater needs kettle level above minimum");
        assertThat(i.get("state").asText()).isEqualTo("HEALTHY");
        assertThat(i.get("match").asText()).isEqualTo("any");
        assertThat(i.get("conditions").toString()).isEqualTo("[\"kettle.mode == off\",\"kettle.level > 20\"]");
        assertThat(i.get("blocks").toString()).isEqualTo("[\"kettle.mode != off\"]");
        assertThat(i.get("forces").toString()).isEqualTo("[\"kettle.mode = off\"]");
        assertThat(i.get("latched").asBoolean()).isTrue();
        assertThat(i.get("delayMs").asLong()).isZero();
        assertThat(i.get("cause").isNull()).isTrue();
        assertThat(i.has("trippedAt")).isTrue();
        assertThat(i.get("firstOut").asBoolean()).isFalse();
        assertThat(i.get("bypass").isNull()).isTrue();
        assertThat(get("/api/interlocks/kettle-level").get("id").asText()).isEqualTo("kettle-level");
        assertError(send("GET", "/api/interlocks/nope", null, null), 404, "unknown_interlock");
        assertError(send("DELETE", "/api/interlocks", null, "operator"), 405, "method_not_allowed");
    }

    @Test
    void aBlockedWriteAnswers409WithTheInterlocksIdAndText() throws Exception {
        tele(10.0, "off");
        await().until(() -> kettle.level == 10.0 && engine.interlock("kettle-level").orElseThrow().cause() == null);
        HttpResponse<String> r = send("PUT", "/api/zones/kettle/tags/mode", "{\"value\":\"auto\"}", "operator");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        JsonNode body = mapper.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("interlocked");
        assertThat(body.get("source").asText()).isEqualTo("kettle-level");
        assertThat(body.get("message").asText()).isEqualTo("Kettle heater needs kettle level above minimum");
        assertThat(kettle.received).isEmpty();
    }

    @Test
    void resetNeedsAnOperatorAndTheConditionCleared() throws Exception {
        tele(10.0, "auto");
        await().until(() -> state().equals("TRIPPED"));
        await().until(() -> kettle.received.size() == 1);
        assertThat(kettle.received.get(0).user()).isEqualTo("interlock:kettle-level");
        JsonNode tripped = get("/api/interlocks").get("interlocks").get(0);
        assertThat(tripped.get("cause").asText()).contains("kettle.level > 20 (is 10)");
        assertThat(tripped.get("firstOut").asBoolean()).isTrue();
        assertError(send("POST", "/api/interlocks/kettle-level/reset", "{}", "operator"), 409, "conflict");

        tele(10.0, "off");
        await().until(() -> state().equals("RESET_NEEDED"));
        assertError(send("POST", "/api/interlocks/kettle-level/reset", "{}", null), 401, "unauthorized");
        assertError(send("POST", "/api/interlocks/kettle-level/reset", "{}", "quality"), 403, "forbidden");
        assertError(send("POST", "/api/interlocks/kettle-level/reset", "{\"user\":\"x\"}", "operator"), 400, "bad_request");
        assertError(send("POST", "/api/interlocks/kettle-level/reset", "[]", "operator"), 400, "bad_request");
        assertError(send("POST", "/api/interlocks/kettle-level/reset", "{", "operator"), 400, "bad_request");
        assertError(send("POST", "/api/interlocks/nope/reset", "{}", "operator"), 404, "unknown_interlock");
        assertError(send("POST", "/api/interlocks/kettle-level/explode", "{}", "operator"), 404, "not_found");
        assertError(send("GET", "/api/interlocks/kettle-level/reset", null, "operator"), 405, "method_not_allowed");

        HttpResponse<String> ok = send("POST", "/api/interlocks/kettle-level/reset", "{}", "operator");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(mapper.readTree(ok.body()).get("state").asText()).isEqualTo("HEALTHY");
        assertThat(audit.entries(0, 0, Long.MAX_VALUE, "operator", "interlock:", 10)).extracting(e -> e.action())
                .containsExactly("interlock.reset");
    }

    @Test
    void bypassNeedsASupervisorsSignatureAndATimeLimit() throws Exception {
        String path = "/api/interlocks/kettle-level/bypass";
        String good = "{\"pin\":\"" + PIN + "\",\"reason\":\"level probe replaced\",\"minutes\":30}";
        assertError(send("POST", path, good, "operator"), 403, "forbidden");
        assertError(send("POST", path, good, "token"), 403, "forbidden");
        assertError(send("POST", path, "{\"reason\":\"r\",\"minutes\":30}", "supervisor"), 400, "bad_request");
        assertError(send("POST", path, "{\"pin\":\"" + PIN + "\",\"minutes\":30}", "supervisor"), 400, "bad_request");
        assertError(send("POST", path, "{\"pin\":\"" + PIN + "\",\"reason\":\"r\"}", "supervisor"), 400, "bad_request");
        assertError(send("POST", path, "{\"pin\":\"" + PIN + "\",\"reason\":\"r\",\"minutes\":0}", "supervisor"), 400,
                "bad_request");
        assertError(send("POST", path, "{\"pin\":\"" + PIN + "\",\"reason\":\"r\",\"minutes\":\"30\"}", "supervisor"),
                400, "bad_request");
        assertError(send("POST", path, "{\"pin\":\"" + PIN + "\",\"reason\":\"r\",\"minutes\":100000}", "supervisor"),
                400, "bad_request"); // longer than the configured maximum
        assertError(send("POST", path, "{\"pin\":\"000000\",\"reason\":\"r\",\"minutes\":30}", "supervisor"), 401,
                "bad_credentials");
        assertError(send("POST", "/api/interlocks/nope/bypass", good, "supervisor"), 404, "unknown_interlock");
        assertThat(engine.interlock("kettle-level").orElseThrow().bypass()).isNull();

        HttpResponse<String> ok = send("POST", path, good, "supervisor");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode bypass = get("/api/interlocks").get("interlocks").get(0).get("bypass");
        assertThat(bypass.get("user").asText()).isEqualTo("supervisor");
        assertThat(bypass.get("printedName").asText()).isEqualTo("Tester supervisor");
        assertThat(bypass.get("reason").asText()).isEqualTo("level probe replaced");
        assertThat(bypass.get("until").asLong() - bypass.get("since").asLong()).isEqualTo(30 * 60_000L);
        assertThat(audit.entries(0, 0, Long.MAX_VALUE, "supervisor", "interlock:", 10)).extracting(e -> e.action())
                .containsExactly("signature", "interlock.bypass.refused", "signature", "interlock.bypass");

        assertError(send("POST", "/api/interlocks/kettle-level/unbypass", "{\"reason\":\"done\"}", "operator"), 403,
                "forbidden");
        HttpResponse<String> end = send("POST", "/api/interlocks/kettle-level/unbypass", "{\"reason\":\"done\"}",
                "supervisor");
        assertThat(end.statusCode()).as(end.body()).isEqualTo(200);
        assertThat(mapper.readTree(end.body()).get("bypass").isNull()).isTrue();
        assertError(send("POST", "/api/interlocks/kettle-level/unbypass", "{}", "supervisor"), 409, "conflict");
    }

    private static InterlocksConfig engineConfig() {
        return new InterlocksConfig() {
            public Class<? extends Annotation> annotationType() {
                return InterlocksConfig.class;
            }

            public int bypass_max_minutes() {
                return 240;
            }

            public int signature_max_age_seconds() {
                return 300;
            }

            public long reforce_interval_ms() {
                return 2_000;
            }

            public long first_out_window_ms() {
                return 2_000;
            }

            public long startup_grace_ms() {
                return 15_000;
            }

            public long tick_ms() {
                return 50;
            }
        };
    }

    private static InterlockConfig ruleConfig() {
        return new InterlockConfig() {
            public Class<? extends Annotation> annotationType() {
                return InterlockConfig.class;
            }

            public String id() {
                return "";
            }

            public String text() {
                return "Kettle heater needs kettle level above minimum";
            }

            public String[] conditions() {
                return new String[] { "kettle.mode == off, kettle.level > 20" };
            }

            public String match() {
                return "any";
            }

            public String[] blocks() {
                return new String[] { "kettle.mode != off" };
            }

            public String[] forces() {
                return new String[] { "kettle.mode = off" };
            }

            public boolean latched() {
                return true;
            }

            public long delay__ms() {
                return 0;
            }
        };
    }

    /** Plays the kettle's PLC for the gate: declares its tags and acks every write. */
    static final class Kettle implements ZoneDriver {
        final List<Command> received = new CopyOnWriteArrayList<>();
        volatile double level;
        volatile String mode;

        TagValue value(String tag, Object v) {
            long now = System.currentTimeMillis();
            return new TagValue("kettle", tag, v, Quality.GOOD, now, now);
        }

        ZoneSnapshot snapshot() {
            ZoneInfo info = new ZoneInfo("kettle", "kettle", "1", "sim", 1, "off", 1000, List.of(
                    new TagDef("level", TagKind.ANALOG, "%", 0.0, 100.0, List.of(), false),
                    new TagDef("mode", TagKind.ENUM, null, null, null, List.of("off", "auto", "manual"), true)));
            return new ZoneSnapshot("kettle", "mqtt", info, ZoneState.ONLINE, null, System.currentTimeMillis(),
                    Map.of("level", value("level", level), "mode", value("mode", mode == null ? "off" : mode)),
                    new ZoneCounters(0, 0, 0, 0, 0, 0, Map.of()));
        }

        public String id() {
            return "mqtt";
        }

        public Collection<ZoneSnapshot> zones() {
            return List.of(snapshot());
        }

        public Optional<ZoneSnapshot> zone(String id) {
            return "kettle".equals(id) ? Optional.of(snapshot()) : Optional.empty();
        }

        public CompletionStage<CommandResult> send(Command c) {
            received.add(c);
            return CompletableFuture.completedFuture(new CommandResult(c, Outcome.DONE, null, null, 1, 2));
        }
    }
}
