package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String stored = PasswordHash.hash("s3cret-fv1");

        assertThat(PasswordHash.verify(utf8("s3cret-fv1"), stored)).isTrue();
        assertThat(PasswordHash.verify(utf8("s3cret-fv2"), stored)).isFalse();
        assertThat(PasswordHash.verify(utf8("S3cret-fv1"), stored)).isFalse();
        assertThat(PasswordHash.verify(utf8(""), stored)).isFalse();
        assertThat(PasswordHash.verify(null, stored)).isFalse();
    }

    @Test
    void theStoredFormCarriesSchemeIterationsAndSaltButNotThePassword() {
        String stored = PasswordHash.hash("s3cret-fv1");

        assertThat(stored).startsWith("$pbkdf2-sha256$" + PasswordHash.DEFAULT_ITERATIONS + "$");
        assertThat(stored.split("\\$")).hasSize(5);
        assertThat(stored).doesNotContain("s3cret").matches("[A-Za-z0-9$_-]+");
        assertThat(PasswordHash.problem(stored)).isNull();
    }

    @Test
    void eachHashHasItsOwnSalt() {
        assertThat(PasswordHash.hash("same")).isNotEqualTo(PasswordHash.hash("same"));
    }

    @Test
    void theIterationCountIsReadFromTheStoredHash() {
        String cheaper = PasswordHash.hash("legacy", 20_000);

        assertThat(cheaper).startsWith("$pbkdf2-sha256$20000$");
        assertThat(PasswordHash.verify(utf8("legacy"), cheaper)).isTrue();
        assertThat(PasswordHash.verify(utf8("legacy"), cheaper.replace("$20000$", "$20001$"))).isFalse();
    }

    @Test
    void nonAsciiPasswordsRoundTripAsUtf8() {
        String stored = PasswordHash.hash("cerveza-ñandú-€");

        assertThat(PasswordHash.verify(utf8("cerveza-ñandú-€"), stored)).isTrue();
        assertThat(PasswordHash.verify(utf8("cerveza-nandu-E"), stored)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "plain-text", "$pbkdf2-sha256$x$abc$def", "$md5$1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$pbkdf2-sha256$10$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$pbkdf2-sha256$999999999$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$pbkdf2-sha256$20000$!!!$aGFzaGhhc2hoYXNoaGFzaA", "pbkdf2-sha256$20000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$pbkdf2-sha256$20000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA$extra" })
    void malformedStoredHashesAreReportedAndNeverVerify(String stored) {
        assertThat(PasswordHash.problem(stored)).isNotNull();
        assertThat(PasswordHash.verify(utf8("anything"), stored)).isFalse();
    }

    @Test
    void emptyPasswordsAndAbsurdIterationCountsCannotBeHashed() {
        assertThatThrownBy(() -> PasswordHash.hash("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHash.hash(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHash.hash("x", 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordHash.hash("x", 50_000_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
