package org.brewpi.hardware;

/**
 * A level that counts only once the raw input has held it for the debounce time: contact bounce and
 * spikes on a long field cable neither trip nor release the E-stop. Not thread-safe; the owner serialises calls.
 */
final class Debouncer {

    private final long stableMs;
    private boolean accepted;
    private boolean raw;
    private long rawSince;

    /** @param initial the level accepted at start (the input as first read: no debounce on what is already there) */
    Debouncer(long stableMs, boolean initial, long now) {
        this.stableMs = stableMs;
        this.accepted = initial;
        this.raw = initial;
        this.rawSince = now;
    }

    /** Records a raw reading (poll or edge event) and returns the debounced level. */
    boolean sample(boolean level, long now) {
        if (level != raw) {
            raw = level;
            rawSince = now;
        }
        if (raw != accepted && now - rawSince >= stableMs) {
            accepted = raw;
        }
        return accepted;
    }

    boolean accepted() {
        return accepted;
    }
}
