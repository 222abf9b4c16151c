package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Logging in on the touchscreen of the real box, in real Chromium at 800x480: user name on the letter
 * keyboard, PIN on the PIN pad, the one-time PIN replaced at first login, who is logged in always on
 * the top bar, logout, a wrong PIN, the lockout, and a session the box has ended.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginTest {

    private Box box;
    private Browser browser;

    @BeforeAll
    void startBoxAndBrowser() throws Exception {
        E2e.requireBrowser();
        box = new Box("login").start();
        browser = Browser.start();
    }

    @AfterEach
    void loggedOut() throws Exception {
        Hmi.logout(browser);
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

    private void openHmi() throws Exception {
        browser.open(box.baseUrl() + "/hmi/");
        E2e.waitFor("the HMI drawn", Duration.ofSeconds(10), () -> browser.state().has("chrome"));
    }

    private String sessionToken() {
        Object saved = browser.js("return sessionStorage.getItem('brewpi.hmi.session')");
        assertThat(saved).as("the session kept for this tab").isNotNull();
        return saved.toString().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void firstLoginReplacesTheOneTimePinThenLogsOut() throws Exception {
        Hmi.createUser(box, "ana", "Ana Ruiz", "supervisor", "24681357");
        openHmi();
        JsonNode before = browser.state();
        assertThat(before.path("session").isNull()).isTrue();
        assertThat(before.path("readOnly").asBoolean()).as("read-only without a login").isTrue();
        assertThat(before.path("chrome").path("user").path("name").asText()).isEqualTo("Iniciar sesión");

        Hmi.typeLogin(browser, "ana", "24681357");
        E2e.waitFor("the must-change-PIN step", Duration.ofSeconds(10),
                () -> "newPin".equals(browser.state().path("login").path("step").asText()));
        JsonNode change = browser.state();
        assertThat(change.path("login").path("title").asText()).isEqualTo("Primer acceso: elija su PIN personal");
        assertThat(change.path("session").path("mustChangePin").asBoolean()).isTrue();
        assertThat(change.path("readOnly").asBoolean()).as("a one-time PIN allows nothing").isTrue();
        browser.screenshot("login-must-change-pin");

        Hmi.type(browser, "login:key", "97531864");
        browser.tap("login:field:repeat");
        Hmi.type(browser, "login:key", "97531864");
        browser.tap("login:submit");
        E2e.waitFor("Ana logged in with her own PIN", Duration.ofSeconds(10), () -> {
            JsonNode s = browser.state();
            return "overview".equals(s.path("screen").asText()) && !s.path("session").path("mustChangePin").asBoolean(true);
        });
        JsonNode in = browser.state();
        assertThat(in.path("chrome").path("user").path("name").asText()).isEqualTo("Ana Ruiz");
        assertThat(in.path("chrome").path("user").path("detail").asText()).isEqualTo("supervisor");
        assertThat(in.path("readOnly").asBoolean()).isFalse();
        browser.screenshot("logged-in");
        String token = sessionToken();
        assertThat(box.http.get("/api/session", token).json().path("user").asText()).isEqualTo("ana");
        assertThat(box.http.post("/api/session", "{\"user\":\"ana\",\"pin\":\"97531864\"}", null).status())
                .as("the new PIN is the one the box keeps").isEqualTo(200);

        browser.tap("user");
        E2e.waitFor("the logout confirmation", Duration.ofSeconds(2),
                () -> "logout".equals(browser.state().path("confirm").path("kind").asText()));
        assertThat(browser.state().path("confirm").path("text").asText()).isEqualTo("¿Cerrar la sesión de Ana Ruiz?");
        browser.tap("confirm:yes");
        E2e.waitFor("logged out", Duration.ofSeconds(5), () -> browser.state().path("session").isNull());
        assertThat(browser.state().path("chrome").path("user").path("detail").asText()).isEqualTo("Sesión cerrada");
        assertThat(browser.state().path("readOnly").asBoolean()).isTrue();
        E2e.waitFor("the box has ended the session", Duration.ofSeconds(5),
                () -> box.http.get("/api/session", token).status() == 401);
        browser.screenshot("logged-out");
    }

    @Test
    void aWrongPinIsRefusedAndSaysSo() throws Exception {
        Hmi.createActiveUser(box, "luis", "Luis Gómez", "operator", "86420975");
        openHmi();
        Hmi.typeLogin(browser, "luis", "11223344");
        E2e.waitFor("the refusal", Duration.ofSeconds(10),
                () -> "login.pin".equals(browser.state().path("login").path("message").path("key").asText()));
        JsonNode state = browser.state();
        assertThat(state.path("screen").asText()).isEqualTo("login");
        assertThat(state.path("login").path("message").path("text").asText()).isEqualTo("Usuario o PIN incorrecto.");
        assertThat(state.path("session").isNull()).isTrue();
        assertThat(state.path("login").path("fields").get(1).path("value").asText()).as("the PIN is cleared").isEmpty();
        browser.screenshot("login-wrong-pin");

        // The right PIN then works, typed again on the pad.
        Hmi.type(browser, "login:key", "86420975");
        browser.tap("login:submit");
        E2e.waitFor("luis logged in", Duration.ofSeconds(10),
                () -> "luis".equals(browser.state().path("session").path("user").asText()));
        assertThat(browser.state().path("chrome").path("user").path("detail").asText()).isEqualTo("operador");
    }

    @Test
    void repeatedFailuresLockTheUserAndTheScreenSaysSo() throws Exception {
        Hmi.createActiveUser(box, "marta", "Marta Díaz", "operator", "75319864");
        // Five wrong PINs (the box's default limit): refused, the last one with the lockout itself.
        for (int i = 0; i < 5; i++) {
            assertThat(box.http.post("/api/session", "{\"user\":\"marta\",\"pin\":\"00000001\"}", null).status())
                    .isIn(401, 429);
        }
        openHmi();
        Hmi.typeLogin(browser, "marta", "75319864");
        E2e.waitFor("the lockout message", Duration.ofSeconds(10),
                () -> "login.locked".equals(browser.state().path("login").path("message").path("key").asText()));
        assertThat(browser.state().path("login").path("message").path("text").asText())
                .startsWith("Usuario bloqueado por demasiados intentos fallidos");
        assertThat(browser.state().path("session").isNull()).isTrue();
        browser.screenshot("login-locked");
        browser.tap("login:cancel");
    }

    @Test
    void aSessionTheBoxHasEndedSendsTheNextActToTheLoginScreen() throws Exception {
        Hmi.createActiveUser(box, "pablo", "Pablo Sanz", "operator", "64208531");
        openHmi();
        Hmi.login(browser, "pablo", "64208531");
        // The box ends the session (as its inactivity logout does); the panel learns it at its next act.
        assertThat(box.http.delete("/api/session", sessionToken()).status()).isEqualTo(204);
        E2e.waitFor("the fv1 zone drawn", Duration.ofSeconds(15),
                () -> !browser.target("zone:fv1").isMissingNode() && "live".equals(browser.state().path("feed").asText()));
        browser.tap("zone:fv1");
        Hmi.type(browser, "key", "18");
        browser.tap("key:send");
        E2e.waitFor("back on the login screen", Duration.ofSeconds(10),
                () -> "login".equals(browser.state().path("screen").asText()));
        JsonNode state = browser.state();
        assertThat(state.path("login").path("message").path("key").asText()).isEqualTo("login.expired");
        assertThat(state.path("session").isNull()).isTrue();
        assertThat(state.path("chrome").path("user").path("detail").asText()).isEqualTo("Sesión caducada");
        assertThat(state.path("login").path("fields").get(0).path("value").asText()).as("the name offered again").isEqualTo("pablo");
        assertThat(state.path("login").path("keyboard").asText()).as("straight to the PIN").isEqualTo("pin");
        browser.screenshot("login-session-expired");
        browser.tap("login:cancel");
    }
}
