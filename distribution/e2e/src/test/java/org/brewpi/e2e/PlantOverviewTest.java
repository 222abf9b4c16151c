package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The plant overview of the real box in real headless Chromium at 800x480: live values, the
 * keypad and mode buttons driven by clicks on the canvas, read-only without a login (a kiosk #token= gives no write access), languages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantOverviewTest {

    static final List<String> DEMO_ZONES = List.of("hlt", "mash", "kettle", "glycol", "fv1", "fv2");

    private Box box;
    private Browser browser;

    @BeforeAll
    void startBoxAndBrowser() throws Exception {
        E2e.requireBrowser();
        box = new Box("overview").start();
        box.waitForZonesOnline(DEMO_ZONES, Duration.ofSeconds(30));
        Hmi.createActiveUser(box, "oper", "Olga Pérez", "operator", OPERATOR_PIN);
        browser = Browser.start();
    }

    static final String OPERATOR_PIN = "86421357";

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

    /** Opens the HMI as the kiosk does and waits until it shows the live plant. */
    private void openReadOnly(String hash) throws Exception {
        browser.open(box.baseUrl() + "/hmi/" + hash);
        E2e.waitFor("the HMI live with the six demo zones", Duration.ofSeconds(10), () -> {
            JsonNode state = browser.state();
            return "live".equals(state.path("feed").asText()) && state.path("zones").size() == DEMO_ZONES.size();
        });
    }

    /** The live plant with the operator logged in (writes need a person). */
    private void openLive() throws Exception {
        openReadOnly("");
        if (!"oper".equals(browser.state().path("session").path("user").asText())) {
            Hmi.login(browser, "oper", OPERATOR_PIN);
        }
    }

    private static String spanish(double value) {
        return String.format(Locale.ROOT, "%.1f", value).replace('.', ',');
    }

    private double restSv(String zone) throws Exception {
        return box.zone(zone).path("tags").path("sv").path("value").asDouble();
    }

    @Test
    void hmiFilesAreServedWithRevalidationHeaders() throws Exception {
        Http.Answer bare = box.http.get("/hmi");
        assertThat(bare.status()).isEqualTo(302);
        assertThat(bare.header("Location")).endsWith("/hmi/");

        Http.Answer index = box.http.get("/hmi/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.header("Content-Type")).startsWith("text/html");
        assertThat(index.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(index.header("Last-Modified")).isNotBlank();
        assertThat(index.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(index.body()).contains("<canvas id=\"hmi\"", "js/main.js");

        Http.Answer script = box.http.get("/hmi/js/main.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).contains("javascript");
        assertThat(script.header("Cache-Control")).isEqualTo("no-cache");

        assertThat(box.http.get("/hmi/js/").status()).isEqualTo(404);
        assertThat(box.http.get("/hmi/no-such-file.js").status()).isEqualTo(404);
    }

    @Test
    void overviewShowsEveryZoneLiveAt800x480() throws Exception {
        openLive();

        E2e.waitFor("every zone online with live, non-greyed pv/sv/out/mode", Duration.ofSeconds(10), () -> {
            for (JsonNode zone : browser.state().path("zones")) {
                if (!"online".equals(zone.path("state").asText())) {
                    return false;
                }
                for (String tag : List.of("pv", "sv", "mode")) {
                    if (zone.path("values").path(tag).path("greyed").asBoolean(true)) {
                        return false;
                    }
                }
            }
            return true;
        });
        JsonNode state = browser.state();
        assertThat(state.path("lang").asText()).isEqualTo("es");
        assertThat(state.path("banner").isNull()).as("no lost-feed banner while live").isTrue();
        assertThat(state.path("zonesText").asText()).isEqualTo("Zonas en línea: 6/6");
        List<String> ids = new ArrayList<>();
        state.path("zones").forEach(z -> ids.add(z.path("id").asText()));
        assertThat(ids).containsExactly("hlt", "mash", "kettle", "glycol", "fv1", "fv2");
        for (JsonNode zone : state.path("zones")) {
            assertThat(zone.path("values").path("pv").path("text").asText())
                    .as("%s pv in Spanish notation", zone.path("id").asText()).matches("-?\\d+,\\d");
            JsonNode cell = zone.path("cell");
            assertThat(cell.path("x").asDouble() + cell.path("w").asDouble()).isLessThanOrEqualTo(Browser.WIDTH);
            assertThat(cell.path("y").asDouble() + cell.path("h").asDouble()).isLessThanOrEqualTo(Browser.HEIGHT);
        }
        // The HMI shows the box's setpoint, in Spanish notation.
        E2e.waitFor("fv1 sv on screen equal to the box's", Duration.ofSeconds(5),
                () -> spanish(restSv("fv1")).equals(browser.zone("fv1").path("values").path("sv").path("text").asText()));

        BufferedImage shot = browser.screenshot("overview-live");
        Pixels pixels = Pixels.of(shot);
        assertThat(pixels.width()).isEqualTo(Browser.WIDTH);
        assertThat(pixels.height()).isEqualTo(Browser.HEIGHT);
        assertThat(pixels.distinctColours()).as("a drawing, not a blank page").isGreaterThan(20);
        assertThat(pixels.nonBackgroundShare()).as("zone panels cover the screen").isGreaterThan(0.5);
        assertThat(pixels.darkShare()).as("dark text and lines are drawn").isGreaterThan(0.01);
    }

    @Test
    void keypadSetpointReachesTheSimulatedPlc() throws Exception {
        openLive();
        double target = restSv("fv1") == 19.5 ? 17.5 : 19.5;
        String typed = spanish(target);

        browser.tap("zone:fv1");
        E2e.waitFor("the fv1 faceplate", Duration.ofSeconds(3),
                () -> "fv1".equals(browser.state().path("faceplate").path("zone").asText()));
        JsonNode faceplate = browser.state().path("faceplate");
        assertThat(faceplate.path("limits").path("text").asText()).startsWith("Límites:");
        assertThat(faceplate.path("svEnabled").asBoolean()).isTrue();

        for (char c : typed.toCharArray()) {
            browser.tap(c == ',' ? "key:dec" : "key:" + c);
        }
        E2e.waitFor("the keypad shows " + typed, Duration.ofSeconds(2),
                () -> typed.equals(browser.state().path("faceplate").path("entry").asText()));
        browser.screenshot("keypad-typed");

        browser.tap("key:send");
        E2e.waitFor("an answer to the write", Duration.ofSeconds(10), () -> {
            String phase = browser.state().path("faceplate").path("write").path("phase").asText();
            return phase.equals("done") || phase.equals("refused") || phase.equals("unconfirmed");
        });
        JsonNode write = browser.state().path("faceplate").path("write");
        browser.screenshot("keypad-acknowledged");
        assertThat(write.path("phase").asText()).as("write outcome %s", write).isEqualTo("done");
        assertThat(write.path("text").asText()).isEqualTo("Confirmado por el PLC: SV = " + typed + " °C");

        E2e.waitFor("GET /api/zones/fv1 shows sv " + target, Duration.ofSeconds(5), () -> restSv("fv1") == target);
        E2e.waitFor("the HMI shows sv " + typed, Duration.ofSeconds(5),
                () -> typed.equals(browser.zone("fv1").path("values").path("sv").path("text").asText()));
    }

    @Test
    void outOfRangeSetpointIsRefusedBeforeSending() throws Exception {
        openLive();
        double before = restSv("fv1");
        double max = box.zone("fv1").path("tags").path("sv").path("max").asDouble();
        browser.tap("zone:fv1");
        String tooHigh = Integer.toString((int) max + 10);
        for (char c : tooHigh.toCharArray()) {
            browser.tap("key:" + c);
        }
        browser.tap("key:send");
        E2e.waitFor("the refusal", Duration.ofSeconds(2),
                () -> "invalid".equals(browser.state().path("faceplate").path("write").path("phase").asText()));
        JsonNode write = browser.state().path("faceplate").path("write");
        browser.screenshot("keypad-out-of-range");
        assertThat(write.path("reason").asText()).isEqualTo("range");
        assertThat(write.path("text").asText()).isEqualTo("No enviado: fuera de rango");
        assertThat(write.path("detail").asText()).startsWith("Límites:");
        await("nothing reached the plant").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> restSv("fv1") == before);
    }

    @Test
    void modeChangeAsksForConfirmationAndWaitsForTheAck() throws Exception {
        openLive();
        browser.tap("zone:fv2");
        String current = browser.zone("fv2").path("values").path("mode").path("raw").asText();
        String other = current.equals("manual") ? "auto" : "manual";

        browser.tap("mode:" + other);
        E2e.waitFor("a confirmation dialog", Duration.ofSeconds(2),
                () -> "mode".equals(browser.state().path("faceplate").path("confirm").path("kind").asText()));
        browser.screenshot("mode-confirm");
        assertThat(box.zone("fv2").path("tags").path("mode").path("value").asText())
                .as("nothing is sent before the confirmation").isEqualTo(current);

        browser.tap("confirm:yes");
        E2e.waitFor("an answer to the mode change", Duration.ofSeconds(10), () -> {
            String phase = browser.state().path("faceplate").path("write").path("phase").asText();
            return phase.equals("done") || phase.equals("refused") || phase.equals("unconfirmed");
        });
        JsonNode write = browser.state().path("faceplate").path("write");
        assertThat(write.path("phase").asText()).as("mode write %s", write).isEqualTo("done");
        E2e.waitFor("GET /api/zones/fv2 shows mode " + other, Duration.ofSeconds(5),
                () -> other.equals(box.zone("fv2").path("tags").path("mode").path("value").asText()));

        // And back, through the same confirmation.
        browser.tap("mode:" + current);
        browser.tap("confirm:yes");
        E2e.waitFor("GET /api/zones/fv2 shows mode " + current + " again", Duration.ofSeconds(10),
                () -> current.equals(box.zone("fv2").path("tags").path("mode").path("value").asText()));
    }

    @Test
    void aKioskTokenGivesNoWriteAccessWithoutALogin() throws Exception {
        Hmi.logout(browser);
        openReadOnly("#token=" + box.token);
        assertThat(browser.url()).as("the token is taken out of the address bar").doesNotContain("token");
        assertThat(browser.js("return localStorage.getItem('brewpi.hmi.token')")).as("and not kept").isNull();
        assertThat(browser.state().path("readOnly").asBoolean()).isTrue();
        browser.tap("zone:fv1");
        E2e.waitFor("the fv1 faceplate", Duration.ofSeconds(3),
                () -> "fv1".equals(browser.state().path("faceplate").path("zone").asText()));
        JsonNode faceplate = browser.state().path("faceplate");
        assertThat(faceplate.path("svEnabled").asBoolean()).isFalse();
        assertThat(faceplate.path("modeEnabled").asBoolean()).isFalse();
        assertThat(faceplate.path("disabledText").asText()).contains("Solo lectura: inicie sesión");
        JsonNode send = browser.target("key:send");
        assertThat(send.isMissingNode()).as("the keypad is drawn").isFalse();
        assertThat(send.path("enabled").asBoolean()).as("the send key is disabled").isFalse();
        browser.screenshot("read-only");
        browser.tap("close");
    }

    @Test
    void languageToggleSwitchesToEnglishAndBack() throws Exception {
        openLive();
        browser.tap("lang");
        E2e.waitFor("English", Duration.ofSeconds(2), () -> "en".equals(browser.state().path("lang").asText()));
        JsonNode state = browser.state();
        assertThat(state.path("zonesText").asText()).isEqualTo("Zones online: 6/6");
        assertThat(browser.zone("fv1").path("values").path("pv").path("text").asText()).matches("-?\\d+\\.\\d");
        browser.screenshot("overview-english");
        browser.tap("lang");
        E2e.waitFor("Spanish again", Duration.ofSeconds(2), () -> "es".equals(browser.state().path("lang").asText()));
    }
}
