package org.brewpi.api.command;

/**
 * A request to act on the plant.
 *
 * @param op {@code write}, {@code reset} or {@code ping}
 * @param tag the tag to write, {@code null} for other operations
 * @param value the value to write: a {@code Number}, {@code Boolean} or {@code String}
 * @param origin where it came from: {@code rest}, {@code hmi}, {@code batch}, {@code interlock}
 * @param user who asked, or the component that did
 * @param id set by the gate before it reaches a driver, unique per SCADA boot
 */
public record Command(String id, String zone, String op, String tag, Object value, String origin, String user) {

    public static final String WRITE = "write";
    public static final String RESET = "reset";
    public static final String PING = "ping";

    public static Command write(String zone, String tag, Object value, String origin, String user) {
        return new Command(null, zone, WRITE, tag, value, origin, user);
    }

    public Command withId(String newId) {
        return new Command(newId, zone, op, tag, value, origin, user);
    }
}
