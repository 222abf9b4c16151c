package org.brewpi.api.security;

/**
 * An API token as an administrator sees it.
 *
 * @param token the secret itself: only in the answer to its creation, {@code null} afterwards
 * @param revokedAt epoch ms, 0 while valid
 */
public record TokenInfo(String name, Role role, String createdBy, long createdAt, long revokedAt, String token) {
}
