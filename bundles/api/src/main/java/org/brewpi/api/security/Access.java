package org.brewpi.api.security;

/**
 * The answer to "may this user do that?".
 *
 * @param role the user's role, {@code null} when the user is unknown, disabled or a revoked token
 * @param reason why not, {@code null} when allowed
 */
public record Access(boolean allowed, String user, Role role, Right right, String reason) {
}
