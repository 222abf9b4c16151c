package org.brewpi.api.audit;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The append-only, hash-chained record of every write to the plant and every security-relevant act.
 * An entry is durable when {@link #append} returns; if it cannot be made durable, append throws and the
 * caller must not go on with the action.
 */
@ProviderType
public interface AuditTrail {

    /** @return the entry as stored, with its sequence number and time */
    AuditEntry append(AuditEntry entry);

    /**
     * Entries in sequence order.
     *
     * @param afterSeq only entries after this one (0 = from the start)
     * @param actor only this actor, or {@code null}
     * @param target only targets starting with this text, or {@code null}
     */
    List<AuditEntry> entries(long afterSeq, long from, long to, String actor, String target, int limit);

    /** Walks the whole chain and names the first entry that does not hold. */
    AuditVerification verify();
}
