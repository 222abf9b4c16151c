package org.brewpi.api.batch;

import java.util.Locale;
import java.util.Optional;

/** What people do to a batch other than start and release it. */
public enum BatchAction {
    /** RUNNING → HELD (supervisor). */
    HOLD,
    /** HELD → RUNNING (supervisor). */
    RESUME,
    /** RUNNING or HELD → ABORTED (supervisor). */
    ABORT,
    /** RUNNING → COMPLETE (operator); the CCPs are evaluated and recorded. */
    COMPLETE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BatchAction> parse(String id) {
        for (BatchAction a : values()) {
            if (a.id().equals(id)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
