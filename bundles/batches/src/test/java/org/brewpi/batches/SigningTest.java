package org.brewpi.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.batch.BatchRefusal;
import org.brewpi.api.batch.BatchService;
import org.brewpi.api.batch.Recipe;
import org.brewpi.api.batch.RecipeStatus;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.api.security.SecurityRefusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipe approval is an electronic signature by QA, of one exact content. */
class SigningTest {

    @TempDir
    Path dir;
    Box box;
    Principal qa;

    @BeforeEach
    void open() throws Exception {
        box = new Box(dir);
        qa = box.person("quinn", Role.QUALITY);
        box.recipe("ipa", Box.recipe("ipa", 1, Box.BOIL));
    }

    @AfterEach
    void close() throws Exception {
        box.close();
    }

    private static String code(Throwable t) {
        return t instanceof BatchRefusal b ? b.code() : ((SecurityRefusal) t).code();
    }

    @Test
    void withoutPinOrReasonNothingIsSigned() {
        BatchService s = box.manager;
        assertThatThrownBy(() -> s.approve("ipa", null, qa, null, "reviewed")).satisfies(t -> {
            assertThat(code(t)).isEqualTo("bad_request");
            assertThat(t).hasMessageContaining("'pin' is required");
        });
        assertThatThrownBy(() -> s.approve("ipa", null, qa, Box.PIN, "  ")).satisfies(t -> {
            assertThat(code(t)).isEqualTo("bad_request");
            assertThat(t).hasMessageContaining("'reason' is required");
        });
        assertThatThrownBy(() -> s.approve("ipa", null, qa, "wrong-pin", "reviewed"))
                .satisfies(t -> assertThat(code(t)).isEqualTo("bad_credentials"));
        assertThat(s.recipe("ipa").orElseThrow().status()).isEqualTo(RecipeStatus.DRAFT);
        assertThat(box.audited("recipe:")).extracting(AuditEntry::action).doesNotContain("recipe.approve", "signature");
    }

    @Test
    void withPinAndReasonTheRecordHoldsPrintedNameTimeAndMeaning() {
        box.now.set(Box.T0 + 1234);
        Recipe approved = box.manager.approve("ipa", null, qa, Box.PIN, "HACCP plan reviewed");
        assertThat(approved.status()).isEqualTo(RecipeStatus.APPROVED);
        var sig = approved.approval();
        assertThat(sig.user()).isEqualTo("quinn");
        assertThat(sig.printedName()).isEqualTo("Printed quinn");
        assertThat(sig.role()).isEqualTo(Role.QUALITY);
        assertThat(sig.meaning()).isEqualTo("recipe approval");
        assertThat(sig.reason()).isEqualTo("HACCP plan reviewed");
        assertThat(sig.target()).isEqualTo("recipe:ipa@1#" + approved.sha256());
        assertThat(sig.time()).isPositive();

        // audited twice: the signature itself and the act, both with the meaning
        List<AuditEntry> entries = box.audited("recipe:ipa@1#" + approved.sha256());
        assertThat(entries).extracting(AuditEntry::action).containsExactly("signature", "recipe.approve");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo("quinn");
            assertThat(e.entryPoint()).isEqualTo("hmi");
            assertThat(e.signature()).isEqualTo("recipe approval");
            assertThat(e.reason()).isEqualTo("HACCP plan reviewed");
        });
        assertThat(sig.auditSeq()).isEqualTo(entries.get(0).seq());

        // as read back, and after a restart: the approval is in the store
        box.restart();
        box.manager.rescan();
        Recipe again = box.manager.recipe("ipa").orElseThrow();
        assertThat(again.status()).isEqualTo(RecipeStatus.APPROVED);
        assertThat(again.approval()).isEqualTo(sig);
        assertThatThrownBy(() -> box.manager.approve("ipa", null, qa, Box.PIN, "twice"))
                .satisfies(t -> assertThat(code(t)).isEqualTo("conflict")).hasMessageContaining("already approved");
    }

    @Test
    void aRoleWithoutTheRightIsRefusedAndTheRefusalAudited() {
        for (Role role : List.of(Role.OPERATOR, Role.SUPERVISOR, Role.ENGINEER, Role.ADMIN)) {
            Principal p = box.person("p-" + role.id(), role);
            assertThatThrownBy(() -> box.manager.approve("ipa", null, p, Box.PIN, "I approve")).as(role.id())
                    .satisfies(t -> assertThat(code(t)).isEqualTo("forbidden"))
                    .hasMessageContaining("role " + role.id() + " may not approve recipe");
            List<AuditEntry> refusals = box.audit.entries(0, 0, Long.MAX_VALUE, p.user(), "recipe:ipa", 100);
            assertThat(refusals).extracting(AuditEntry::action).as(role.id()).containsExactly("access.refused");
        }
        assertThat(box.manager.recipe("ipa").orElseThrow().status()).isEqualTo(RecipeStatus.DRAFT);
    }

    @Test
    void anApiTokenCannotSign() {
        Principal admin = box.bootstrap();
        Principal token = new Principal("token:qa-robot", "qa-robot", Role.QUALITY, "rest", false);
        assertThatThrownBy(() -> box.manager.approve("ipa", null, token, Box.PIN, "automated"))
                .satisfies(t -> assertThat(code(t)).isEqualTo("forbidden")).hasMessageContaining("an API token cannot sign");
        assertThat(admin.user()).isEqualTo("api");
    }

    @Test
    void aChangedFileIsADraftAgainAndAnApprovalOfWhatWasSeenOnly() throws Exception {
        Recipe first = box.manager.recipe("ipa").orElseThrow();
        box.manager.approve("ipa", first.sha256(), qa, Box.PIN, "reviewed");
        box.recipe("ipa", Box.recipe("ipa", 1, Box.BOIL).replace("100.0", "99.0"));
        Recipe changed = box.manager.recipe("ipa").orElseThrow();
        assertThat(changed.status()).as("same version, other content").isEqualTo(RecipeStatus.DRAFT);
        assertThat(changed.approval()).isNull();
        assertThatThrownBy(() -> box.manager.approve("ipa", first.sha256(), qa, Box.PIN, "reviewed the old one"))
                .satisfies(t -> assertThat(code(t)).isEqualTo("conflict")).hasMessageContaining("has changed since");

        // going back to the approved bytes finds the approval again
        box.recipe("ipa", Box.recipe("ipa", 1, Box.BOIL));
        assertThat(box.manager.recipe("ipa").orElseThrow().status()).isEqualTo(RecipeStatus.APPROVED);

        // a refused file cannot be approved: what is on disk is not what is shown
        Files.writeString(box.recipes().resolve("ipa.json"), "{ oops");
        box.manager.rescan();
        Recipe kept = box.manager.recipe("ipa").orElseThrow();
        assertThat(kept.problem()).isNotNull();
        assertThat(box.manager.status()).isEqualTo(org.brewpi.api.health.HealthContributor.Status.DEGRADED);
        assertThat(box.manager.details()).containsEntry("recipeFilesRefused", 1);
    }

    @Test
    void anUnknownRecipeIsNotFound() {
        assertThatThrownBy(() -> box.manager.approve("porter", null, qa, Box.PIN, "x"))
                .satisfies(t -> assertThat(code(t)).isEqualTo("not_found"));
    }
}
