package org.brewpi.api.command;

public enum Outcome {
    /** The PLC acknowledged and acted. */
    DONE,
    /** The PLC answered with an error ({@code err} holds its code). */
    REFUSED,
    /** The gate refused it before anything was sent (unknown tag, read-only, out of range...). */
    REJECTED,
    /** No ack within the protocol's time limit: the write may or may not have happened. */
    TIMEOUT,
    /** It could not be sent: zone offline, no driver, transport down. */
    NOT_SENT
}
