package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.security.Role;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.brewpi.users.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code /api/config} over HTTP, on the real user directory, signatures and audit trail, with configurations read
 * from real files in a conf/ folder (ConfigurationAdmin and FileInstall themselves run in distribution/itest).
 */
class ConfigServletTest {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper mapper = new ObjectMapper();
    private static final String PID = "brewpi.alarm~fv1-temp";
    private static final String PATH = "/api/config/" + PID;

    @TempDir
    Path dir;
    private Path conf;
    private Path alarmFile;
    private H2AuditTrail audit;
    private UserService users;
    private TestConfigAdmin configAdmin;
    private EmbeddedJetty box;
    private String bootstrap;

    @BeforeEach
    void start() throws Exception {
        conf = Files.createDirectories(dir.resolve("conf"));
        Path data = Files.createDirectories(dir.resolve("data"));
        audit = new H2AuditTrail(new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return data.toString();
            }
        });
        users = new UserService(SecurityServletsTest.config(data.toString()), audit);
        bootstrap = SecurityServletsTest.config(data.toString())._api_token();
        configAdmin = new TestConfigAdmin();
        alarmFile = conf.resolve("brewpi.alarm-fv1-temp.cfg");
        Files.writeString(alarmFile, """
                # Fermenter 1 too warm (integrator's note: keep 1 K below the yeast's limit)
                zone = fv1
                kind = HI
                limit = 21.5
                priority = high
                message = FV1 zu warm
                suppressed = false
                on.delay.ms = 5000
                """, StandardCharsets.ISO_8859_1);
        configAdmin.fromFile(alarmFile);
        Files.writeString(conf.resolve("brewpi.sync.cfg"), "pg.url = jdbc:postgresql://db/brew\npg.password = s3cret\n");
        configAdmin.fromFile(conf.resolve("brewpi.sync.cfg"));
        Files.writeString(conf.resolve("brewpi.users.cfg"), "lockout.attempts = 5\n");
        configAdmin.fromFile(conf.resolve("brewpi.users.cfg"));
        configAdmin.plain("brewpi.historian", Map.of("data.dir", "/var/lib/brewpi"));

        ConfigServlet servlet = new ConfigServlet(Map::of);
        servlet.setConfigAdmin(configAdmin);
        servlet.setAuthenticator(users);
        servlet.setPolicy(users);
        servlet.setSignatures(users);
        servlet.setAudit(audit);
        box = new EmbeddedJetty().add(servlet, false, ConfigServlet.CONFIG, ConfigServlet.CONFIG + "/*")
                .add(new SessionServlet(users, users), false, SessionServlet.SESSION, SessionServlet.PIN)
                .add(new UsersServlet(users, users), false, "/api/users", "/api/users/*", "/api/tokens").start();
    }

    @AfterEach
    void stop() throws Exception {
        box.close();
    }

    private static String change(String properties, String pin, String reason) {
        return "{\"properties\":" + properties + (pin == null ? "" : ",\"pin\":\"" + pin + "\"")
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}";
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(box.http(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return mapper.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String error) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("error").asText()).as(r.body()).isEqualTo(error);
    }

    private List<AuditEntry> changes(String actor) {
        return audit.entries(0, 0, Long.MAX_VALUE, actor, PID, 1000).stream()
                .filter(e -> "config.updated".equals(e.action())).toList();
    }

    private String limitInFile() throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(alarmFile, StandardCharsets.ISO_8859_1)) {
            p.load(in);
        }
        return p.getProperty("limit");
    }

    @Test
    void everyRoleIsTriedOnlyEngineerAndAdminChangeAndEachChangeIsSignedAuditedLiveAndSaved() throws Exception {
        Set<Role> allowed = Set.of(Role.ENGINEER, Role.ADMIN);
        double limit = 21.5;
        for (Role role : Role.values()) {
            String user = "u-" + role.id();
            String token = AlarmServletTest.login(box, bootstrap, user, role.id());
            double next = limit + 0.5;
            long before = System.currentTimeMillis();
            HttpResponse<String> r = send("PUT", PATH, change("{\"limit\":" + next + "}", AlarmServletTest.PIN,
                    "yeast change by " + user), token);
            if (!allowed.contains(role)) {
                assertError(r, 403, "forbidden");
                assertThat(json(r).get("message").asText()).contains(role.id());
                assertThat(audit.entries(0, 0, Long.MAX_VALUE, user, "config:" + PID, 100)).as(role + ": refusal audited")
                        .extracting(AuditEntry::action).containsExactly("access.refused");
                assertThat(limitInFile()).isEqualTo(String.valueOf(limit));
                continue;
            }
            assertThat(r.statusCode()).as(role + ": " + r.body()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.at("/configuration/properties/limit").asText()).isEqualTo(String.valueOf(next));
            assertThat(body.at("/signature/printedName").asText()).isEqualTo("Name of " + user);
            assertThat(body.at("/signature/meaning").asText()).isEqualTo("configuration change");
            assertThat(body.at("/changed/limit").asText()).isEqualTo(String.valueOf(next));
            // live: ConfigurationAdmin holds it; saved: the file holds it, its comment kept
            assertThat(configAdmin.configs.get(PID).properties.get("limit")).isEqualTo(String.valueOf(next));
            assertThat(limitInFile()).isEqualTo(String.valueOf(next));
            assertThat(Files.readString(alarmFile, StandardCharsets.ISO_8859_1)).startsWith("# Fermenter 1 too warm");
            // the signature: printed name, time and meaning (Part 11 §11.50), before the change
            List<AuditEntry> signed = audit.entries(0, 0, Long.MAX_VALUE, user, "config:" + PID, 100);
            assertThat(signed).hasSize(1);
            assertThat(signed.get(0).action()).isEqualTo("signature");
            assertThat(signed.get(0).newValue()).isEqualTo("Name of " + user);
            assertThat(signed.get(0).signature()).isEqualTo("configuration change");
            assertThat(signed.get(0).time()).isBetween(before, System.currentTimeMillis());
            // the change itself, with the signer, old and new values, reason and meaning
            List<AuditEntry> changed = changes(user);
            assertThat(changed).hasSize(1);
            AuditEntry e = changed.get(0);
            assertThat(e.entryPoint()).isEqualTo("hmi");
            assertThat(e.oldValue()).isEqualTo("limit=" + limit);
            assertThat(e.newValue()).isEqualTo("limit=" + next);
            assertThat(e.reason()).isEqualTo("yeast change by " + user);
            assertThat(e.signature()).isEqualTo("configuration change");
            assertThat(e.seq()).isGreaterThan(signed.get(0).seq());
            limit = next;
        }
        assertThat(configAdmin.updates).hasSize(2);
        // kept across a restart: the box reads the file again
        configAdmin.restart();
        assertThat(configAdmin.configs.get(PID).properties.get("limit")).isEqualTo(String.valueOf(limit));
        assertThat(configAdmin.configs.get(PID).properties.get("message")).isEqualTo("FV1 zu warm");
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void withoutPinOrReasonNothingIsSignedOrChanged() throws Exception {
        String engineer = AlarmServletTest.login(box, bootstrap, "eng", "engineer");
        assertError(send("PUT", PATH, change("{\"limit\":23}", null, "cold crash"), engineer), 400, "bad_request");
        assertError(send("PUT", PATH, change("{\"limit\":23}", AlarmServletTest.PIN, null), engineer), 400, "bad_request");
        assertError(send("PUT", PATH, change("{\"limit\":23}", AlarmServletTest.PIN, "  "), engineer), 400, "bad_request");
        assertError(send("PUT", PATH, change("{\"limit\":23}", "000000", "cold crash"), engineer), 401,
                "bad_credentials");
        assertThat(limitInFile()).isEqualTo("21.5");
        assertThat(configAdmin.updates).isEmpty();
        assertThat(changes("eng")).isEmpty();
        assertThat(audit.entries(0, 0, Long.MAX_VALUE, "eng", "config:", 100)).extracting(AuditEntry::action)
                .doesNotContain("signature");

        // with both it goes through
        HttpResponse<String> ok = send("PUT", PATH, change("{\"limit\":23,\"message\":\"FV1 warm\"}",
                AlarmServletTest.PIN, "cold crash"), engineer);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(changes("eng")).singleElement().satisfies(e -> {
            assertThat(e.oldValue()).isEqualTo("limit=21.5, message=FV1 zu warm");
            assertThat(e.newValue()).isEqualTo("limit=23, message=FV1 warm");
        });
    }

    @Test
    void aTokenCannotSignEvenAnEngineersAndTheBootstrapTokenNeither() throws Exception {
        HttpResponse<String> created = AlarmServletTest.call(box, "/api/tokens",
                "{\"name\":\"scada\",\"role\":\"engineer\"}", bootstrap);
        String token = json(created).get("token").asText();
        HttpResponse<String> r = send("PUT", PATH, change("{\"limit\":30}", AlarmServletTest.PIN, "x"), token);
        assertError(r, 403, "forbidden");
        assertThat(json(r).get("message").asText()).contains("API token cannot sign");
        assertError(send("PUT", PATH, change("{\"limit\":30}", AlarmServletTest.PIN, "x"), bootstrap), 403, "forbidden");
        assertError(send("PUT", PATH, change("{\"limit\":30}", AlarmServletTest.PIN, "x"), null), 401, "unauthorized");
        assertThat(configAdmin.updates).isEmpty();
        // but a token may read
        assertThat(send("GET", "/api/config", null, token).statusCode()).isEqualTo(200);
    }

    @Test
    void badBodiesAndRefusedKeysAre4xxAndChangeNothing() throws Exception {
        String eng = AlarmServletTest.login(box, bootstrap, "eng", "engineer");
        String pin = AlarmServletTest.PIN;
        assertError(send("PUT", PATH, "[1]", eng), 400, "bad_request");
        assertError(send("PUT", PATH, "{not json", eng), 400, "bad_request");
        assertError(send("PUT", PATH, "{\"limit\":22,\"pin\":\"" + pin + "\",\"reason\":\"r\"}", eng), 400, "bad_request");
        assertError(send("PUT", PATH, change("{}", pin, "r"), eng), 400, "bad_request");
        assertError(send("PUT", PATH, change("[22]", pin, "r"), eng), 400, "bad_request");
        HttpResponse<String> unknownKey = send("PUT", PATH, change("{\"limmit\":22}", pin, "r"), eng);
        assertError(unknownKey, 400, "bad_request");
        assertThat(json(unknownKey).get("message").asText()).contains("unknown property 'limmit'");
        assertError(send("PUT", PATH, change("{\"service.pid\":\"x\"}", pin, "r"), eng), 400, "bad_request");
        assertError(send("PUT", PATH, change("{\"felix.fileinstall.filename\":\"file:/etc/passwd\"}", pin, "r"), eng),
                400, "bad_request");
        HttpResponse<String> wrongType = send("PUT", PATH, change("{\"limit\":\"hot\"}", pin, "r"), eng);
        assertError(wrongType, 400, "bad_request");
        assertThat(json(wrongType).get("message").asText()).contains("must be a number");
        assertError(send("PUT", PATH, change("{\"suppressed\":1}", pin, "r"), eng), 400, "bad_request");
        assertError(send("PUT", PATH, change("{\"message\":42}", pin, "r"), eng), 400, "bad_request");
        assertError(send("PUT", PATH, change("{\"message\":[\"a\"]}", pin, "r"), eng), 400, "bad_request");
        assertError(send("PUT", PATH, change("{\"message\":\"a\\nb\"}", pin, "r"), eng), 400, "bad_request");
        assertError(send("PUT", PATH, change("{\"message\":\"${user.home}\"}", pin, "r"), eng), 400, "bad_request");
        assertError(send("PUT", PATH, change("{\"limit\":21.5}", pin, "r"), eng), 400, "bad_request"); // unchanged
        assertError(send("PUT", "/api/config/brewpi.sync", change("{\"pg.password\":\"guess\"}", pin, "r"), eng), 400,
                "bad_request");
        // the mask echoed back leaves the secret as it is
        assertError(send("PUT", "/api/config/brewpi.sync", change("{\"pg.password\":\"****\"}", pin, "r"), eng), 400,
                "bad_request");
        assertError(send("PUT", "/api/config/nope", change("{\"a\":1}", pin, "r"), eng), 404, "unknown_config");
        assertError(send("PUT", "/api/config/brewpi.users", change("{\"lockout.attempts\":9}", pin, "r"), eng), 409,
                "not_editable");
        assertError(send("PUT", "/api/config/brewpi.historian", change("{\"data.dir\":\"/tmp\"}", pin, "r"), eng), 409,
                "not_editable");
        assertError(send("POST", PATH, change("{\"limit\":22}", pin, "r"), eng), 405, "method_not_allowed");
        assertError(send("PUT", "/api/config", change("{\"limit\":22}", pin, "r"), eng), 405, "method_not_allowed");
        assertError(send("GET", "/api/config/a/b", null, eng), 404, "not_found");
        assertError(send("GET", "/api/config/a%29%28b%2A", null, eng), 404, "unknown_config"); // filter syntax
        assertError(send("GET", "/api/config/" + "p".repeat(201), null, eng), 400, "bad_request");
        assertThat(configAdmin.updates).isEmpty();
        assertThat(changes("eng")).isEmpty();
        assertThat(Files.readString(conf.resolve("brewpi.sync.cfg"))).contains("pg.password = s3cret");

        // the mask next to a real change: the secret stays, the other key changes
        HttpResponse<String> ok = send("PUT", "/api/config/brewpi.sync",
                change("{\"pg.password\":\"****\",\"pg.url\":\"jdbc:postgresql://db2/brew\"}", pin, "new server"), eng);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(Files.readString(conf.resolve("brewpi.sync.cfg")))
                .isEqualTo("pg.url = jdbc:postgresql://db2/brew\npg.password = s3cret\n");
    }

    @Test
    void readingShowsEveryConfigurationWithSecretsMaskedAndWhetherItMayBeChanged() throws Exception {
        assertError(send("GET", "/api/config", null, null), 401, "unauthorized");
        String op = AlarmServletTest.login(box, bootstrap, "op", "operator");
        HttpResponse<String> all = send("GET", "/api/config", null, op);
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(all.body()).doesNotContain("s3cret", "felix.fileinstall", "service.pid");
        JsonNode list = json(all).get("configurations");
        assertThat(json(all).get("count").asInt()).isEqualTo(4);
        assertThat(list.findValuesAsText("pid")).containsExactly("brewpi.alarm~fv1-temp", "brewpi.historian",
                "brewpi.sync", "brewpi.users");
        JsonNode sync = send("GET", "/api/config/brewpi.sync", null, op).body().transform(ConfigServletTest::parse);
        assertThat(sync.at("/properties/pg.password").asText()).isEqualTo("****");
        assertThat(sync.get("file").asText()).isEqualTo("brewpi.sync.cfg");
        assertThat(sync.get("editable").asBoolean()).isTrue();
        JsonNode alarm = parse(send("GET", PATH, null, op).body());
        assertThat(alarm.get("factoryPid").asText()).isEqualTo("brewpi.alarm");
        assertThat(alarm.at("/properties/limit").asText()).isEqualTo("21.5");
        JsonNode historian = parse(send("GET", "/api/config/brewpi.historian", null, op).body());
        assertThat(historian.get("editable").asBoolean()).isFalse();
        assertThat(historian.get("notEditable").asText()).contains("not read from a .cfg file");
        assertThat(parse(send("GET", "/api/config/brewpi.users", null, op).body()).get("notEditable").asText())
                .contains("security");
        assertError(send("GET", "/api/config/nope", null, op), 404, "unknown_config");
    }

    @Test
    void aFileThatCannotBeWrittenChangesNothingAndTheFailureIsAudited() throws Exception {
        String eng = AlarmServletTest.login(box, bootstrap, "eng", "engineer");
        // a folder where the temporary file goes: the write fails
        Files.createDirectories(conf.resolve("brewpi.alarm-fv1-temp.cfg.tmp"));
        Files.writeString(conf.resolve("brewpi.alarm-fv1-temp.cfg.tmp").resolve("x"), "x");
        HttpResponse<String> r = send("PUT", PATH, change("{\"limit\":25}", AlarmServletTest.PIN, "r"), eng);
        assertError(r, 500, "not_saved");
        assertThat(configAdmin.updates).isEmpty();
        assertThat(limitInFile()).isEqualTo("21.5");
        assertThat(audit.entries(0, 0, Long.MAX_VALUE, "eng", PID, 100)).extracting(AuditEntry::action)
                .containsExactly("config.updated", "config.update_failed");
    }

    @Test
    void withoutTheUsersBundleNothingIsReadOrChanged() throws Exception {
        ConfigServlet bare = new ConfigServlet(Map::of);
        bare.setConfigAdmin(configAdmin);
        try (EmbeddedJetty other = new EmbeddedJetty().add(bare, false, "/api/config", "/api/config/*").start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(other.http("/api/config")).GET().build(),
                    BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(parse(r.body()).get("error").asText()).isEqualTo("no_users");
        }
    }

    @Test
    void withTheComponentsDefinitionTypesOptionsAndNewKeysFollowIt() throws Exception {
        ConfigServlet defined = new ConfigServlet(() -> Map.of("brewpi.alarm",
                new Definitions.Definition("org.brewpi.alarms", new TestOcd("brewpi.alarm", "BrewPi alarm", List.of(
                        new TestAd("limit", org.osgi.service.metatype.AttributeDefinition.DOUBLE, null),
                        new TestAd("on.delay.ms", org.osgi.service.metatype.AttributeDefinition.LONG, null),
                        new TestAd("deadband", org.osgi.service.metatype.AttributeDefinition.DOUBLE, null),
                        new TestAd("priority", org.osgi.service.metatype.AttributeDefinition.STRING,
                                new String[] { "critical", "high", "medium", "low" }))))));
        defined.setConfigAdmin(configAdmin);
        defined.setAuthenticator(users);
        defined.setPolicy(users);
        defined.setSignatures(users);
        defined.setAudit(audit);
        try (EmbeddedJetty other = new EmbeddedJetty().add(defined, false, "/api/config", "/api/config/*").start()) {
            String eng = AlarmServletTest.login(box, bootstrap, "eng", "engineer");
            String pin = AlarmServletTest.PIN;
            java.util.function.BiFunction<String, String, HttpResponse<String>> put = (props, reason) -> {
                try {
                    return http.send(HttpRequest.newBuilder(other.http(PATH)).PUT(BodyPublishers.ofString(
                            change(props, pin, reason))).header("Authorization", "Bearer " + eng).build(),
                            BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            HttpResponse<String> option = put.apply("{\"priority\":\"urgent\"}", "r");
            assertError(option, 400, "bad_request");
            assertThat(json(option).get("message").asText()).contains("one of critical, high, medium, low");
            HttpResponse<String> whole = put.apply("{\"on.delay.ms\":1.5}", "r");
            assertError(whole, 400, "bad_request");
            assertThat(json(whole).get("message").asText()).contains("whole number");
            assertError(put.apply("{\"nonsense\":1}", "r"), 400, "bad_request");
            assertThat(configAdmin.updates).isEmpty();

            // a key the definition names but the file does not hold yet is added to the file
            HttpResponse<String> added = put.apply("{\"deadband\":0.5,\"priority\":\"critical\"}", "tighter");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            assertThat(json(added).at("/configuration/description").asText()).isEqualTo("BrewPi alarm");
            assertThat(json(added).at("/configuration/bundle").asText()).isEqualTo("org.brewpi.alarms");
            String file = Files.readString(alarmFile, StandardCharsets.ISO_8859_1);
            assertThat(file).contains("priority = critical\n").endsWith("deadband = 0.5\n");
            assertThat(changes("eng")).singleElement().satisfies(e -> {
                assertThat(e.oldValue()).isEqualTo("priority=high");
                assertThat(e.newValue()).isEqualTo("deadband=0.5, priority=critical");
            });
        }
    }

    /** A component's definition as the MetaType service gives it (the real one answers in distribution/itest). */
    record TestOcd(String id, String name, List<org.osgi.service.metatype.AttributeDefinition> ads)
            implements org.osgi.service.metatype.ObjectClassDefinition {
        public String getName() {
            return name;
        }

        public String getID() {
            return id;
        }

        public String getDescription() {
            return "";
        }

        public org.osgi.service.metatype.AttributeDefinition[] getAttributeDefinitions(int filter) {
            return ads.toArray(new org.osgi.service.metatype.AttributeDefinition[0]);
        }

        public java.io.InputStream getIcon(int size) {
            return null;
        }
    }

    record TestAd(String id, int type, String[] options) implements org.osgi.service.metatype.AttributeDefinition {
        public String getName() {
            return id;
        }

        public String getID() {
            return id;
        }

        public String getDescription() {
            return "";
        }

        public int getCardinality() {
            return 0;
        }

        public int getType() {
            return type;
        }

        public String[] getOptionValues() {
            return options;
        }

        public String[] getOptionLabels() {
            return options;
        }

        public String validate(String value) {
            return ""; // the real MetaType service's checks run in distribution/itest
        }

        public String[] getDefaultValue() {
            return null;
        }
    }

    private static JsonNode parse(String body) {
        try {
            return mapper.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
