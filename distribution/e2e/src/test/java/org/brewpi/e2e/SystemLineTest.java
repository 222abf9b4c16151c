package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The store-and-forward backlog on the HMI: the box is given a central PostgreSQL it cannot reach
 * (a port nobody listens on), so its records pile up locally; the system line on every screen says
 * the database is unreachable and how much waits, and the System screen details it per stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemLineTest {

    private Box box;
    private Browser browser;

    @BeforeAll
    void startBoxAndBrowser() throws Exception {
        E2e.requireBrowser();
        box = new Box("system-line")
                .env("BREWPI_PG_URL", "jdbc:postgresql://127.0.0.1:" + Box.freePort() + "/test")
                .degradedIsExpected()
                .start();
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

    private long restWaiting() throws Exception {
        return box.http.get("/api/health").json().path("components").path("sync").path("rows.waiting").asLong();
    }

    @Test
    void theSystemLineShowsTheBacklogWhileTheDatabaseIsUnreachable() throws Exception {
        E2e.waitFor("rows waiting for PostgreSQL", Duration.ofSeconds(30), () -> restWaiting() > 0);
        browser.open(box.baseUrl() + "/hmi/");
        E2e.waitFor("the system line saying the database is unreachable", Duration.ofSeconds(15), () -> {
            JsonNode sync = browser.state().path("chrome").path("sync");
            return sync.path("abnormal").asBoolean(false) && sync.path("text").asText().contains("filas en espera");
        });
        String line = browser.state().path("chrome").path("sync").path("text").asText();
        assertThat(line).startsWith("BD central INACCESIBLE · ").contains("más antigua ");
        long shown = Long.parseLong(line.replaceAll(".*· ([0-9.]+) filas en espera.*", "$1").replace(".", ""));
        assertThat(shown).as("rows waiting on screen (%s)", line).isPositive();
        browser.screenshot("system-line-backlog");

        // It is on every screen: here the alarms screen, then the System screen with the details.
        browser.tap("nav:alarms");
        assertThat(browser.state().path("chrome").path("sync").path("abnormal").asBoolean()).isTrue();
        browser.tap("nav:system");
        E2e.waitFor("the System screen", Duration.ofSeconds(3),
                () -> browser.state().path("system").path("streams").size() > 0);
        JsonNode system = browser.state().path("system");
        assertThat(system.path("sync").path("db").asText()).isEqualTo("unreachable");
        assertThat(system.path("lastError").asText()).startsWith("Último error: unreachable");
        assertThat(system.path("streams").findValuesAsText("name")).contains("samples", "zone_states");
        // Per stream, what waits: the same rows the system line counts (the historian writes in batches,
        // so which stream has rows at this instant varies; some stream must).
        E2e.waitFor("a stream with rows waiting on the System screen", Duration.ofSeconds(10), () -> {
            for (JsonNode s : browser.state().path("system").path("streams")) {
                if (!"0".equals(s.path("waiting").asText())) {
                    return true;
                }
            }
            return false;
        });
        browser.screenshot("system-screen");
    }
}
