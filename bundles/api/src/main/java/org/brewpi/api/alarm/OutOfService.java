package org.brewpi.api.alarm;

/** Who took an alarm out of service (e.g. a broken instrument being replaced), why, and since when. */
public record OutOfService(String user, String reason, long since) {
}
