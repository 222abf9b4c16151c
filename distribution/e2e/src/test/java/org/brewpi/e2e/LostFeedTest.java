package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The live feed lost and found: the box is killed under the HMI's feet, the screen must say so and
 * grey every value within 6 s; the box comes back on the same port and the HMI reconnects by
 * itself, without a reload, and says when it came back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LostFeedTest {

    private Box box;
    private Browser browser;

    @BeforeAll
    void startBoxAndBrowser() throws Exception {
        E2e.requireBrowser();
        box = new Box("lost-feed").start();
        box.waitForZonesOnline(List.of("fv1"), Duration.ofSeconds(30));
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

    private static boolean everyValueGreyed(JsonNode state) {
        if (state.path("zones").isEmpty()) {
            return false;
        }
        for (JsonNode zone : state.path("zones")) {
            for (JsonNode value : zone.path("values")) {
                if (!value.isNull() && !value.path("greyed").asBoolean(false)) {
                    return false;
                }
            }
            for (JsonNode equipment : zone.path("equipment")) {
                if (!equipment.path("greyed").asBoolean(false)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void aLostFeedGreysEverythingAndTheHmiComesBackByItself() throws Exception {
        browser.open(box.baseUrl() + "/hmi/");
        E2e.waitFor("fv1 pv live", Duration.ofSeconds(10), () -> {
            JsonNode state = browser.state();
            return "live".equals(state.path("feed").asText())
                    && !browser.zone("fv1").path("values").path("pv").path("greyed").asBoolean(true);
        });
        browser.js("window.__e2eSamePage = true;");
        browser.screenshot("feed-before-loss");

        long killedAt = System.nanoTime();
        box.kill();
        E2e.waitFor("the lost-feed banner and every value greyed", Duration.ofSeconds(6), () -> {
            JsonNode state = browser.state();
            return "lost".equals(state.path("feed").asText())
                    && "lost".equals(state.path("banner").path("kind").asText())
                    && everyValueGreyed(state);
        });
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        JsonNode lost = browser.state();
        BufferedImage shot = browser.screenshot("feed-lost");
        System.out.printf("lost feed shown %.2f s after the kill%n", seconds);
        assertThat(lost.path("banner").path("title").asText()).isEqualTo("SIN CONEXIÓN CON EL SERVIDOR");
        assertThat(lost.path("banner").path("detail").asText()).startsWith("Valores no actualizados desde las ");
        assertThat(browser.zone("fv1").path("values").path("pv").path("marker").asText()).isEqualTo("NOFEED");
        assertThat(Pixels.rgb(shot, 300, 6)).as("the banner is drawn in the warning yellow").isEqualTo(0xf2c200);

        box.start();
        E2e.waitFor("the HMI live again and saying so, without a reload", Duration.ofSeconds(40), () -> {
            JsonNode state = browser.state();
            return "live".equals(state.path("feed").asText())
                    && "restored".equals(state.path("banner").path("kind").asText());
        });
        assertThat(browser.js("return window.__e2eSamePage === true")).as("the page was not reloaded").isEqualTo(true);
        assertThat(browser.state().path("banner").path("title").asText()).startsWith("Conexión restablecida a las ");
        E2e.waitFor("fv1 pv live again", Duration.ofSeconds(30),
                () -> !browser.zone("fv1").path("values").path("pv").path("greyed").asBoolean(true));
        browser.screenshot("feed-restored");
    }
}
