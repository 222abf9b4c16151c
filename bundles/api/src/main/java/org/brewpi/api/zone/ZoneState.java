package org.brewpi.api.zone;

/** The state a zone reports in its retained status topic. */
public enum ZoneState {
    ONLINE, FAILSAFE, OFFLINE;

    /** The protocol's lower-case spelling. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
