package org.brewpi.api.interlock;

/** Where an interlock stands. */
public enum InterlockState {
    /** Its conditions hold: it blocks nothing. */
    HEALTHY,
    /** Its conditions do not hold (or their data is STALE, BAD or OFFLINE): it blocks and forces. */
    TRIPPED,
    /** A latched interlock whose conditions hold again: it keeps blocking until someone resets it. */
    RESET_NEEDED
}
