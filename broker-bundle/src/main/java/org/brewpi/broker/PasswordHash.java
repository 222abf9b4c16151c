package org.brewpi.broker;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes, stored as {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>} with
 * URL-safe base64 (no padding, nothing a {@code .cfg} file or FileInstall would need to escape). The iteration
 * count travels in the string, so it can be raised later without invalidating stored hashes.
 */
final class PasswordHash {

    static final String SCHEME = "pbkdf2-sha256";
    static final int DEFAULT_ITERATIONS = 210_000;
    /** Bounds for hashes read from configuration: a hostile file must not make each login cost minutes. */
    static final int MIN_ITERATIONS = 1_000;
    static final int MAX_ITERATIONS = 5_000_000;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private PasswordHash() {
    }

    static String hash(String password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    static String hash(String password, int iterations) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("an empty password cannot be hashed");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be between " + MIN_ITERATIONS + " and " + MAX_ITERATIONS);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        char[] chars = password.toCharArray();
        try {
            byte[] derived = derive(chars, salt, iterations, HASH_BYTES);
            return "$" + SCHEME + "$" + iterations + "$" + ENCODER.encodeToString(salt) + "$"
                    + ENCODER.encodeToString(derived);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Checks a password as an MQTT client sends it (UTF-8 bytes) against a stored hash, in constant time.
     *
     * @return {@code false} for a wrong password and for a stored value that is not a well-formed hash
     */
    static boolean verify(byte[] password, String stored) {
        Parsed parsed = parse(stored);
        if (parsed == null || password == null || password.length == 0) {
            return false;
        }
        char[] chars = utf8Chars(password);
        try {
            byte[] derived = derive(chars, parsed.salt, parsed.iterations, parsed.hash.length);
            return MessageDigest.isEqual(derived, parsed.hash);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** @return why {@code stored} is not a hash this class can check, or {@code null} if it is one */
    static String problem(String stored) {
        return parse(stored) == null
                ? "password.hash is not of the form $" + SCHEME + "$<iterations>$<salt>$<hash>"
                        + " (iterations " + MIN_ITERATIONS + ".." + MAX_ITERATIONS + ")"
                : null;
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.trim().split("\\$", -1);
        // "", scheme, iterations, salt, hash
        if (parts.length != 5 || !parts[0].isEmpty() || !SCHEME.equals(parts[1])) {
            return null;
        }
        try {
            int iterations = Integer.parseInt(parts[2]);
            byte[] salt = DECODER.decode(parts[3]);
            byte[] hash = DECODER.decode(parts[4]);
            if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS || salt.length < 8 || hash.length < 16
                    || hash.length > 64) {
                return null;
            }
            return new Parsed(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static char[] utf8Chars(byte[] bytes) {
        CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        char[] chars = new char[decoded.remaining()];
        decoded.get(chars);
        Arrays.fill(decoded.array(), '\0');
        return chars;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int length) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, length * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // Every Java 17 runtime has PBKDF2WithHmacSHA256; without it no password can be checked at all.
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        } finally {
            spec.clearPassword();
        }
    }
}
