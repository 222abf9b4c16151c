package org.brewpi.api.security;

import org.osgi.annotation.versioning.ProviderType;

/** The rights table applied to a named user or token, as the command gate and the servlets ask it. */
@ProviderType
public interface AccessPolicy {

    Access check(String user, Right right);

    /** Whether the role holds the right, by the table alone. */
    boolean allows(Role role, Right right);
}
