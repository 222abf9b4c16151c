package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.brewpi.broker.ZoneCredentials.Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZoneCredentialsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ZoneCredentials credentials = new ZoneCredentials(nanos::get);

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> zone(String zone, String key, String secret) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("zone", zone);
        properties.put(key, secret);
        return properties;
    }

    @Test
    void aClearTextPasswordIsHashedAndTheConfigurationRewrittenWithoutIt() {
        Map<String, Object> properties = zone("fv1", "password", "fv1-clear-secret");
        properties.put("label", "Fermentador 1");
        properties.put("felix.fileinstall.filename", "file:/box/conf/brewpi.zone-fv1.cfg");
        credentials.loaded();

        Optional<Map<String, Object>> rewrite = credentials.apply("brewpi.zone~fv1", properties);

        assertThat(rewrite).isPresent();
        Map<String, Object> written = rewrite.get();
        assertThat(written).doesNotContainKey("password")
                .containsEntry("zone", "fv1")
                .containsEntry("label", "Fermentador 1")
                .containsEntry("felix.fileinstall.filename", "file:/box/conf/brewpi.zone-fv1.cfg")
                .containsKey("password.hash");
        assertThat(written.values()).noneMatch(v -> String.valueOf(v).contains("fv1-clear-secret"));
        String hash = (String) written.get("password.hash");
        assertThat(PasswordHash.verify(utf8("fv1-clear-secret"), hash)).isTrue();
        assertThat(credentials.check("fv1", utf8("fv1-clear-secret"))).isEqualTo(Check.OK);
    }

    @Test
    void theRewrittenConfigurationReadsBackAsTheSameCredentialWithNothingMoreToRewrite() {
        credentials.loaded();
        Map<String, Object> written = credentials.apply("pid-fv1", zone("fv1", "password", "fv1-secret")).orElseThrow();

        // ConfigurationAdmin reports our own update back: nothing to rewrite, the password still works.
        assertThat(credentials.apply("pid-fv1", written)).isEmpty();
        assertThat(credentials.check("fv1", utf8("fv1-secret"))).isEqualTo(Check.OK);
        assertThat(credentials.zones()).containsExactly("fv1");
    }

    @Test
    void aHashOnlyConfigurationIsReadAsIs() {
        credentials.loaded();
        String hash = PasswordHash.hash("hlt-secret", 20_000);

        assertThat(credentials.apply("pid-hlt", zone("hlt", "password.hash", hash))).isEmpty();
        assertThat(credentials.check("hlt", utf8("hlt-secret"))).isEqualTo(Check.OK);
        assertThat(credentials.check("hlt", utf8("wrong"))).isEqualTo(Check.BAD_PASSWORD);
    }

    @Test
    void aNewClearTextPasswordReplacesTheOldHash() {
        credentials.loaded();
        Map<String, Object> properties = zone("hlt", "password.hash", PasswordHash.hash("old-secret", 20_000));
        credentials.apply("pid-hlt", properties);
        assertThat(credentials.check("hlt", utf8("old-secret"))).isEqualTo(Check.OK);

        properties.put("password", "new-secret");
        assertThat(credentials.apply("pid-hlt", properties)).isPresent();

        assertThat(credentials.check("hlt", utf8("new-secret"))).isEqualTo(Check.OK);
        nanos.addAndGet(ZoneCredentials.FAILURE_BACKOFF_NANOS);
        assertThat(credentials.check("hlt", utf8("old-secret"))).isEqualTo(Check.BAD_PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = { "a+b", "fv#", "fv1/#", "+", "#", "HLT", "scada", "", "a23456789012345678901234567890123" })
    void zoneIdsOutsideThePatternAreRefusedLoudly(String zone) {
        credentials.loaded();

        assertThat(credentials.apply("pid-bad", zone(zone, "password", "secret"))).isEmpty();

        assertThat(credentials.zones()).isEmpty();
        assertThat(credentials.refusedConfigurations()).containsKey("pid-bad");
        assertThat(credentials.check(zone, utf8("secret"))).isNotEqualTo(Check.OK);
    }

    @Test
    void configurationsWithoutAUsableSecretAreRefused() {
        credentials.loaded();
        credentials.apply("no-secret", Map.of("zone", "hlt"));
        credentials.apply("empty", zone("mash", "password", ""));
        credentials.apply("bad-hash", zone("kettle", "password.hash", "md5:abcdef"));
        credentials.apply("no-zone", Map.of("password", "secret"));
        credentials.apply("not-text", Map.of("zone", "fv2", "password", 1234));

        assertThat(credentials.zones()).isEmpty();
        assertThat(credentials.refusedConfigurations()).containsOnlyKeys("no-secret", "empty", "bad-hash", "no-zone",
                "not-text");
        assertThat(credentials.refusedConfigurations().values()).noneMatch(reason -> reason.contains("secret"));
    }

    @Test
    void aRefusedUpdateLocksTheZoneOutInsteadOfKeepingTheOldPassword() {
        credentials.loaded();
        credentials.apply("pid-hlt", zone("hlt", "password", "hlt-secret"));

        credentials.apply("pid-hlt", zone("hlt", "password.hash", "garbage"));

        assertThat(credentials.check("hlt", utf8("hlt-secret"))).isEqualTo(Check.UNKNOWN_USER);
    }

    @Test
    void twoConfigurationsClaimingOneZoneLockItOutUntilOneIsRemoved() {
        credentials.loaded();
        credentials.apply("pid-a", zone("fv1", "password", "secret-a"));
        credentials.apply("pid-b", zone("fv1", "password", "secret-b"));

        assertThat(credentials.check("fv1", utf8("secret-a"))).isEqualTo(Check.CONFLICT);
        assertThat(credentials.check("fv1", utf8("secret-b"))).isEqualTo(Check.CONFLICT);

        credentials.remove("pid-b");
        assertThat(credentials.check("fv1", utf8("secret-a"))).isEqualTo(Check.OK);
    }

    @Test
    void aDeletedConfigurationRemovesTheZone() {
        credentials.loaded();
        credentials.apply("pid-fv2", zone("fv2", "password", "fv2-secret"));
        assertThat(credentials.check("fv2", utf8("fv2-secret"))).isEqualTo(Check.OK);

        credentials.remove("pid-fv2");

        assertThat(credentials.check("fv2", utf8("fv2-secret"))).isEqualTo(Check.UNKNOWN_USER);
        assertThat(credentials.zones()).isEmpty();
    }

    @Test
    void nobodyGetsInBeforeTheConfigurationsAreReadOrAfterReadingThemFailed() {
        credentials.apply("pid-hlt", zone("hlt", "password", "hlt-secret"));
        assertThat(credentials.check("hlt", utf8("hlt-secret"))).isEqualTo(Check.UNAVAILABLE);
        assertThat(credentials.unavailableReason()).isNotNull();

        credentials.loaded();
        assertThat(credentials.check("hlt", utf8("hlt-secret"))).isEqualTo(Check.OK);

        credentials.unavailable("configuration store unreadable");
        assertThat(credentials.check("hlt", utf8("hlt-secret"))).isEqualTo(Check.UNAVAILABLE);
        assertThat(credentials.unavailableReason()).isEqualTo("configuration store unreadable");
    }

    @Test
    void afterAWrongPasswordTheZoneWaitsBeforeTheNextSlowCheck() {
        credentials.loaded();
        credentials.apply("pid-hlt", zone("hlt", "password", "hlt-secret"));

        assertThat(credentials.check("hlt", utf8("guess-1"))).isEqualTo(Check.BAD_PASSWORD);
        assertThat(credentials.check("hlt", utf8("guess-2"))).isEqualTo(Check.THROTTLED);
        assertThat(credentials.check("hlt", utf8("hlt-secret"))).isEqualTo(Check.THROTTLED);

        nanos.addAndGet(ZoneCredentials.FAILURE_BACKOFF_NANOS);
        assertThat(credentials.check("hlt", utf8("hlt-secret"))).isEqualTo(Check.OK);
    }

    @Test
    void aPasswordVerifiedOnceStillGetsInWhileGuessesAreThrottled() {
        credentials.loaded();
        credentials.apply("pid-hlt", zone("hlt", "password", "hlt-secret"));
        assertThat(credentials.check("hlt", utf8("hlt-secret"))).isEqualTo(Check.OK);

        assertThat(credentials.check("hlt", utf8("guess"))).isEqualTo(Check.BAD_PASSWORD);

        assertThat(credentials.check("hlt", utf8("hlt-secret"))).isEqualTo(Check.OK);
    }

    @Test
    void malformedLoginsAreAnsweredNotThrown() {
        credentials.loaded();
        credentials.apply("pid-hlt", zone("hlt", "password", "hlt-secret"));

        assertThat(credentials.check(null, utf8("x"))).isEqualTo(Check.INVALID_USER);
        assertThat(credentials.check("hlt/#", utf8("x"))).isEqualTo(Check.INVALID_USER);
        assertThat(credentials.check("hlt", null)).isEqualTo(Check.NO_PASSWORD);
        assertThat(credentials.check("hlt", new byte[0])).isEqualTo(Check.NO_PASSWORD);
        assertThat(credentials.check("kettle", utf8("x"))).isEqualTo(Check.UNKNOWN_USER);
        assertThat(credentials.check("hlt", new byte[] { (byte) 0xFF, (byte) 0xFE })).isEqualTo(Check.BAD_PASSWORD);
    }

    @Test
    void passwordsNeverReachTheLog() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            credentials.apply("pid-hlt", zone("hlt", "password", "hlt-LOGGED-secret"));
            credentials.loaded();
            credentials.apply("pid-hlt", zone("hlt", "password", "hlt-LOGGED-secret2"));
            credentials.apply("pid-bad", zone("a+b", "password", "bad-LOGGED-secret"));
            credentials.check("hlt", utf8("wrong-LOGGED-guess"));
            credentials.remove("pid-hlt");
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("Zone hlt").contains("pid-bad").doesNotContain("LOGGED");
    }
}
