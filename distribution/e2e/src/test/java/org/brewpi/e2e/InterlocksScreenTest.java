package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The interlocks screen against the box's real interlock service (GET /api/interlocks, the bypass
 * with an e-signature, GET /api/estop). It needs the interlocks bundle in the box: without it this
 * class fails at once, saying so (the HMI itself then shows "interlocks not running", which the
 * JavaScript tests cover).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterlocksScreenTest {

    static final String PIN = "86205319";

    private Box box;
    private Browser browser;

    @BeforeAll
    void startBoxAndBrowser() throws Exception {
        E2e.requireBrowser();
        box = new Box("interlocks").start();
        box.waitForZonesOnline(PlantOverviewTest.DEMO_ZONES, Duration.ofSeconds(30));
        Http.Answer interlocks = box.http.get("/api/interlocks");
        if (interlocks.status() != 200) {
            fail("GET /api/interlocks answered %d: this test needs the interlocks bundle in the box", interlocks.status());
        }
        Hmi.createActiveUser(box, "sup", "Silvia Ugarte", "supervisor", PIN);
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

    private JsonNode restInterlock(String id) throws Exception {
        for (JsonNode il : box.http.get("/api/interlocks").json().path("interlocks")) {
            if (id.equals(il.path("id").asText())) {
                return il;
            }
        }
        return fail("interlock %s gone from GET /api/interlocks", id);
    }

    private JsonNode row(String id) {
        for (JsonNode r : browser.state().path("interlocks").path("rows")) {
            if (id.equals(r.path("id").asText())) {
                return r;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void everyRuleIsShownAndABypassIsSignedShownEverywhereAndEnded() throws Exception {
        List<String> ids = new ArrayList<>();
        box.http.get("/api/interlocks").json().path("interlocks").forEach(il -> ids.add(il.path("id").asText()));
        assertThat(ids).as("the demo plant ships interlocks").isNotEmpty();

        browser.open(box.baseUrl() + "/hmi/");
        Hmi.login(browser, "sup", PIN);
        browser.tap("nav:interlocks");
        E2e.waitFor("the interlocks listed", Duration.ofSeconds(5),
                () -> browser.state().path("interlocks").path("available").asBoolean(false));
        JsonNode screen = browser.state().path("interlocks");
        assertThat(screen.path("pages").asInt()).isEqualTo((ids.size() + 4) / 5);
        List<String> shown = new ArrayList<>();
        screen.path("rows").forEach(r -> shown.add(r.path("id").asText()));
        assertThat(ids).containsAll(shown);
        assertThat(shown).hasSize(Math.min(5, ids.size()));
        Http.Answer estop = box.http.get("/api/estop");
        if (estop.status() == 200) {
            assertThat(screen.path("estop").path("state").asText()).isEqualTo(estop.json().path("state").asText());
        } else {
            assertThat(screen.path("estop").path("text").asText()).as("no E-stop service, said so")
                    .startsWith("Paro de emergencia: ");
        }
        browser.screenshot("interlocks");

        String id = shown.get(0);
        browser.tap("bypass:" + id);
        E2e.waitFor("the signature dialog", Duration.ofSeconds(3),
                () -> "interlock bypass".equals(browser.state().path("signature").path("meaning").asText()));
        assertThat(browser.state().path("signature").path("target").asText()).isEqualTo("interlock:" + id);
        Hmi.type(browser, "sig:key", "prueba de bypass");
        browser.tap("sig:field:pin");
        Hmi.type(browser, "sig:key", PIN);
        browser.tap("sig:min:15");
        browser.tap("sig:sign");
        E2e.waitFor("the bypass on the box and on screen", Duration.ofSeconds(10),
                () -> !restInterlock(id).path("bypass").isNull() && row(id).path("bypassed").asBoolean(false));
        JsonNode bypass = restInterlock(id).path("bypass");
        assertThat(bypass.path("user").asText()).isEqualTo("sup");
        assertThat(bypass.path("reason").asText()).isEqualTo("prueba de bypass");

        // Shown on every screen while active.
        browser.tap("nav:overview");
        E2e.waitFor("the bypass on the top bar", Duration.ofSeconds(3),
                () -> browser.state().path("chrome").path("bypass").path("ids").toString().contains(id));
        browser.screenshot("bypass-everywhere");

        browser.tap("nav:interlocks");
        browser.tap("unbypass:" + id);
        Hmi.type(browser, "sig:key", "fin de la prueba");
        browser.tap("sig:sign");
        E2e.waitFor("the bypass ended", Duration.ofSeconds(10),
                () -> restInterlock(id).path("bypass").isNull() && browser.state().path("chrome").path("bypass").isNull());
    }
}
