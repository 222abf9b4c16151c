package org.brewpi.api.interlock;

/**
 * An active bypass: the interlock neither blocks nor forces until {@code until}.
 *
 * @param user who signed it (a supervisor)
 * @param printedName the signer's printed name, as the signature shows it
 * @param since UTC epoch ms
 * @param until UTC epoch ms; the bypass expires by itself then
 * @param auditSeq the audit entry holding the signature
 */
public record Bypass(String user, String printedName, String reason, long since, long until, long auditSeq) {
}
