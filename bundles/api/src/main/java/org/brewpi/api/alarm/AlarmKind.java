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
    COMM_LOSS,
    /**
     * A part of the box itself is not well: the health component named by {@link AlarmDefinition#tag()}
     * (zone {@code system}) reports DOWN or DEGRADED, e.g. {@code sync} with a backlog older than its limit or
     * {@code historian} short of disk; {@code bundles}: a bundle failed to resolve or start, or the framework
     * reported an error recently.
     */
    SYSTEM
}
