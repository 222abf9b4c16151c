package org.brewpi.api.security;

/**
 * A PIN login. The token is a bearer secret shown to the client once; only its hash is kept.
 *
 * @param idleTimeoutMs the session ends after this long without a request
 */
public record Session(String token, Principal principal, long idleTimeoutMs) {
}
