package org.brewpi.sim.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The verdict on one payload.
 *
 * @param reason {@code null} when the payload is valid
 * @param detail what exactly is wrong, for logs and error acks
 * @param payload the parsed object when parsing got that far, else {@code null}
 */
public record Validation(RejectReason reason, String detail, JsonNode payload) {

    public boolean ok() {
        return reason == null;
    }

    static Validation valid(JsonNode payload) {
        return new Validation(null, null, payload);
    }

    static Validation rejected(RejectReason reason, String detail, JsonNode payload) {
        return new Validation(reason, detail, payload);
    }
}
