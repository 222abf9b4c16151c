package org.brewpi.api.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * PIN logins. Repeated failures lock the user for a while; a session ends by logout or inactivity. Every
 * login, failed login and logout is appended to the audit trail.
 */
@ProviderType
public interface Sessions {

    /** @throws SecurityRefusal {@code bad_credentials} or {@code locked} */
    Session login(String user, String pin, String entryPoint);

    /** Ends the session the token belongs to; unknown tokens are ignored. */
    void logout(String token);

    /**
     * Changes the user's own PIN (required after a one-time PIN).
     *
     * @throws SecurityRefusal {@code bad_credentials}, {@code locked} or {@code bad_request} (weak new PIN)
     */
    void changePin(String user, String oldPin, String newPin, String entryPoint);
}
