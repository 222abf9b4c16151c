package org.brewpi.api.security;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * User and API token administration. Every method needs an acting principal holding
 * {@link Right#MANAGE_USERS}, and every change is appended to the audit trail.
 *
 * @throws SecurityRefusal {@code forbidden}, {@code bad_request}, {@code not_found} or {@code conflict}
 */
@ProviderType
public interface UserAdmin {

    List<UserInfo> users(Principal actor);

    /** Creates a user whose PIN is one-time: it must be changed at first login. */
    UserInfo createUser(Principal actor, String user, String printedName, Role role, String oneTimePin);

    /** Changes role and/or enabled state ({@code null} leaves it as it is). */
    UserInfo updateUser(Principal actor, String user, Role role, Boolean enabled);

    /** Sets a one-time PIN (the user must change it at the next login) and clears any lockout. */
    void resetPin(Principal actor, String user, String oneTimePin);

    List<TokenInfo> tokens(Principal actor);

    /** @return the token with its secret, shown this once */
    TokenInfo createToken(Principal actor, String name, Role role);

    /** Takes effect at once: the next request with the token is refused. */
    TokenInfo revokeToken(Principal actor, String name);
}
