package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/** What several HMI tests do: people on the box, and logging in through the on-screen keyboards. */
final class Hmi {

    private Hmi() {
    }

    /** Creates a user through the REST API with the bootstrap (admin) token; its PIN is a one-time PIN. */
    static void createUser(Box box, String user, String printedName, String role, String oneTimePin) throws Exception {
        Http.Answer created = box.http.post("/api/users", String.format(
                "{\"user\":\"%s\",\"printedName\":\"%s\",\"role\":\"%s\",\"pin\":\"%s\"}", user, printedName, role,
                oneTimePin));
        assertThat(created.status()).as("create %s: %s", user, created.body()).isBetween(200, 201);
    }

    /** A user who has already replaced the one-time PIN (through the API), ready to log in with {@code pin}. */
    static void createActiveUser(Box box, String user, String printedName, String role, String pin) throws Exception {
        String oneTime = "13572468";
        createUser(box, user, printedName, role, oneTime);
        Http.Answer changed = box.http.post("/api/session/pin",
                String.format("{\"user\":\"%s\",\"pin\":\"%s\",\"newPin\":\"%s\"}", user, oneTime, pin), null);
        assertThat(changed.status()).as("PIN change of %s: %s", user, changed.body()).isEqualTo(204);
    }

    /** Taps one key per character on a keyboard whose targets are {@code prefix:<char>}. */
    static void type(Browser browser, String prefix, String text) throws Exception {
        for (char c : text.toCharArray()) {
            browser.tap(prefix + ":" + (c == ' ' ? "space" : String.valueOf(c)));
        }
    }

    /** From any screen: the user button, the user name on the letter keyboard, the PIN on the PIN pad. */
    static void typeLogin(Browser browser, String user, String pin) throws Exception {
        if (!"login".equals(browser.state().path("screen").asText())) {
            browser.tap("user");
        }
        E2e.waitFor("the login screen", Duration.ofSeconds(3),
                () -> "login".equals(browser.state().path("screen").asText()));
        browser.tap("login:field:user");
        type(browser, "login:key", user);
        browser.tap("login:next");
        E2e.waitFor("the PIN pad", Duration.ofSeconds(2),
                () -> "pin".equals(browser.state().path("login").path("keyboard").asText()));
        type(browser, "login:key", pin);
        browser.tap("login:submit");
    }

    /** Logs in and waits until the HMI shows the person as logged in. */
    static void login(Browser browser, String user, String pin) throws Exception {
        typeLogin(browser, user, pin);
        E2e.waitFor(user + " logged in on the HMI", Duration.ofSeconds(10), () -> {
            JsonNode state = browser.state();
            return user.equals(state.path("session").path("user").asText())
                    && !"login".equals(state.path("screen").asText());
        });
    }

    /** Logs out through the user button and its confirmation, if someone is logged in. */
    static void logout(Browser browser) throws Exception {
        if (browser.state().path("session").isNull() || browser.state().path("session").isMissingNode()) {
            return;
        }
        browser.tap("user");
        browser.tap("confirm:yes");
        E2e.waitFor("nobody logged in", Duration.ofSeconds(5), () -> browser.state().path("session").isNull());
    }
}
