package org.brewpi.api.interlock;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The hardware emergency stop, as the hardware bundle reads it. While it is pressed, and after release
 * until someone resets it, every zone is held in its safe state and writes that would energise an output
 * are refused.
 */
@ProviderType
public interface EmergencyStop {

    enum State {
        /** Released and reset: the plant may run. */
        CLEAR,
        /** The button is pressed (the normally-closed loop is open). */
        PRESSED,
        /** Released, waiting for a reset. */
        RESET_NEEDED
    }

    State state();

    /** UTC epoch ms of the last press, 0 if never. */
    long pressedAt();

    /**
     * @throws IllegalStateException while the button is still pressed
     */
    State reset(String user, String entryPoint);
}
