package org.brewpi.protocol;

/** A payload that breaks the protocol: the reason is counted, the message logged (rate-limited). */
public class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Reject reason;

    public ProtocolException(Reject reason, String message) {
        super(message, null, false, false); // expected condition: no stack trace
        this.reason = reason;
    }

    public Reject reason() {
        return reason;
    }
}
