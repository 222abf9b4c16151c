package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Settings screen of the exported box: an engineer changes an alarm limit on the touchscreen with an
 * electronic signature; the box has it live (GET /api/alarms), in its conf file, and in the audit trail with the
 * signer. A supervisor is not offered the screen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettingsScreenTest {

    static final String PIN = "75319864";
    static final String PID = "brewpi.alarm~e2e-set";

    private Box box;
    private Browser browser;

    @BeforeAll
    void startBoxAndBrowser() throws Exception {
        E2e.requireBrowser();
        box = new Box("settings");
        box.conf("brewpi.alarm-e2e-set.cfg", "# e2e: an integrator's alarm\nid = fv1.pv.e2eset\nzone = fv1\ntag = pv\n"
                + "kind = HI\nlimit = 30\npriority = low\nmessage = e2e settings\n");
        box.start();
        Hmi.createActiveUser(box, "eng", "Elena Navarro", "engineer", PIN);
        Hmi.createActiveUser(box, "sup", "Santiago Pardo", "supervisor", PIN);
        browser = Browser.start();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (box != null) {
                box.close();
            }
        }
    }

    private double restLimit() throws Exception {
        Http.Answer a = box.http.get("/api/alarms/fv1.pv.e2eset");
        return a.status() == 200 ? a.json().path("limit").asDouble(Double.NaN) : Double.NaN;
    }

    @Test
    void anEngineerChangesAnAlarmLimitWithASignatureAndTheBoxHasItLiveSavedAndAudited() throws Exception {
        E2e.waitFor("the alarm from conf/", Duration.ofSeconds(20), () -> restLimit() == 30.0);
        browser.open(box.baseUrl() + "/hmi/");

        Hmi.login(browser, "sup", PIN);
        browser.tap("nav:system");
        E2e.waitFor("the System screen", Duration.ofSeconds(3), () -> "system".equals(browser.state().path("screen").asText()));
        assertThat(browser.state().path("system").path("settings").isNull()).as("no Settings for a supervisor").isTrue();
        Hmi.logout(browser);

        Hmi.login(browser, "eng", PIN);
        browser.tap("nav:system");
        E2e.waitFor("the Settings button", Duration.ofSeconds(3),
                () -> !browser.state().path("system").path("settings").isNull());
        browser.tap("settings");
        E2e.waitFor("the configurations listed", Duration.ofSeconds(10),
                () -> PID.equals(browser.state().path("settings").path("selected").asText()));
        List<String> keys = new ArrayList<>();
        browser.state().path("settings").path("props").forEach(p -> keys.add(p.path("key").asText()));
        assertThat(keys).contains("limit");
        browser.screenshot("settings");

        browser.tap("set:prop:limit");
        E2e.waitFor("the editor", Duration.ofSeconds(3),
                () -> "number".equals(browser.state().path("settings").path("edit").path("kind").asText()));
        Hmi.type(browser, "set:key", "31,5"); // Spanish: decimal comma
        browser.tap("set:next");
        E2e.waitFor("the signature dialog", Duration.ofSeconds(3),
                () -> "configuration change".equals(browser.state().path("signature").path("meaning").asText()));
        assertThat(browser.state().path("signature").path("target").asText()).isEqualTo("config:" + PID);
        browser.screenshot("settings-signature");
        Hmi.type(browser, "sig:key", "levadura nueva");
        browser.tap("sig:field:pin");
        Hmi.type(browser, "sig:key", PIN);
        browser.tap("sig:sign");

        E2e.waitFor("the change done on screen and live in the box", Duration.ofSeconds(10),
                () -> "done".equals(browser.state().path("settings").path("outcome").path("phase").asText())
                        && restLimit() == 31.5);
        String file = Files.readString(box.home.resolve("conf").resolve("brewpi.alarm-e2e-set.cfg"));
        assertThat(file).startsWith("# e2e: an integrator's alarm").contains("limit = 31.5").doesNotContain("limit = 30");

        JsonNode audit = box.http.get("/api/audit?target=" + PID + "&limit=100", box.token).json().path("entries");
        List<String> lines = new ArrayList<>();
        audit.forEach(e -> lines.add(e.path("actor").asText() + " " + e.path("action").asText() + " "
                + e.path("newValue").asText() + " " + e.path("signature").asText()));
        assertThat(lines).contains("eng config.updated limit=31.5 configuration change")
                .noneMatch(l -> l.startsWith("system") && l.contains("limit=31.5"));
        JsonNode signed = box.http.get("/api/audit?target=config:" + PID + "&limit=10", box.token).json().path("entries");
        assertThat(signed).hasSize(1);
        assertThat(signed.get(0).path("newValue").asText()).as("printed name").isEqualTo("Elena Navarro");
    }
}
