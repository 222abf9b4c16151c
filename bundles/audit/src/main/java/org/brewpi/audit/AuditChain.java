package org.brewpi.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.brewpi.api.audit.AuditEntry;

/**
 * The hash that links each entry to the one before it: SHA-256 over the previous hash and every field of
 * the entry, sequence number and time included, each field length-prefixed so no two entries can encode
 * alike. Changing a stored value, moving an entry or removing one breaks every hash after it.
 */
final class AuditChain {

    /** The "previous hash" of the first entry. */
    static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    static String hash(String previousHash, AuditEntry e) {
        StringBuilder canonical = new StringBuilder(256).append(previousHash);
        field(canonical, Long.toString(e.seq()));
        field(canonical, Long.toString(e.time()));
        field(canonical, e.actor());
        field(canonical, e.entryPoint());
        field(canonical, e.action());
        field(canonical, e.target());
        field(canonical, e.oldValue());
        field(canonical, e.newValue());
        field(canonical, e.reason());
        field(canonical, e.signature());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e1) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e1);
        }
    }

    private static void field(StringBuilder out, String value) {
        if (value == null) {
            out.append("|-");
        } else {
            out.append('|').append(value.length()).append(':').append(value);
        }
    }
}
