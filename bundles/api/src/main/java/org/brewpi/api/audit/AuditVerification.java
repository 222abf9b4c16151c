package org.brewpi.api.audit;

/**
 * The result of walking the hash chain.
 *
 * @param firstBad the sequence number of the first entry that does not hold, {@code null} when all hold
 * @param problem what is wrong with it: {@code altered}, {@code missing} or {@code reordered}
 */
public record AuditVerification(boolean ok, long entries, Long firstBad, String problem) {
}
