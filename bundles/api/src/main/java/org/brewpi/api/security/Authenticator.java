package org.brewpi.api.security;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Turns an {@code Authorization: Bearer ...} header (a session token or an API token) into a principal. */
@ProviderType
public interface Authenticator {

    /** @return empty for a missing, unknown, expired, logged-out or revoked token */
    Optional<Principal> authenticate(String authorizationHeader);
}
