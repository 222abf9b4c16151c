package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The batches screen against the box's real recipe and batch service, in Chromium at 800x480: QA approves the
 * demo recipe with the signature dialog (version and hash shown, a wrong PIN refused in words), an operator starts
 * a batch of it and completes it, QA opens the record and releases it by signature (with a deviation, as the boil
 * CCP cannot be met in a test of a few seconds), and the record shows the state history and both signatures.
 * Each person sees only the buttons of what their role may do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchesScreenTest {

    static final String RECIPE = "pale-ale";
    static final String QA_PIN = "50719364";
    static final String OP_PIN = "61827305";
    static final String SUP_PIN = "72938416";

    private Box box;
    private Browser browser;

    @BeforeAll
    void startBoxAndBrowser() throws Exception {
        E2e.requireBrowser();
        box = new Box("batches").start();
        box.waitForZonesOnline(PlantOverviewTest.DEMO_ZONES, Duration.ofSeconds(30));
        Http.Answer recipes = box.http.get("/api/recipes");
        if (recipes.status() != 200) {
            fail("GET /api/recipes answered %d: this test needs the batches bundle in the box: %s", recipes.status(),
                    recipes.body());
        }
        Hmi.createActiveUser(box, "qa", "Quintina Alvarez", "quality", QA_PIN);
        Hmi.createActiveUser(box, "op", "Oscar Perez", "operator", OP_PIN);
        Hmi.createActiveUser(box, "sup", "Silvia Ugarte", "supervisor", SUP_PIN);
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

    private JsonNode restRecipe() throws Exception {
        Http.Answer answer = box.http.get("/api/recipes/" + RECIPE);
        assertThat(answer.status()).as("GET /api/recipes/%s: %s", RECIPE, answer.body()).isEqualTo(200);
        return answer.json();
    }

    private JsonNode restBatch(String lot) throws Exception {
        Http.Answer answer = box.http.get("/api/batches/" + lot);
        assertThat(answer.status()).as("GET /api/batches/%s: %s", lot, answer.body()).isEqualTo(200);
        return answer.json();
    }

    /** The ids of the touch targets drawn now that start with {@code prefix}. */
    private List<String> targets(String prefix) {
        List<String> ids = new ArrayList<>();
        JsonNode all = new ObjectMapper().valueToTree(browser.js("return window.__hmi.targets()"));
        all.forEach(t -> {
            String id = t.path("id").asText();
            if (id.startsWith(prefix)) {
                ids.add(id);
            }
        });
        return ids;
    }

    private void signWith(String reason, String pin) throws Exception {
        browser.tap("sig:field:reason");
        Hmi.type(browser, "sig:key", reason);
        browser.tap("sig:field:pin");
        Hmi.type(browser, "sig:key", pin);
        browser.tap("sig:sign");
    }

    private void openRecipes() throws Exception {
        browser.tap("nav:batches");
        browser.tap("btab:recipes");
        E2e.waitFor("the recipes listed", Duration.ofSeconds(10), () -> {
            for (JsonNode r : browser.state().path("batches").path("rows")) {
                if (RECIPE.equals(r.path("id").asText())) {
                    return true;
                }
            }
            return false;
        });
    }

    /** A fresh page with nobody logged in (a session of an earlier test lives on in the tab's storage). */
    private void openHmi() throws Exception {
        browser.open(box.baseUrl() + "/hmi/");
        E2e.waitFor("the first paint", Duration.ofSeconds(10), () -> browser.state().has("screen"));
        Hmi.logout(browser);
    }

    @Test
    @Order(1)
    void qaApprovesOperatorStartsAndCompletesQaReleasesAndTheRecordShowsTheSignatures() throws Exception {
        JsonNode recipe = restRecipe();
        assertThat(recipe.path("status").asText()).as("the demo recipe ships as a draft").isEqualTo("DRAFT");
        String sha = recipe.path("sha256").asText();
        int version = recipe.path("version").asInt();
        openHmi();

        // QA: the draft offers APPROVE only; the dialog names the version and the hash.
        Hmi.login(browser, "qa", QA_PIN);
        openRecipes();
        assertThat(targets("bstart:")).as("QA does not start batches").isEmpty();
        browser.screenshot("batches-recipes-qa");
        browser.tap("rapprove:" + RECIPE);
        E2e.waitFor("the approval signature dialog", Duration.ofSeconds(3),
                () -> "recipe approval".equals(browser.state().path("signature").path("meaning").asText()));
        JsonNode dialog = browser.state().path("signature");
        assertThat(dialog.path("target").asText()).isEqualTo("recipe:" + RECIPE + "@" + version + "#" + sha);
        assertThat(dialog.path("targetText").asText()).contains("versión " + version);
        assertThat(dialog.path("detailText").asText()).contains(sha);
        assertThat(dialog.path("signerText").asText()).isEqualTo("Firmante: Quintina Alvarez (calidad)");
        // A wrong PIN is refused in words, nothing approved.
        signWith("receta revisada", "11111111");
        E2e.waitFor("the wrong PIN refused in the dialog", Duration.ofSeconds(10),
                () -> "PIN incorrecto: no se ha firmado.".equals(browser.state().path("signature").path("error").path("text").asText()));
        assertThat(restRecipe().path("status").asText()).isEqualTo("DRAFT");
        browser.screenshot("recipe-approval-refused");
        browser.tap("sig:field:pin");
        Hmi.type(browser, "sig:key", QA_PIN);
        browser.tap("sig:sign");
        E2e.waitFor("the recipe approved on the box and on screen", Duration.ofSeconds(10), () -> {
            if (!"APPROVED".equals(restRecipe().path("status").asText())) {
                return false;
            }
            for (JsonNode r : browser.state().path("batches").path("rows")) {
                if (RECIPE.equals(r.path("id").asText()) && "APPROVED".equals(r.path("status").asText())) {
                    return true;
                }
            }
            return false;
        });
        JsonNode approval = restRecipe().path("approval");
        assertThat(approval.path("printedName").asText()).isEqualTo("Quintina Alvarez");
        assertThat(approval.path("meaning").asText()).isEqualTo("recipe approval");
        assertThat(approval.path("reason").asText()).isEqualTo("receta revisada");
        browser.screenshot("batches-recipe-approved");
        Hmi.logout(browser);

        // Operator: starts a batch of the approved recipe, then completes it.
        Hmi.login(browser, "op", OP_PIN);
        openRecipes();
        assertThat(targets("rapprove:")).as("an operator does not approve recipes").isEmpty();
        browser.tap("bstart:" + RECIPE);
        assertThat(browser.state().path("confirm").path("text").asText()).isEqualTo("¿Iniciar un lote de Pale Ale de la casa v" + version + "?");
        browser.screenshot("batch-start-confirm");
        browser.tap("confirm:yes");
        E2e.waitFor("a running batch on the box and first on the screen", Duration.ofSeconds(10), () ->
                "RUNNING".equals(browser.state().path("batches").path("active").path("state").asText()));
        String lot = browser.state().path("batches").path("active").path("lot").asText();
        assertThat(restBatch(lot).path("state").asText()).isEqualTo("RUNNING");
        JsonNode active = browser.state().path("batches").path("active");
        assertThat(active.path("recipeText").asText()).isEqualTo("Pale Ale de la casa v" + version);
        assertThat(active.path("zones").asText()).contains("kettle");
        assertThat(targets("b").stream().filter(id -> id.endsWith(":" + lot)).toList())
                .as("an operator completes; holding and aborting are a supervisor's")
                .containsExactlyInAnyOrder("brec:" + lot, "bcomplete:" + lot);
        browser.screenshot("batches-running");
        browser.tap("bcomplete:" + lot);
        browser.tap("confirm:yes");
        E2e.waitFor("the batch complete", Duration.ofSeconds(10),
                () -> "COMPLETE".equals(restBatch(lot).path("state").asText())
                        && "done".equals(browser.state().path("batches").path("outcome").path("phase").asText()));
        browser.screenshot("batches-complete");
        Hmi.logout(browser);

        // QA: the record, then the release by signature, with a deviation when a CCP is not met or has no data.
        Hmi.login(browser, "qa", QA_PIN);
        browser.tap("nav:batches");
        browser.tap("btab:batches");
        browser.tap("brec:" + lot);
        E2e.waitFor("the batch record", Duration.ofSeconds(10),
                () -> browser.state().path("batch").path("available").asBoolean(false));
        JsonNode record = restBatch(lot);
        boolean allMet = true;
        for (JsonNode c : record.path("ccp")) {
            allMet &= "MET".equals(c.path("status").asText());
        }
        assertThat(record.path("ccp")).as("the demo recipe has CCPs, evaluated at completion").isNotEmpty();
        JsonNode shown = browser.state().path("batch");
        assertThat(shown.path("ccp")).hasSameSizeAs(record.path("ccp"));
        for (int i = 0; i < record.path("ccp").size(); i++) {
            assertThat(shown.path("ccp").get(i).path("status").asText()).isEqualTo(record.path("ccp").get(i).path("status").asText());
        }
        browser.screenshot("batch-record-ccp");
        browser.tap("brelease:" + lot);
        E2e.waitFor("the release signature dialog", Duration.ofSeconds(3),
                () -> "batch release".equals(browser.state().path("signature").path("meaning").asText()));
        assertThat(browser.state().path("signature").path("target").asText()).isEqualTo("batch:" + lot);
        browser.tap("sig:field:reason");
        Hmi.type(browser, "sig:key", "lote revisado");
        if (!allMet) {
            assertThat(browser.state().path("signature").path("extra").path("key").asText()).isEqualTo("deviation");
            browser.tap("sig:field:extra");
            Hmi.type(browser, "sig:key", "prueba corta, hervido comprobado a mano");
        } else {
            assertThat(browser.state().path("signature").path("extra").isNull()).isTrue();
        }
        browser.tap("sig:field:pin");
        Hmi.type(browser, "sig:key", QA_PIN);
        browser.screenshot("batch-release-signature");
        browser.tap("sig:sign");
        E2e.waitFor("the batch released", Duration.ofSeconds(10),
                () -> "RELEASED".equals(restBatch(lot).path("state").asText())
                        && "RELEASED".equals(browser.state().path("batch").path("state").asText()));
        JsonNode released = restBatch(lot);
        assertThat(released.path("release").path("printedName").asText()).isEqualTo("Quintina Alvarez");
        if (!allMet) {
            assertThat(released.path("deviation").asText()).isEqualTo("prueba corta, hervido comprobado a mano");
            assertThat(browser.state().path("batch").path("deviation").asText()).contains("hervido comprobado a mano");
        }

        // The record: who did what, when and why, and the two signatures with name, time and meaning.
        browser.tap("rtab:history");
        JsonNode history = browser.state().path("batch").path("items");
        List<String> events = new ArrayList<>();
        history.forEach(e -> events.add(e.path("event").asText()));
        assertThat(events).containsExactly("start", "complete", "release");
        assertThat(history.get(0).path("line").asText()).contains("Oscar Perez (op)");
        assertThat(history.get(2).path("signed").asBoolean()).isTrue();
        browser.screenshot("batch-record-history");
        browser.tap("rtab:signatures");
        JsonNode signatures = browser.state().path("batch").path("items");
        assertThat(signatures).hasSize(2);
        assertThat(signatures.get(0).path("meaning").asText()).isEqualTo("recipe approval");
        assertThat(signatures.get(1).path("meaning").asText()).isEqualTo("batch release");
        for (JsonNode s : signatures) {
            assertThat(s.path("name").asText()).isEqualTo("Quintina Alvarez");
            assertThat(s.path("text").asText()).contains("(qa, calidad)").contains("significado «" + s.path("meaning").asText() + "»");
        }
        assertThat(signatures.get(1).path("reason").asText()).startsWith("Motivo: lote revisado");
        browser.screenshot("batch-record-signatures");
        assertThat(targets("brelease:")).as("a released batch is final").isEmpty();

        // The same record in English.
        browser.tap("lang");
        E2e.waitFor("English", Duration.ofSeconds(3),
                () -> browser.state().path("batch").path("labels").path("signatures").asText().equals("SIGNATURES"));
        assertThat(browser.state().path("batch").path("items").get(1).path("text").asText()).contains("meaning \"batch release\"");
        browser.screenshot("batch-record-signatures-en");
        browser.tap("rtab:ccp");
        browser.screenshot("batch-record-ccp-en");
        browser.tap("lang");
    }

    /** The recipe approved through the API by QA's session (already approved by the other test is fine). */
    private void approvedThroughTheApi() throws Exception {
        if ("APPROVED".equals(restRecipe().path("status").asText())) {
            return;
        }
        Http.Answer login = box.http.post("/api/session", "{\"user\":\"qa\",\"pin\":\"" + QA_PIN + "\"}", null);
        assertThat(login.status()).as("QA login: %s", login.body()).isEqualTo(200);
        Http.Answer approved = box.http.post("/api/recipes/" + RECIPE + "/approve",
                "{\"pin\":\"" + QA_PIN + "\",\"reason\":\"para la prueba\"}", login.json().path("token").asText());
        assertThat(approved.status()).as("approval: %s", approved.body()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aSupervisorHoldsResumesAndAbortsWithAReasonAndARefusalIsShownInWords() throws Exception {
        approvedThroughTheApi();
        openHmi();
        Hmi.login(browser, "sup", SUP_PIN);
        openRecipes();
        browser.tap("bstart:" + RECIPE);
        browser.tap("confirm:yes");
        E2e.waitFor("the supervisor's batch running", Duration.ofSeconds(10), () ->
                "RUNNING".equals(browser.state().path("batches").path("active").path("state").asText()));
        String lot = browser.state().path("batches").path("active").path("lot").asText();
        assertThat(targets("b").stream().filter(id -> id.endsWith(":" + lot)).toList())
                .containsExactlyInAnyOrder("brec:" + lot, "bcomplete:" + lot, "bhold:" + lot, "babort:" + lot);

        // A second batch on the same zones is refused by the box: said in words, with its reason.
        browser.tap("btab:recipes");
        browser.tap("bstart:" + RECIPE);
        browser.tap("confirm:yes");
        E2e.waitFor("the refusal shown", Duration.ofSeconds(10),
                () -> "refused".equals(browser.state().path("batches").path("outcome").path("phase").asText()));
        JsonNode outcome = browser.state().path("batches").path("outcome");
        assertThat(outcome.path("text").asText()).isEqualTo("Rechazado (no es posible en su estado actual): iniciar lote de " + RECIPE);
        assertThat(outcome.path("detail").asText()).contains("in use by batch " + lot);
        browser.screenshot("batch-start-refused");

        // Hold: a reason, no PIN.
        browser.tap("btab:batches");
        browser.tap("bhold:" + lot);
        E2e.waitFor("the hold dialog", Duration.ofSeconds(3),
                () -> "batch hold".equals(browser.state().path("signature").path("meaning").asText()));
        assertThat(browser.state().path("signature").path("pinRequired").asBoolean()).isFalse();
        browser.tap("sig:field:reason");
        Hmi.type(browser, "sig:key", "falta malta");
        browser.screenshot("batch-hold-reason");
        browser.tap("sig:sign");
        E2e.waitFor("the batch held", Duration.ofSeconds(10),
                () -> "HELD".equals(browser.state().path("batches").path("active").path("state").asText()));
        assertThat(restBatch(lot).path("state").asText()).isEqualTo("HELD");
        assertThat(targets("b").stream().filter(id -> id.endsWith(":" + lot)).toList())
                .as("a held batch is resumed or aborted, not completed")
                .containsExactlyInAnyOrder("brec:" + lot, "bresume:" + lot, "babort:" + lot);
        browser.screenshot("batches-held");

        browser.tap("bresume:" + lot);
        Hmi.type(browser, "sig:key", "malta recibida");
        browser.tap("sig:sign");
        E2e.waitFor("the batch running again", Duration.ofSeconds(10),
                () -> "RUNNING".equals(restBatch(lot).path("state").asText())
                        && "RUNNING".equals(browser.state().path("batches").path("active").path("state").asText()));
        browser.tap("babort:" + lot);
        Hmi.type(browser, "sig:key", "prueba de aborto");
        browser.tap("sig:sign");
        E2e.waitFor("the batch aborted", Duration.ofSeconds(10),
                () -> "ABORTED".equals(restBatch(lot).path("state").asText())
                        && browser.state().path("batches").path("active").isNull());
        JsonNode history = restBatch(lot).path("history");
        List<String> reasons = new ArrayList<>();
        history.forEach(e -> reasons.add(e.path("event").asText() + ":" + e.path("reason").asText()));
        assertThat(reasons).containsSubsequence("hold:falta malta", "resume:malta recibida", "abort:prueba de aborto");
        assertThat(history.get(history.size() - 1).path("printedName").asText()).isEqualTo("Silvia Ugarte");
        browser.screenshot("batches-aborted");
        Hmi.logout(browser);
    }
}
