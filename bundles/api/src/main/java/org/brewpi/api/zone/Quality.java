package org.brewpi.api.zone;

/** How far a tag value can be trusted. Only GOOD may ever be shown as live. */
public enum Quality {
    /** Fresh reading from a healthy sensor. */
    GOOD,
    /** The PLC reports the sensor as failed (listed in {@code bad}). */
    BAD,
    /** No news for more than three telemetry periods. */
    STALE,
    /** The zone's PLC is offline (will message, or never seen). */
    OFFLINE
}
