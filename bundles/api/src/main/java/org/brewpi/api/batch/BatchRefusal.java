package org.brewpi.api.batch;

/**
 * The batch service said no. {@link #code()} is stable for clients: {@code bad_request}, {@code not_found},
 * {@code conflict} (wrong state, not approved, duplicate lot, CCPs not met), {@code forbidden} (the role lacks the
 * right, or an API token tried to sign), {@code unavailable} (the audit trail, the users service or the store is
 * not there: nothing was done).
 */
public final class BatchRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public BatchRefusal(String code, String message) {
        super(message, null, false, false); // an expected answer: no stack trace
        this.code = code;
    }

    public String code() {
        return code;
    }
}
