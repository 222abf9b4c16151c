package org.brewpi.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The API token writes need ({@code Authorization: Bearer <token>}). Both sides are hashed before
 * a constant-time comparison, so neither the content nor the length of the token leaks through timing.
 */
public final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private final byte[] expected;

    private BearerToken(byte[] expected) {
        this.expected = expected;
    }

    /** @param token the configured token; {@code null} or blank means none is configured and nothing matches */
    public static BearerToken of(String token) {
        return new BearerToken(token == null || token.isBlank() ? null : sha256(token.trim()));
    }

    public boolean configured() {
        return expected != null;
    }

    /** Whether an {@code Authorization} header value carries the configured token. */
    public boolean matches(String authorization) {
        if (expected == null || authorization == null
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        String presented = authorization.substring(SCHEME.length()).trim();
        return MessageDigest.isEqual(sha256(presented), expected);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
