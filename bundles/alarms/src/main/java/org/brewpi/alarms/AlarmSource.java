package org.brewpi.alarms;

import org.brewpi.api.alarm.AlarmDefinition;

/** One configured alarm, as a service inside this bundle: the engine collects them all. */
public interface AlarmSource {

    AlarmDefinition definition();

    /** {@code false}: the alarm of this id, default included, is switched off. */
    boolean enabled();
}
