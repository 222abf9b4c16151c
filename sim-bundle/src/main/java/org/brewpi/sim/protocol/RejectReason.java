package org.brewpi.sim.protocol;

import java.util.Locale;

/** Why a payload was rejected, in the order the checks apply (docs/protocol.md, "Validation rules"). */
public enum RejectReason {
    TOO_LARGE, NOT_JSON, NOT_OBJECT, NO_VERSION, WRONG_VERSION, MISSING_FIELD, BAD_TYPE, BAD_VALUE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
