package org.brewpi.sim;

/**
 * A zone to emulate.
 *
 * @param password the zone's MQTT password, {@code null} to connect with the user name only
 */
public record ZoneSpec(String id, String type, String password) {

    @Override
    public String toString() {
        // never the password: this ends up in logs
        return id + " (" + type + ")";
    }
}
