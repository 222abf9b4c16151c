package org.brewpi.hardware;

import java.util.Collection;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmPriority;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.interlock.EmergencyStop.State;

/**
 * What the beacon and the horn show for the current alarms and E-stop. Only annunciated alarms count
 * (shelved, suppressed and out-of-service ones are silent, as on the HMI).
 * <ul>
 * <li>beacon FAST: the E-stop holds the plant, or an unacknowledged active critical/high alarm</li>
 * <li>beacon SLOW: any other unacknowledged alarm (active medium/low, or returned unacknowledged)</li>
 * <li>beacon STEADY: alarms are active but all acknowledged</li>
 * <li>beacon OFF: no alarm active and nothing to acknowledge</li>
 * <li>horn: on while an unacknowledged active critical/high alarm exists; acknowledging it silences it</li>
 * </ul>
 */
record Annunciation(Beacon beacon, boolean horn) {

    enum Beacon {
        OFF, STEADY, SLOW, FAST;

        /** The lamp's level at time {@code now}: flashing is on for the first half of each period. */
        boolean lit(long now, long slowPeriodMs, long fastPeriodMs) {
            return switch (this) {
                case OFF -> false;
                case STEADY -> true;
                case SLOW -> now % slowPeriodMs < slowPeriodMs / 2;
                case FAST -> now % fastPeriodMs < fastPeriodMs / 2;
            };
        }
    }

    static final Annunciation QUIET = new Annunciation(Beacon.OFF, false);

    static Annunciation of(Collection<Alarm> alarms, State estop) {
        boolean urgentUnacked = false;
        boolean otherUnacked = false;
        boolean active = false;
        for (Alarm a : alarms) {
            if (!a.annunciated()) {
                continue;
            }
            AlarmState s = a.state();
            active |= s.active();
            if (s == AlarmState.UNACK_ACTIVE && urgent(a.priority())) {
                urgentUnacked = true;
            } else if (!s.acknowledged()) {
                otherUnacked = true;
            }
        }
        Beacon beacon = urgentUnacked || estop != State.CLEAR ? Beacon.FAST
                : otherUnacked ? Beacon.SLOW
                : active ? Beacon.STEADY
                : Beacon.OFF;
        return new Annunciation(beacon, urgentUnacked);
    }

    private static boolean urgent(AlarmPriority p) {
        return p == AlarmPriority.CRITICAL || p == AlarmPriority.HIGH;
    }
}
