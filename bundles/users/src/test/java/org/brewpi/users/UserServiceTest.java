package org.brewpi.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Role;
import org.brewpi.api.security.SecurityRefusal;
import org.brewpi.api.security.Session;
import org.brewpi.api.security.Signature;
import org.brewpi.api.security.TokenInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserServiceTest {

    @TempDir
    Path dir;
    Fixture f;

    @BeforeEach
    void open() throws Exception {
        f = new Fixture(dir);
    }

    private static String code(Runnable r) {
        try {
            r.run();
        } catch (SecurityRefusal e) {
            return e.code();
        }
        return null;
    }

    @Test
    void firstStartCreatesAnAdminWhoseOneTimePasswordMustBeChanged() throws Exception {
        Session first = f.users.login("admin", Fixture.FIRST_PIN, "hmi");
        assertThat(first.principal().role()).isEqualTo(Role.ADMIN);
        assertThat(first.principal().mustChangePin()).isTrue();
        // With the one-time password the administrator may do nothing but change it.
        assertThat(f.users.check("admin", Right.MANAGE_USERS).allowed()).isFalse();
        assertThat(f.users.check("admin", Right.OPERATE).reason()).contains("must change");
        assertThat(code(() -> f.users.users(first.principal()))).isEqualTo("forbidden");
        assertThat(code(() -> f.users.changePin("admin", Fixture.FIRST_PIN, Fixture.FIRST_PIN, "hmi"))).isEqualTo("bad_request");
        assertThat(code(() -> f.users.changePin("admin", Fixture.FIRST_PIN, "1111111", "hmi"))).isEqualTo("bad_request");

        f.users.changePin("admin", Fixture.FIRST_PIN, "864213", "hmi");
        assertThat(code(() -> f.users.login("admin", Fixture.FIRST_PIN, "hmi"))).isEqualTo("bad_credentials");
        Principal admin = f.users.login("admin", "864213", "hmi").principal();
        assertThat(admin.mustChangePin()).isFalse();
        assertThat(f.users.users(admin)).singleElement().satisfies(u -> {
            assertThat(u.user()).isEqualTo("admin");
            assertThat(u.mustChangePin()).isFalse();
        });

        // A restart neither creates another admin nor prints another password.
        long creations = f.actions().stream().filter("user.create"::equals).count();
        f.users.close();
        UserService again = f.open(Fixture.BOOTSTRAP);
        assertThat(f.actions().stream().filter("user.create"::equals).count()).isEqualTo(creations).isEqualTo(1);
        assertThat(again.login("admin", "864213", "hmi").principal().mustChangePin()).isFalse();
        assertThat(f.audit.verify().ok()).isTrue();
    }

    @Test
    void pinsAreStoredAsSaltedPbkdf2Hashes() throws Exception {
        try (UserStore store = new UserStore(dir.resolve("other"))) {
            PinHash hasher = new PinHash(new java.security.SecureRandom(), 1_000);
            String a = hasher.hash("246810");
            String b = hasher.hash("246810");
            assertThat(a).startsWith("$pbkdf2-sha256$1000$").isNotEqualTo(b);
            assertThat(PinHash.verify("246810", a)).isTrue();
            assertThat(PinHash.verify("246811", a)).isFalse();
            assertThat(PinHash.verify("246810", "$pbkdf2-sha256$10$AAAA$AAAA")).isFalse();
            assertThat(PinHash.verify("246810", "plain")).isFalse();
            assertThat(store.noUsers()).isTrue();
        }
        f.admin("864213");
        String stored = f.users.users(f.users.login("admin", "864213", "hmi").principal()).get(0).toString();
        assertThat(stored).doesNotContain("864213");
    }

    @Test
    void fiveFailuresInTenMinutesLockTheUserForFiveMinutes() {
        f.admin("864213");
        for (int i = 0; i < 4; i++) {
            assertThat(code(() -> f.users.login("admin", "000000", "hmi"))).isEqualTo("bad_credentials");
            f.clock.advanceMinutes(1);
        }
        assertThat(code(() -> f.users.login("admin", "000000", "hmi"))).isEqualTo("locked");
        // Locked: even the right PIN is refused, and that refusal is audited too.
        assertThat(code(() -> f.users.login("admin", "864213", "hmi"))).isEqualTo("locked");
        f.clock.advanceMinutes(4.9);
        assertThat(code(() -> f.users.login("admin", "864213", "hmi"))).isEqualTo("locked");
        f.clock.advanceMinutes(0.2);
        assertThat(f.users.login("admin", "864213", "hmi").principal().user()).isEqualTo("admin");

        assertThat(f.actions()).contains("user.locked");
        assertThat(f.entries().stream().filter(e -> e.action().equals("session.login_failed")).map(AuditEntry::reason))
                .containsExactly("wrong PIN", "wrong PIN", "wrong PIN", "wrong PIN", "wrong PIN", "locked", "locked");
        assertThat(f.audit.verify().ok()).isTrue();
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowDoNotLock() {
        f.admin("864213");
        for (int i = 0; i < 8; i++) {
            assertThat(code(() -> f.users.login("admin", "000000", "hmi"))).isEqualTo("bad_credentials");
            f.clock.advanceMinutes(3);
        }
        assertThat(f.users.login("admin", "864213", "hmi")).isNotNull();
    }

    @Test
    void unknownUsersGetTheSameAnswerAndAreLockedAlike() {
        assertThat(code(() -> f.users.login("nobody", "123456", "hmi"))).isEqualTo("bad_credentials");
        assertThat(code(() -> f.users.login("' OR 1=1 --", "123456", "hmi"))).isEqualTo("bad_credentials");
        assertThat(code(() -> f.users.login(null, null, "hmi"))).isEqualTo("bad_credentials");
        for (int i = 0; i < 3; i++) {
            assertThat(code(() -> f.users.login("nobody", "123456", "hmi"))).isEqualTo("bad_credentials");
        }
        assertThat(code(() -> f.users.login("nobody", "123456", "hmi"))).isEqualTo("locked");
    }

    @Test
    void inactivityLogsOutAndActivityKeepsTheSessionAlive() {
        Principal admin = f.admin("864213");
        Session s = f.users.login("admin", "864213", "hmi");
        String header = "Bearer " + s.token();
        assertThat(s.idleTimeoutMs()).isEqualTo(15 * 60_000L);
        f.clock.advanceMinutes(14);
        assertThat(f.users.authenticate(header)).map(Principal::user).contains("admin");
        f.clock.advanceMinutes(14); // 28 min after login, 14 after the last request
        assertThat(f.users.authenticate(header)).isPresent();
        f.clock.advanceMinutes(15.1);
        assertThat(f.users.authenticate(header)).isEmpty();
        assertThat(f.entries()).filteredOn(e -> e.action().equals("session.timeout"))
                .extracting(AuditEntry::actor, AuditEntry::reason).contains(org.assertj.core.groups.Tuple.tuple("admin", "inactivity"));
        assertThat(admin).isNotNull();
    }

    @Test
    void logoutEndsTheSessionAtOnceAndIsAudited() {
        f.admin("864213");
        Session s = f.users.login("admin", "864213", "hmi");
        assertThat(f.users.authenticate("Bearer " + s.token())).isPresent();
        f.users.logout(s.token());
        assertThat(f.users.authenticate("Bearer " + s.token())).isEmpty();
        assertThat(f.actions()).contains("session.login", "session.logout");
        assertThat(f.users.authenticate(null)).isEmpty();
        assertThat(f.users.authenticate("Basic abc")).isEmpty();
        assertThat(f.users.authenticate("Bearer " + "x".repeat(5000))).isEmpty();
    }

    @Test
    void disablingAUserEndsTheirSessionsAtOnceAndIsAudited() {
        Principal admin = f.admin("864213");
        f.user(admin, "ana", Role.OPERATOR, "246801");
        Session s = f.users.login("ana", "246801", "hmi");
        assertThat(f.users.authenticate("Bearer " + s.token())).isPresent();

        f.users.updateUser(admin, "ana", null, false);

        assertThat(f.users.authenticate("Bearer " + s.token())).isEmpty();
        assertThat(f.entries()).filteredOn(e -> e.action().equals("session.end"))
                .extracting(e -> e.actor() + " " + e.reason()).contains("ana user disabled");
        assertThat(code(() -> f.users.login("ana", "246801", "hmi"))).isEqualTo("bad_credentials");
    }

    @Test
    void apiTokensAreScopedToARoleAndRevocationTakesEffectAtOnce() {
        Principal admin = f.admin("864213");
        TokenInfo created = f.users.createToken(admin, "line-sync", Role.OPERATOR);
        assertThat(created.token()).hasSizeGreaterThan(40);
        String header = "Bearer " + created.token();

        Optional<Principal> p = f.users.authenticate(header);
        assertThat(p).map(Principal::user).contains("token:line-sync");
        assertThat(p).map(Principal::role).contains(Role.OPERATOR);
        assertThat(f.users.check("token:line-sync", Right.OPERATE).allowed()).isTrue();
        assertThat(f.users.check("token:line-sync", Right.RESET_FAILSAFE).allowed()).isFalse();
        // Listed without its secret; only a hash is stored.
        assertThat(f.users.tokens(admin)).singleElement().satisfies(t -> assertThat(t.token()).isNull());

        f.users.revokeToken(admin, "line-sync");
        assertThat(f.users.authenticate(header)).isEmpty();
        assertThat(f.users.check("token:line-sync", Right.OPERATE).allowed()).isFalse();
        assertThat(f.users.tokens(admin).get(0).revokedAt()).isPositive();
        assertThat(f.actions()).contains("token.create", "token.revoke");
        assertThat(code(() -> f.users.createToken(admin, "line-sync", Role.OPERATOR))).isEqualTo("conflict");
    }

    @Test
    void onlyAdministratorsManageUsersAndTokensAndRefusalsAreAudited() {
        Principal admin = f.admin("864213");
        Principal eng = f.user(admin, "eng", Role.ENGINEER, "505050");
        assertThat(code(() -> f.users.createToken(eng, "x", Role.ADMIN))).isEqualTo("forbidden");
        assertThat(code(() -> f.users.createUser(eng, "mallory", "M", Role.ADMIN, "123456"))).isEqualTo("forbidden");
        assertThat(f.entries()).filteredOn(e -> e.action().equals("access.refused")).hasSize(2)
                .allSatisfy(e -> assertThat(e.actor()).isEqualTo("eng"));
        assertThat(code(() -> f.users.createUser(admin, "api", "Reserved", Role.ADMIN, "123456"))).isEqualTo("bad_request");
        assertThat(code(() -> f.users.createUser(admin, "eng", "Again", Role.ADMIN, "123456"))).isEqualTo("conflict");
        assertThat(code(() -> f.users.createUser(admin, "x y", "Bad", Role.ADMIN, "123456"))).isEqualTo("bad_request");
        assertThat(code(() -> f.users.createUser(admin, "shorty", "Short PIN", Role.OPERATOR, "12"))).isEqualTo("bad_request");
        assertThat(code(() -> f.users.updateUser(admin, "admin", Role.OPERATOR, null))).isEqualTo("bad_request");

        // Disabling a user ends their sessions and stops their rights at once.
        Session s = f.users.login("eng", "505050", "hmi");
        f.users.updateUser(admin, "eng", null, false);
        assertThat(f.users.authenticate("Bearer " + s.token())).isEmpty();
        assertThat(f.users.check("eng", Right.CONFIGURE).allowed()).isFalse();
        assertThat(code(() -> f.users.login("eng", "505050", "hmi"))).isEqualTo("bad_credentials");
        assertThat(f.actions()).contains("user.create", "user.update");
    }

    @Test
    void theBootstrapTokenActsAsAnAdministrator() throws Exception {
        assertThat(f.users.authenticate("Bearer " + Fixture.BOOTSTRAP)).hasValueSatisfying(p -> {
            assertThat(p.user()).isEqualTo("api");
            assertThat(p.role()).isEqualTo(Role.ADMIN);
            assertThat(p.entryPoint()).isEqualTo("rest");
        });
        assertThat(f.users.check("api", Right.OPERATE).allowed()).isTrue();
        assertThat(f.users.authenticate("Bearer wrong")).isEmpty();

        f.users.modified(Fixture.config(""));
        assertThat(f.users.authenticate("Bearer " + Fixture.BOOTSTRAP)).isEmpty();
        assertThat(f.users.check("api", Right.OPERATE).allowed()).isFalse();
    }

    @Test
    void aSignatureNeedsPinAndReasonAndRecordsNameTimeAndMeaning() {
        Principal admin = f.admin("864213");
        f.user(admin, "sara", Role.SUPERVISOR, "727272");
        int before = f.entries().size();
        assertThat(code(() -> f.users.sign("sara", null, "interlock bypass", "probe replaced", "fv1.interlock", "hmi")))
                .isEqualTo("bad_request");
        assertThat(code(() -> f.users.sign("sara", "", "interlock bypass", "probe replaced", "fv1.interlock", "hmi")))
                .isEqualTo("bad_request");
        assertThat(code(() -> f.users.sign("sara", "727272", "interlock bypass", null, "fv1.interlock", "hmi")))
                .isEqualTo("bad_request");
        assertThat(code(() -> f.users.sign("sara", "727272", "interlock bypass", "  ", "fv1.interlock", "hmi")))
                .isEqualTo("bad_request");
        assertThat(f.entries()).hasSize(before); // nothing was signed
        assertThat(code(() -> f.users.sign("sara", "111222", "interlock bypass", "probe replaced", "fv1.interlock", "hmi")))
                .isEqualTo("bad_credentials");
        assertThat(f.actions()).endsWith("signature.failed");

        Signature s = f.users.sign("sara", "727272", "interlock bypass", "probe replaced", "fv1.interlock", "hmi");
        assertThat(s.printedName()).isEqualTo("SARA Tester");
        assertThat(s.meaning()).isEqualTo("interlock bypass");
        AuditEntry recorded = f.entries().get(f.entries().size() - 1);
        assertThat(s.time()).isEqualTo(recorded.time()).isPositive(); // the trail's UTC time is the signature's
        assertThat(recorded.seq()).isEqualTo(s.auditSeq());
        assertThat(recorded.action()).isEqualTo("signature");
        assertThat(recorded.actor()).isEqualTo("sara");
        assertThat(recorded.newValue()).isEqualTo("SARA Tester");
        assertThat(recorded.signature()).isEqualTo("interlock bypass");
        assertThat(recorded.reason()).isEqualTo("probe replaced");
        assertThat(recorded.target()).isEqualTo("fv1.interlock");
        assertThat(f.audit.verify().ok()).isTrue();
    }

    @Test
    void wrongSignaturePinsCountTowardsTheLockout() {
        Principal admin = f.admin("864213");
        f.user(admin, "sara", Role.SUPERVISOR, "727272");
        for (int i = 0; i < 4; i++) {
            assertThat(code(() -> f.users.sign("sara", "000000", "approval", "r", "recipe:ipa", "hmi"))).isEqualTo("bad_credentials");
        }
        assertThat(code(() -> f.users.sign("sara", "000000", "approval", "r", "recipe:ipa", "hmi"))).isEqualTo("locked");
        assertThatThrownBy(() -> f.users.login("sara", "727272", "hmi")).isInstanceOf(SecurityRefusal.class);
    }
}
