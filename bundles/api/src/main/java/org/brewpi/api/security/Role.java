package org.brewpi.api.security;

import java.util.Locale;
import java.util.Optional;

/** The roles a user or an API token can hold; what each may do is the rights table of the users bundle. */
public enum Role {
    OPERATOR, SUPERVISOR, QUALITY, ENGINEER, ADMIN;

    /** The name used in JSON and in the audit trail, e.g. {@code supervisor}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
