package org.brewpi.api.alarm;

/**
 * An alarm as it is now.
 *
 * @param state the ISA-18.2 state; while shelved, suppressed or out of service an alarm is never
 *        left unacknowledged (nothing is annunciated) but {@code active} still follows the process
 * @param shelf the shelf, {@code null} when not shelved
 * @param suppressed suppressed by design (configuration)
 * @param outOfService {@code null} when in service
 * @param value the last value evaluated, as text, {@code null} if none
 * @param activeSince when it last became active, 0 when not active
 * @param lastChange the time of its last transition, 0 if none yet
 * @param ackUser who acknowledged the current activation, {@code null} if nobody
 */
public record Alarm(AlarmDefinition definition, AlarmState state, Shelf shelf, boolean suppressed,
        OutOfService outOfService, String value, long activeSince, long lastChange, String ackUser, long ackTime) {

    public String id() {
        return definition.id();
    }

    public AlarmPriority priority() {
        return definition.priority();
    }

    /** Whether the operator is told about it (not shelved, suppressed or out of service). */
    public boolean annunciated() {
        return shelf == null && !suppressed && outOfService == null;
    }
}
