package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real alarm from the simulated plant on the real box, in Chromium at 800x480: the banner on every
 * screen with the audible signal, one touch to the list, acknowledged from the list by a logged-in
 * person; the metrics view; and the e-signature dialog that refuses to shelve without a reason.
 * <p>
 * The alarm is an extra HI alarm on fv1's temperature with a limit below what the simulated
 * fermenter holds (about 18 °C), configured in conf/ as an integrator would: the value that raises
 * it is the simulator's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlarmsTest {

    static final String ALARM = "fv1.pv.hi";
    static final String PIN = "97312468";

    private Box box;
    private Browser browser;

    @BeforeAll
    void startBoxAndBrowser() throws Exception {
        E2e.requireBrowser();
        box = new Box("alarms").conf("brewpi.alarm-e2e.cfg", String.join("\n",
                "zone = fv1", "tag = pv", "kind = HI", "limit = 5", "priority = critical", "deadband = 0.5",
                "on.delay.ms = 0", "message = FV1 por encima de 5 \\u00b0C (prueba)", "")); // .cfg files are ISO-8859-1
        box.start();
        Hmi.createActiveUser(box, "sara", "Sara Molina", "supervisor", PIN);
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

    private JsonNode restAlarm() throws Exception {
        return box.http.get("/api/alarms/" + ALARM).json();
    }

    private JsonNode row(String id) {
        for (JsonNode r : browser.state().path("alarms").path("rows")) {
            if (id.equals(r.path("id").asText())) {
                return r;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    @Order(1)
    void theBannerShowsTheAlarmAndItIsAcknowledgedFromTheList() throws Exception {
        E2e.waitFor("the box raises " + ALARM + " from the simulator's fv1 temperature", Duration.ofSeconds(40),
                () -> "UNACK_ACTIVE".equals(restAlarm().path("state").asText()));
        browser.open(box.baseUrl() + "/hmi/");
        E2e.waitFor("the banner shows " + ALARM, Duration.ofSeconds(10),
                () -> ALARM.equals(browser.state().path("chrome").path("alarm").path("top").path("id").asText()));
        JsonNode chrome = browser.state().path("chrome");
        assertThat(chrome.path("alarm").path("top").path("priorityText").asText()).isEqualTo("CRÍTICA");
        assertThat(chrome.path("alarm").path("top").path("text").asText()).isEqualTo("FV1 por encima de 5 °C (prueba)");
        assertThat(chrome.path("alarm").path("counts").path("critical").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(chrome.path("horn").path("sounding").asBoolean()).as("the audible signal").isTrue();
        assertThat(chrome.path("horn").path("priority").asText()).isEqualTo("critical");
        browser.screenshot("alarm-banner");

        // One touch on the banner: the list, with the alarm first; acting needs a login.
        browser.tap("alarms");
        E2e.waitFor("the alarm list", Duration.ofSeconds(3), () -> !row(ALARM).isMissingNode());
        assertThat(browser.state().path("alarms").path("rows").get(0).path("id").asText()).isEqualTo(ALARM);
        assertThat(row(ALARM).path("canAck").asBoolean()).as("nobody logged in").isFalse();
        assertThat(row(ALARM).path("stateText").asText()).isEqualTo("ACTIVA · SIN RECONOCER");

        Hmi.login(browser, "sara", PIN);
        assertThat(browser.state().path("screen").asText()).as("back where the login started").isEqualTo("alarms");
        browser.screenshot("alarm-list");
        browser.tap("ack:" + ALARM);
        E2e.waitFor("the acknowledgement on screen", Duration.ofSeconds(10),
                () -> row(ALARM).path("acknowledged").asBoolean(false));
        JsonNode state = browser.state();
        assertThat(state.path("alarms").path("outcome").path("phase").asText()).isEqualTo("done");
        assertThat(state.path("chrome").path("alarm").path("top").path("id").asText()).isNotEqualTo(ALARM);
        E2e.waitFor("the horn silenced by the acknowledgement", Duration.ofSeconds(3),
                () -> !browser.state().path("chrome").path("horn").path("sounding").asBoolean(true));
        JsonNode rest = restAlarm();
        assertThat(rest.path("state").asText()).isEqualTo("ACK_ACTIVE");
        assertThat(rest.path("ackUser").asText()).as("acknowledged as the person logged in").isEqualTo("sara");
        browser.screenshot("alarm-acknowledged");

        browser.tap("atab:metrics");
        E2e.waitFor("the alarm metrics", Duration.ofSeconds(15),
                () -> browser.state().path("metrics").path("available").asBoolean(false));
        assertThat(browser.state().path("metrics").path("top").toString()).contains(ALARM);
        browser.screenshot("alarm-metrics");
        browser.tap("atab:list");
    }

    @Test
    @Order(2)
    void theSignatureDialogRefusesAnEmptyReasonAndSignsWithOne() throws Exception {
        if (!"alarms".equals(browser.state().path("screen").asText())) {
            browser.tap("nav:alarms");
        }
        if (browser.state().path("session").isNull()) {
            Hmi.login(browser, "sara", PIN);
        }
        browser.tap("shelve:" + ALARM);
        E2e.waitFor("the signature dialog", Duration.ofSeconds(3),
                () -> browser.state().path("signature").path("meaning").asText().equals("alarm shelve"));
        JsonNode dialog = browser.state().path("signature");
        assertThat(dialog.path("target").asText()).isEqualTo("alarm:" + ALARM);
        assertThat(dialog.path("meaningText").asText()).isEqualTo("Archivar alarma («alarm shelve»)");
        assertThat(dialog.path("signerText").asText()).isEqualTo("Firmante: Sara Molina (supervisor)");

        browser.tap("sig:field:pin");
        Hmi.type(browser, "sig:key", PIN);
        browser.tap("sig:sign");
        E2e.waitFor("the refusal of an empty reason", Duration.ofSeconds(3),
                () -> "needReason".equals(browser.state().path("signature").path("error").path("key").asText()));
        assertThat(browser.state().path("signature").path("error").path("text").asText())
                .isEqualTo("Escriba el motivo: sin motivo no hay firma.");
        browser.screenshot("signature-empty-reason");
        // nothing may reach the box: a stray request would shelve the alarm within this time
        await("nothing was sent").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> restAlarm().path("shelf").isNull());

        browser.tap("sig:field:reason");
        Hmi.type(browser, "sig:key", "sonda en calibracion");
        assertThat(browser.state().path("signature").path("error").isNull()).as("the refusal goes once corrected").isTrue();
        assertThat(browser.state().path("signature").path("pinLength").asInt()).as("the PIN typed is kept").isEqualTo(PIN.length());
        browser.tap("sig:min:30");
        browser.screenshot("signature-filled");
        browser.tap("sig:sign");
        E2e.waitFor("the dialog closed and the alarm shelved", Duration.ofSeconds(10),
                () -> browser.state().path("signature").isMissingNode() && row(ALARM).path("shelved").asBoolean(false));
        JsonNode shelf = restAlarm().path("shelf");
        assertThat(shelf.path("user").asText()).isEqualTo("sara");
        assertThat(shelf.path("reason").asText()).isEqualTo("sonda en calibracion");
        assertThat(row(ALARM).path("overlay").asText()).startsWith("Archivada por sara hasta ");
        browser.screenshot("alarm-shelved");
    }
}
