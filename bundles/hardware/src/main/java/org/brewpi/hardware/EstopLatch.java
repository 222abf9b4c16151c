package org.brewpi.hardware;

import org.brewpi.api.interlock.EmergencyStop.State;

/**
 * The E-stop's state machine: pressing holds the plant (PRESSED); releasing alone does not free it
 * (RESET_NEEDED); only a reset after release does (CLEAR). Thread-safe: the input arrives on the hardware
 * thread, resets on request threads.
 */
final class EstopLatch {

    /** What an input reading changed. */
    enum Change {
        NONE, PRESSED, RELEASED
    }

    private State state;
    private long pressedAt;

    EstopLatch(State initial, long pressedAt) {
        this.state = initial;
        this.pressedAt = pressedAt;
    }

    synchronized State state() {
        return state;
    }

    synchronized long pressedAt() {
        return pressedAt;
    }

    /** @param pressed the debounced input: the loop is open */
    synchronized Change input(boolean pressed, long now) {
        if (pressed && state != State.PRESSED) {
            state = State.PRESSED;
            pressedAt = now;
            return Change.PRESSED;
        }
        if (!pressed && state == State.PRESSED) {
            state = State.RESET_NEEDED;
            return Change.RELEASED;
        }
        return Change.NONE;
    }

    /**
     * Checks that a reset is possible now; the caller audits, then calls {@link #reset()}.
     *
     * @return false when there is nothing to reset (already CLEAR)
     * @throws IllegalStateException while the button is still pressed
     */
    synchronized boolean resettable() {
        if (state == State.PRESSED) {
            throw new IllegalStateException("the emergency stop is still pressed: release it before the reset");
        }
        return state == State.RESET_NEEDED;
    }

    /** @return whether it was reset (false if it was pressed again meanwhile, or nothing needed it) */
    synchronized boolean reset() {
        if (state != State.RESET_NEEDED) {
            return false;
        }
        state = State.CLEAR;
        return true;
    }
}
