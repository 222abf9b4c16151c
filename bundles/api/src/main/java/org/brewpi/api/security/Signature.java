package org.brewpi.api.security;

/**
 * An electronic signature as recorded (21 CFR Part 11 §11.50: printed name, date and time, meaning).
 *
 * @param time UTC epoch ms
 * @param meaning what the signature means, e.g. {@code approval}, {@code interlock bypass}
 * @param auditSeq the audit trail entry that holds it
 */
public record Signature(String user, String printedName, Role role, long time, String meaning, String reason,
        String target, long auditSeq) {
}
