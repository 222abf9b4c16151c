package org.brewpi.api.alarm;

/** What an alarm watches. */
public enum AlarmKind {
    /** Value above the limit. */
    HI,
    /** Value above the limit; the second, more severe, high alarm. */
    HIHI,
    /** Value below the limit. */
    LO,
    /** Value below the limit; the second, more severe, low alarm. */
    LOLO,
    /** The tag differs from the zone's setpoint {@code sv} by more than the limit, either way. */
    DEVIATION,
    /** The tag changes faster than the limit, in units per minute, either way. */
    RATE,
    /** The tag is in the state named by {@link AlarmDefinition#state()}. */
    DISCRETE,
    /** The zone is offline, or (when a tag is named) that tag is not GOOD. */
    COMM_LOSS
}
