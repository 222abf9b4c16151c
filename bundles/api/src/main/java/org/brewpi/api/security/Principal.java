package org.brewpi.api.security;

/**
 * Who is asking, as a door (REST, HMI) established it.
 *
 * @param user the user name; {@code token:<name>} for an API token, {@code api} for the bootstrap token
 * @param printedName the name as printed on records, e.g. "Ana Gómez"
 * @param role what the user may do
 * @param entryPoint {@code hmi} for a PIN session, {@code rest} for an API token
 * @param mustChangePin the user logged in with a one-time PIN and may do nothing but change it
 */
public record Principal(String user, String printedName, Role role, String entryPoint, boolean mustChangePin) {
}
