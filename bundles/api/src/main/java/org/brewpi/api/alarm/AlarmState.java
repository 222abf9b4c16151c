package org.brewpi.api.alarm;

/** The ISA-18.2 alarm state, made of two flags: active and acknowledged. */
public enum AlarmState {
    /** Not active, acknowledged. */
    NORMAL,
    /** Active, not yet acknowledged. */
    UNACK_ACTIVE,
    /** Active, acknowledged. */
    ACK_ACTIVE,
    /** Returned to normal before anyone acknowledged it (RTN unacknowledged). */
    UNACK_RETURNED;

    public static AlarmState of(boolean active, boolean acknowledged) {
        if (active) {
            return acknowledged ? ACK_ACTIVE : UNACK_ACTIVE;
        }
        return acknowledged ? NORMAL : UNACK_RETURNED;
    }

    public boolean active() {
        return this == UNACK_ACTIVE || this == ACK_ACTIVE;
    }

    public boolean acknowledged() {
        return this == NORMAL || this == ACK_ACTIVE;
    }
}
