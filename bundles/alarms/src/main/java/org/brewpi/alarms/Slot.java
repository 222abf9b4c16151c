package org.brewpi.alarms;

import java.util.ArrayDeque;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.alarm.OutOfService;
import org.brewpi.api.alarm.Shelf;

/** The mutable state of one alarm; touched only under the book's lock. */
final class Slot {
    AlarmDefinition def;
    boolean suppressed;
    boolean active;
    boolean acked = true;
    long conditionSince = -1;
    long clearSince = -1;
    String value;
    long activeSince;
    long lastChange;
    Shelf shelf;
    OutOfService outOfService;
    String ackUser;
    long ackTime;
    final ArrayDeque<double[]> rate = new ArrayDeque<>();

    Slot(AlarmDefinition def) {
        this.def = def;
    }

    AlarmState state() {
        return AlarmState.of(active, acked);
    }

    boolean hidden() {
        return shelf != null || suppressed || outOfService != null;
    }

    Alarm view() {
        return new Alarm(def, state(), shelf, suppressed, outOfService, value, active ? activeSince : 0, lastChange,
                ackUser, ackTime);
    }
}
