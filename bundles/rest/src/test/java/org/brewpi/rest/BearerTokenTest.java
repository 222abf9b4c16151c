package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    private final BearerToken token = BearerToken.of("s3cret-T0ken");

    @Test
    void acceptsTheTokenUnderTheBearerScheme() {
        assertThat(token.configured()).isTrue();
        assertThat(token.matches("Bearer s3cret-T0ken")).isTrue();
        assertThat(token.matches("bearer s3cret-T0ken")).isTrue();
        assertThat(token.matches("Bearer   s3cret-T0ken  ")).isTrue();
    }

    @Test
    void refusesAnythingElse() {
        assertThat(token.matches(null)).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches("s3cret-T0ken")).isFalse();
        assertThat(token.matches("Basic s3cret-T0ken")).isFalse();
        assertThat(token.matches("Bearer s3cret-T0ke")).isFalse();
        assertThat(token.matches("Bearer s3cret-T0ken2")).isFalse();
        assertThat(token.matches("Bearer S3CRET-T0KEN")).isFalse();
        assertThat(token.matches("Bearer ")).isFalse();
    }

    @Test
    void noConfiguredTokenMatchesNothing() {
        for (BearerToken none : new BearerToken[] { BearerToken.of(null), BearerToken.of(""), BearerToken.of("  ") }) {
            assertThat(none.configured()).isFalse();
            assertThat(none.matches("Bearer ")).isFalse();
            assertThat(none.matches("Bearer  ")).isFalse();
            assertThat(none.matches("Bearer anything")).isFalse();
        }
    }
}
