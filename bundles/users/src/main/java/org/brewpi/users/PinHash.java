package org.brewpi.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 hashes of PINs and passwords, stored as
 * {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>} (URL-safe base64, no padding), the broker's format.
 * The iteration count travels with each hash, so it can be raised later without a migration.
 */
final class PinHash {

    static final String SCHEME = "pbkdf2-sha256";
    static final int DEFAULT_ITERATIONS = 210_000;
    static final int MIN_ITERATIONS = 1_000;
    static final int MAX_ITERATIONS = 5_000_000;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    private final SecureRandom random;
    private final int iterations;

    PinHash(SecureRandom random, int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be between " + MIN_ITERATIONS + " and " + MAX_ITERATIONS);
        }
        this.random = random;
        this.iterations = iterations;
    }

    String hash(String pin) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return "$" + SCHEME + "$" + iterations + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(derive(pin, salt, iterations, HASH_BYTES));
    }

    /** Constant-time check; a malformed stored value never matches. */
    static boolean verify(String pin, String stored) {
        if (pin == null || pin.isEmpty() || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$", -1);
        if (parts.length != 5 || !parts[0].isEmpty() || !SCHEME.equals(parts[1])) {
            return false;
        }
        try {
            int n = Integer.parseInt(parts[2]);
            if (n < MIN_ITERATIONS || n > MAX_ITERATIONS) {
                return false;
            }
            byte[] salt = UNB64.decode(parts[3]);
            byte[] expected = UNB64.decode(parts[4]);
            if (expected.length == 0) {
                return false;
            }
            return MessageDigest.isEqual(derive(pin, salt, n, expected.length), expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A fresh random secret for sessions and API tokens: 32 bytes, URL-safe. */
    String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** A one-time PIN a person can type on the keypad: 8 digits. */
    String newOneTimePin() {
        StringBuilder pin = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            pin.append(random.nextInt(10));
        }
        return pin.toString();
    }

    /** Random tokens carry 256 bits: a plain SHA-256 is enough to store them and lets us look them up. */
    static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] derive(String pin, byte[] salt, int iterations, int length) {
        char[] chars = pin.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, length * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java runtime", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
