package org.brewpi.protocol;

import java.util.Locale;

/** Why a payload was rejected; the order of checks is the order of this enum (docs/protocol.md). */
public enum Reject {
    TOO_LARGE, NOT_JSON, NOT_OBJECT, NO_VERSION, WRONG_VERSION, MISSING_FIELD, BAD_TYPE, BAD_VALUE,
    /** Driver only: the topic names a zone without configuration. */
    UNKNOWN_ZONE,
    /** Driver only: a topic under the root that is not part of the protocol. */
    BAD_TOPIC;

    /** The protocol's spelling, e.g. {@code not_json}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
