package org.brewpi.api.security;

import java.util.Locale;

/** The protected actions. Which role holds which is the rights table of the users bundle. */
public enum Right {
    /** Write setpoints and modes within the limits the PLC declares; ping a zone. */
    OPERATE,
    ACKNOWLEDGE_ALARM,
    SHELVE_ALARM,
    BYPASS_INTERLOCK,
    /** Take a zone out of fail-safe. */
    RESET_FAILSAFE,
    HOLD_BATCH,
    APPROVE_RECIPE,
    RELEASE_BATCH,
    CONFIGURE,
    MANAGE_BUNDLES,
    /** Users and API tokens. */
    MANAGE_USERS,
    READ_AUDIT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
