package org.brewpi.hardware;

/**
 * The heartbeat for an external safety relay (a pulse-monitoring relay or a retriggerable timer): the
 * output changes level every period while the box is healthy. When it is not, the output stays low, the
 * pulses stop and the relay drops out, taking the plant's power with it. A hung hardware thread stops
 * the pulses just the same. Not thread-safe; called from the hardware thread only.
 */
final class Watchdog {

    private final long periodMs;
    private boolean level;
    private long lastToggle;
    private boolean running;

    Watchdog(long periodMs) {
        this.periodMs = periodMs;
    }

    /** @return the output level at {@code now} */
    boolean update(boolean healthy, long now) {
        if (!healthy) {
            running = false;
            level = false;
            return false;
        }
        if (!running) {
            running = true;
            lastToggle = now;
            level = true;
        } else if (now - lastToggle >= periodMs) {
            level = !level;
            lastToggle = now;
        }
        return level;
    }

    boolean running() {
        return running;
    }
}
