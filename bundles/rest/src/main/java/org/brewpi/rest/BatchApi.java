package org.brewpi.rest;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.brewpi.api.batch.BatchRefusal;
import org.brewpi.api.batch.BatchService;
import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.SecurityRefusal;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What the recipe and batch servlets share: the services they need, who is asking, the body's fields (unknown ones
 * refused, so a misspelt {@code "PIN"} is not silently a missing PIN), and the service's refusals as HTTP answers.
 */
final class BatchApi {

    static final int MAX_TEXT = 512;
    static final int MAX_PIN = 64;

    final AtomicReference<BatchService> service = new AtomicReference<>();
    final AtomicReference<Authenticator> authenticator = new AtomicReference<>();

    BatchService service() {
        BatchService s = service.get();
        if (s == null) {
            throw new ApiException(503, "no_batches", "the recipes and batches service is not running");
        }
        return s;
    }

    /** The person or token acting: recipes and batches need the users service, which knows roles and PINs. */
    Principal who(HttpServletRequest req, HttpServletResponse resp) {
        Authenticator a = authenticator.get();
        if (a == null) {
            throw new ApiException(503, "no_users", "recipes and batches need the users service (roles, signatures)");
        }
        return Auth.signedIn(a, req, resp);
    }

    static JsonNode object(JsonNode body, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                String shown = f.length() > 32 ? f.substring(0, 32) + "…" : f;
                throw ApiException.badRequest("unknown field '" + shown + "'; expected " + new java.util.TreeSet<>(allowed));
            }
        }
        return body;
    }

    /** A text field: wrong type or too long is a 400 here; whether it is required the service says. */
    static String text(JsonNode body, String field, boolean required) {
        String v = Auth.text(body, field, required, "pin".equals(field) ? MAX_PIN : MAX_TEXT);
        if (required && v.isBlank()) {
            throw ApiException.badRequest("\"" + field + "\" must not be empty");
        }
        return v;
    }

    static ApiException refused(BatchRefusal e) {
        int status = switch (e.code()) {
            case "not_found" -> 404;
            case "conflict" -> 409;
            case "forbidden" -> 403;
            case "unavailable" -> 503;
            default -> 400;
        };
        return new ApiException(status, e.code(), e.getMessage());
    }

    /** Runs a service call, turning its refusals into answers. */
    static <T> T call(java.util.function.Supplier<T> act) {
        try {
            return act.get();
        } catch (BatchRefusal e) {
            throw refused(e);
        } catch (SecurityRefusal e) {
            throw Auth.refused(e);
        }
    }

    static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
