package org.brewpi.api.security;

/** A user as an administrator sees it; never the PIN hash. */
public record UserInfo(String user, String printedName, Role role, boolean enabled, boolean mustChangePin,
        long createdAt) {
}
