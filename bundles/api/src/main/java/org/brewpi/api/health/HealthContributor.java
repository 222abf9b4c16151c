package org.brewpi.api.health;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: each part of the box tells {@code /api/health} and the HMI's system screen
 * how it is doing.
 */
@ConsumerType
public interface HealthContributor {

    /** Short name, the key under which the details appear, e.g. {@code broker}. */
    String name();

    /** UP, DEGRADED or DOWN. */
    Status status();

    /** Details: plain JSON-able values (numbers, strings, booleans, lists, maps). */
    Map<String, Object> details();

    enum Status {
        UP, DEGRADED, DOWN
    }
}
