package org.brewpi.api.audit;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Configuration changes audited by the door a person made them through (signed, with old and new values), which
 * the change auditor must not record a second time as {@code system}. The auditor records every ConfigurationAdmin
 * change after the fact; a claim tells it that the next update of one configuration to exactly these values is
 * already in the trail with its signer. Any other change (a file edited in conf/) is recorded as before.
 */
@ProviderType
public interface ConfigChangeClaims {

    /** How long a claim waits for its update; an update that comes later is recorded as {@code system}. */
    long VALID_MS = 60_000;

    /**
     * Call after the caller's own audit entry is durable and before updating the configuration.
     *
     * @param pid the configuration's pid
     * @param properties every property the configuration will hold after the update
     * @return withdraws the claim, for an update that was not made
     */
    Runnable claim(String pid, Map<String, ?> properties);

    /**
     * Whether a configuration key names a secret (password, token, secret, pin, key, in any case), whose value the
     * trail and the API show only as {@value #MASK}.
     */
    static boolean secret(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        for (String word : new String[] { "password", "token", "secret", "pin", "key" }) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** What a secret value is shown as. */
    String MASK = "****";
}
