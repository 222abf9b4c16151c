package org.brewpi.historian;

import org.brewpi.api.zone.ZoneState;

/** A zone's state transition, as queued for the {@code zone_states} table. */
record StateChange(String zone, long time, ZoneState state, String reason) {
}
