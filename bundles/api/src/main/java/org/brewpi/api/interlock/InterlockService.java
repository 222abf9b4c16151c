package org.brewpi.api.interlock;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.brewpi.api.security.Signature;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The plant-wide interlocks. Acts of users are audited before they take effect.
 * <p>
 * Errors: {@link NoSuchElementException} for an unknown id, {@link IllegalArgumentException} for a missing
 * user, signature or a duration out of range, {@link IllegalStateException} for an act the state does not
 * allow (resetting while the conditions still fail, ending a bypass that is not active).
 */
@ProviderType
public interface InterlockService {

    /** Every rule, tripped ones first. */
    List<Interlock> interlocks();

    Optional<Interlock> interlock(String id);

    /** Clears a latched interlock whose conditions hold again. */
    Interlock reset(String id, String user, String entryPoint);

    /**
     * Bypasses an interlock for a limited time.
     *
     * @param signature a supervisor's signature, made by {@code Signatures.sign} for the target
     *        {@code interlock:<id>} with the meaning {@code interlock bypass}
     * @param durationMs how long, at most the configured maximum
     */
    Interlock bypass(String id, Signature signature, long durationMs, String entryPoint);

    Interlock endBypass(String id, String user, String entryPoint, String reason);
}
