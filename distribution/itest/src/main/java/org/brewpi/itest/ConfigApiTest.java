package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.Reader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.brewpi.api.alarm.AlarmService;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.api.security.Sessions;
import org.brewpi.api.security.UserAdmin;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * #5: an engineer changes an alarm's limit through {@code PUT /api/config/{pid}} with a signature: live in the alarm
 * engine, saved in its file in conf/, and in the audit trail once, with the signer; an edit of the file by shell
 * afterwards stays {@code system}.
 */
class ConfigApiTest {

    private static final String PIN = "731946";

    @InjectBundleContext
    BundleContext context;

    @Test
    void anEngineerSignsAnAlarmLimitChangeThatIsLiveSavedAndAuditedOnceWithTheSigner() throws Exception {
        Box box = new Box(context);
        long started = System.currentTimeMillis();
        String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String alarmId = "fv1.pv.itcfg" + suffix;
        Path file = box.confDir().resolve("brewpi.alarm-itcfg" + suffix + ".cfg");
        Files.writeString(file, "# IT: an integrator's alarm file; this comment stays\nid = " + alarmId
                + "\nzone = fv1\ntag = pv\nkind = HI\nlimit = 30\npriority = low\nmessage = IT config\n",
                StandardCharsets.ISO_8859_1);
        AlarmService alarms = box.service(AlarmService.class);
        try {
            await().atMost(Box.WAIT).until(() -> alarms.alarm(alarmId).map(a -> a.definition().limit() == 30.0)
                    .orElse(false));
            String pid = pidOf(box, file);
            AuditTrail trail = box.service(AuditTrail.class);
            await().atMost(Box.WAIT).until(() -> !entries(trail, pid, started).isEmpty()); // the file's arrival, as system

            String engineer = login(box, Role.ENGINEER);
            String supervisor = login(box, Role.SUPERVISOR);
            String user = box.service(Authenticator.class).authenticate("Bearer " + engineer).orElseThrow().user();

            // the list shows it, changeable; a supervisor may not change it
            JsonNode list = Box.JSON.readTree(call(box, "GET", "/api/config", null, supervisor).body());
            JsonNode view = null;
            for (JsonNode c : list.get("configurations")) {
                if (c.get("pid").asText().equals(pid)) {
                    view = c;
                }
            }
            assertThat(view).as("GET /api/config lists " + pid).isNotNull();
            assertThat(view.get("editable").asBoolean()).isTrue();
            assertThat(view.at("/properties/limit").asText()).isEqualTo("30");
            String body = "{\"properties\":{\"limit\":31.5},\"pin\":\"" + PIN + "\",\"reason\":\"IT: new yeast\"}";
            assertThat(call(box, "PUT", "/api/config/" + pid, body, supervisor).statusCode()).isEqualTo(403);
            assertThat(call(box, "PUT", "/api/config/" + pid, "{\"properties\":{\"limit\":31.5},\"reason\":\"x\"}",
                    engineer).statusCode()).as("no PIN").isEqualTo(400);
            // the alarm component's own definition (MetaType): options and whole numbers
            assertThat(view.get("bundle").asText()).isEqualTo("org.brewpi.alarms");
            assertThat(view.get("description").asText()).startsWith("BrewPi alarm");
            HttpResponse<String> option = call(box, "PUT", "/api/config/" + pid,
                    "{\"properties\":{\"priority\":\"urgent\"},\"pin\":\"" + PIN + "\",\"reason\":\"x\"}", engineer);
            assertThat(option.statusCode()).as(option.body()).isEqualTo(400);
            assertThat(option.body()).contains("critical");
            HttpResponse<String> whole = call(box, "PUT", "/api/config/" + pid,
                    "{\"properties\":{\"on.delay.ms\":1.5},\"pin\":\"" + PIN + "\",\"reason\":\"x\"}", engineer);
            assertThat(whole.statusCode()).as(whole.body()).isEqualTo(400);
            assertThat(whole.body()).contains("whole number");

            long sent = System.currentTimeMillis();
            HttpResponse<String> changed = call(box, "PUT", "/api/config/" + pid, body, engineer);
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);

            // live: the alarm engine has the new limit
            await().atMost(Box.WAIT).until(() -> alarms.alarm(alarmId).orElseThrow().definition().limit() == 31.5);
            // saved: the file says so (what the next start reads), its comment kept
            assertThat(read(file).getProperty("limit")).isEqualTo("31.5");
            assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).startsWith("# IT: an integrator's alarm file");
            // audited once, with the signer: FileInstall's next polls (every 250 ms here) find the file as the
            // configuration already is, and the change auditor's own record is left out
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    system(trail, pid, sent)).as("system records after the signed change").isEmpty());
            List<AuditEntry> signed = entries(trail, pid, started).stream().filter(e -> user.equals(e.actor())).toList();
            assertThat(signed).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("config.updated");
                assertThat(e.oldValue()).isEqualTo("limit=30");
                assertThat(e.newValue()).isEqualTo("limit=31.5");
                assertThat(e.reason()).isEqualTo("IT: new yeast");
                assertThat(e.signature()).isEqualTo("configuration change");
            });
            List<AuditEntry> signature = trail.entries(0, started, Long.MAX_VALUE, user, "config:" + pid, 100);
            assertThat(signature).extracting(AuditEntry::action).containsExactly("signature");
            assertThat(signature.get(0).newValue()).as("printed name").isEqualTo("IT engineer");
            assertThat(signature.get(0).signature()).isEqualTo("configuration change");

            // an edit by shell is the system's, as before
            Files.writeString(file, Files.readString(file, StandardCharsets.ISO_8859_1).replace("limit = 31.5",
                    "limit = 33"), StandardCharsets.ISO_8859_1);
            await().atMost(Box.WAIT).until(() -> alarms.alarm(alarmId).orElseThrow().definition().limit() == 33.0);
            await().atMost(Box.WAIT).untilAsserted(() -> assertThat(system(trail, pid, sent))
                    .singleElement().satisfies(e -> assertThat(e.newValue()).contains("limit=33")));
            assertThat(trail.verify().ok()).isTrue();
        } finally {
            Files.deleteIfExists(file);
        }
        await().atMost(Box.WAIT).until(() -> alarms.alarm(alarmId).isEmpty());
    }

    private static List<AuditEntry> entries(AuditTrail trail, String pid, long from) {
        return trail.entries(0, from, Long.MAX_VALUE, null, pid, 1000).stream()
                .filter(e -> e.target().equals(pid) && e.action().startsWith("config.")).toList();
    }

    private static List<AuditEntry> system(AuditTrail trail, String pid, long from) {
        return entries(trail, pid, from).stream().filter(e -> "system".equals(e.actor())).toList();
    }

    /** The pid FileInstall gave the file's configuration. */
    private static String pidOf(Box box, Path file) throws Exception {
        ConfigurationAdmin cm = box.service(ConfigurationAdmin.class);
        String[] pid = new String[1];
        await().atMost(Box.WAIT).until(() -> {
            Configuration[] all = cm.listConfigurations("(service.factoryPid=brewpi.alarm)");
            for (Configuration c : all == null ? new Configuration[0] : all) {
                Object name = c.getProperties().get("felix.fileinstall.filename");
                if (name != null && Path.of(URI.create(name.toString())).equals(file)) {
                    pid[0] = c.getPid();
                    return true;
                }
            }
            return false;
        });
        return pid[0];
    }

    private static Properties read(Path file) throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(in);
        }
        return p;
    }

    /** A user with a PIN, logged in: the session token. Names are new per run: the data folder may be reused. */
    private static String login(Box box, Role role) {
        Principal admin = box.service(Authenticator.class).authenticate("Bearer " + Box.TOKEN).orElseThrow();
        String user = role.id().substring(0, 3) + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        box.service(UserAdmin.class).createUser(admin, user, "IT " + role.id(), role, "first-" + user);
        Sessions sessions = box.service(Sessions.class);
        sessions.changePin(user, "first-" + user, PIN, "hmi");
        return sessions.login(user, PIN, "hmi").token();
    }

    private static HttpResponse<String> call(Box box, String method, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + box.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return box.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
