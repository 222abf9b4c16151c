package org.brewpi.api.security;

/**
 * A security service said no. {@link #code()} is stable for clients: {@code bad_credentials}, {@code locked},
 * {@code forbidden}, {@code must_change_pin}, {@code bad_request}, {@code not_found}, {@code conflict}.
 */
public final class SecurityRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public SecurityRefusal(String code, String message) {
        super(message, null, false, false); // an expected answer: no stack trace
        this.code = code;
    }

    public String code() {
        return code;
    }
}
