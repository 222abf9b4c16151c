package org.brewpi.api.alarm;

/** ISA-18.2 priorities, most urgent first. */
public enum AlarmPriority {
    CRITICAL, HIGH, MEDIUM, LOW;

    /** The configuration's lower-case spelling. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
