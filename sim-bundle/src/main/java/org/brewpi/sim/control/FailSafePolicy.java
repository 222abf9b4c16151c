package org.brewpi.sim.control;

import java.util.Locale;

/** What a zone does in FAIL-SAFE (docs/protocol.md, "Fail-safe"). */
public enum FailSafePolicy {
    /** Hot side: everything off at once; only a {@code reset} brings the zone back. */
    OFF,
    /** Cold side: keep regulating the last setpoint; leaves by itself when heartbeats return. */
    HOLD_LAST;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
