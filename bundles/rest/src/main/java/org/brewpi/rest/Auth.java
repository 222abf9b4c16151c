package org.brewpi.rest;

import java.util.Optional;

import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.SecurityRefusal;
import org.brewpi.api.security.UserInfo;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What the security servlets share: who is asking, how a refusal answers, and the JSON shapes. A servlet whose
 * acts need a right or an electronic signature extends {@link SecuredServlet} and calls its
 * {@code authorize(..)}, {@code requireSigner(..)} and {@code sign(..)} with {@link #pin} and {@link #reason} here.
 */
final class Auth {

    static final String BEARER = "Bearer ";

    /** Who is logged in, as the HMI shows it. */
    record Who(String user, String printedName, String role, String entryPoint, boolean mustChangePin) {
        static Who of(Principal p) {
            return new Who(p.user(), p.printedName(), p.role().id(), p.entryPoint(), p.mustChangePin());
        }
    }

    record LoggedIn(String token, String user, String printedName, String role, boolean mustChangePin,
            long idleTimeoutSeconds) {
    }

    record User(String user, String printedName, String role, boolean enabled, boolean mustChangePin, long createdAt) {
        static User of(UserInfo u) {
            return new User(u.user(), u.printedName(), u.role().id(), u.enabled(), u.mustChangePin(), u.createdAt());
        }
    }

    record Token(String name, String role, String createdBy, long createdAt, Long revokedAt, String token) {
        static Token of(org.brewpi.api.security.TokenInfo t) {
            return new Token(t.name(), t.role().id(), t.createdBy(), t.createdAt(),
                    t.revokedAt() == 0 ? null : t.revokedAt(), t.token());
        }
    }

    private Auth() {
    }

    /** The principal behind the request's bearer token, or a 401. */
    static Principal require(Authenticator authenticator, HttpServletRequest req, HttpServletResponse resp) {
        Optional<Principal> p = authenticator.authenticate(req.getHeader("Authorization"));
        if (p.isEmpty()) {
            throw unauthorized(resp);
        }
        return p.get();
    }

    /** Through the users bundle: the principal behind the token, refusing one still on a one-time PIN. */
    static Principal signedIn(Authenticator authenticator, HttpServletRequest req, HttpServletResponse resp) {
        Principal p = require(authenticator, req, resp);
        if (p.mustChangePin()) {
            throw new ApiException(403, "must_change_pin", "change the one-time PIN first (POST /api/session/pin)");
        }
        return p;
    }

    /**
     * Without the users bundle only the bootstrap token opens the protected endpoints.
     *
     * @param what what needs it, for the message ("writes", "alarm actions", ...)
     */
    static void requireBootstrap(BearerToken token, String what, HttpServletRequest req, HttpServletResponse resp) {
        if (!token.configured()) {
            throw new ApiException(503, "no_token", what + " are disabled: no API token is configured (BREWPI_API_TOKEN)");
        }
        if (!token.matches(req.getHeader("Authorization"))) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"brewpi\"");
            throw new ApiException(401, "unauthorized", what + " need the header 'Authorization: Bearer <API token>'");
        }
    }

    static ApiException unauthorized(HttpServletResponse resp) {
        resp.setHeader("WWW-Authenticate", "Bearer realm=\"brewpi\"");
        return new ApiException(401, "unauthorized",
                "log in (POST /api/session) or send 'Authorization: Bearer <API token>'");
    }

    /** A security service's refusal as the HTTP answer it deserves. */
    static ApiException refused(SecurityRefusal e) {
        int status = switch (e.code()) {
            case "bad_credentials" -> 401;
            case "locked" -> 429;
            case "forbidden", "must_change_pin" -> 403;
            case "not_found" -> 404;
            case "conflict" -> 409;
            default -> 400;
        };
        return new ApiException(status, e.code(), e.getMessage());
    }

    /** A text field of a JSON object body; {@code null} when absent and not required. */
    static String text(JsonNode body, String field, boolean required, int max) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body must be a JSON object");
        }
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest("\"" + field + "\" is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("\"" + field + "\" must be a string");
        }
        if (node.textValue().length() > max) {
            throw ApiException.badRequest("\"" + field + "\" is longer than " + max + " characters");
        }
        return node.textValue();
    }

    static final int MAX_PIN = 64;

    /** The signer's PIN, entered again for a signature: required, a string of at most {@value #MAX_PIN}. */
    static String pin(JsonNode body) {
        JsonNode pin = body == null ? null : body.get("pin");
        if (pin == null || !pin.isTextual() || pin.textValue().isEmpty() || pin.textValue().length() > MAX_PIN) {
            throw ApiException.badRequest("'pin' is required: the signer's PIN, entered again");
        }
        return pin.textValue();
    }

    /** The reason a signature gives: required, not blank, trimmed, at most {@code max} characters. */
    static String reason(JsonNode body, int max) {
        String reason = text(body, "reason", true, max);
        if (reason.isBlank()) {
            throw ApiException.badRequest("'reason' must not be empty");
        }
        return reason.trim();
    }

    /** The bearer secret itself, for logout. */
    static String bearer(HttpServletRequest req) {
        String h = req.getHeader("Authorization");
        return h != null && h.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? h.substring(BEARER.length()).trim() : null;
    }
}
