package org.brewpi.api.batch;

/**
 * A batch's states (ISA-88-like): RUNNING ↔ HELD, then COMPLETE or ABORTED; a COMPLETE batch is RELEASED by QA.
 * ABORTED and RELEASED are final.
 */
public enum BatchState {
    RUNNING, HELD, COMPLETE, ABORTED, RELEASED;

    public boolean active() {
        return this == RUNNING || this == HELD;
    }
}
