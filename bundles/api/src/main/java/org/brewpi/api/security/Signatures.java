package org.brewpi.api.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Electronic signatures for critical actions: the signer enters the PIN again and gives a reason; the
 * signature is appended to the audit trail before it is returned, so no action goes on unsigned.
 */
@ProviderType
public interface Signatures {

    /**
     * @param target what is signed for, e.g. {@code fv1.interlock.bypass} or {@code recipe:ipa-3}
     * @throws SecurityRefusal {@code bad_request} without PIN, meaning or reason; {@code bad_credentials} or
     *         {@code locked} for a wrong PIN (it counts towards the lockout)
     */
    Signature sign(String user, String pin, String meaning, String reason, String target, String entryPoint);
}
