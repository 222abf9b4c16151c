package org.brewpi.rest;

import java.util.Locale;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;

import com.fasterxml.jackson.databind.JsonNode;

/** How a write request becomes a command, and how a command's outcome becomes an HTTP answer. */
public final class Commands {

    public static final String ORIGIN = "rest";
    /** Who asks, until users and roles exist: the holder of the API token. */
    public static final String USER = "api";

    static final int MAX_STRING_VALUE = 256;

    private Commands() {
    }

    /** The value of a {@code {"value": number|bool|string}} body; anything else is a 400 saying why. */
    public static Object value(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body must be a JSON object such as {\"value\": 18.5}");
        }
        JsonNode value = body.get("value");
        if (value == null) {
            throw ApiException.badRequest("body has no \"value\"; expected {\"value\": number, boolean or string}");
        }
        if (value.isNull()) {
            throw ApiException.badRequest("\"value\" must not be null");
        }
        if (value.isNumber()) {
            double d = value.doubleValue();
            if (!Double.isFinite(d)) {
                throw ApiException.badRequest("\"value\" " + value.asText() + " is too large for a number");
            }
            return d;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            if (value.textValue().length() > MAX_STRING_VALUE) {
                throw ApiException.badRequest("\"value\" is longer than " + MAX_STRING_VALUE + " characters");
            }
            return value.textValue();
        }
        throw ApiException.badRequest("\"value\" must be a number, a boolean or a string, not "
                + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    /**
     * The HTTP status for an outcome: done 200; refused by the gate 404 (unknown zone or tag),
     * 409 (read only, interlocked, E-stop, fail-safe) or 422 (out of range, bad type...); refused by the
     * PLC 409; no ack in time 504; not sent 503.
     */
    public static int status(Outcome outcome, String error) {
        return switch (outcome) {
            case DONE -> 200;
            case REFUSED -> 409;
            case TIMEOUT -> 504;
            case NOT_SENT -> 503;
            case REJECTED -> rejectedStatus(error);
        };
    }

    private static int rejectedStatus(String error) {
        if (error == null) {
            return 422;
        }
        return switch (error) {
            case "unknown_zone", "unknown_tag" -> 404;
            case "read_only", "interlocked", "estop", "failsafe" -> 409;
            case "forbidden" -> 403;
            default -> 422; // out_of_range, bad_type, bad_value, bad_request...
        };
    }

    public static Views.CommandReply reply(CommandResult result) {
        Command command = result.command();
        String error = result.outcome() == Outcome.DONE ? null
                : result.error() != null ? result.error() : result.outcome().name().toLowerCase(Locale.ROOT);
        String message = result.message() != null ? result.message() : defaultMessage(result.outcome());
        return reply(result.outcome(), error, message, command);
    }

    public static Views.CommandReply reply(Outcome outcome, String error, String message, Command command) {
        return new Views.CommandReply(outcome.name(), error, message, command.id(), command.zone(), command.tag(),
                command.value());
    }

    static String defaultMessage(Outcome outcome) {
        return switch (outcome) {
            case DONE -> "acknowledged by the PLC";
            case REFUSED -> "refused by the PLC";
            case REJECTED -> "refused by the command gate";
            case TIMEOUT -> "no answer from the PLC in time; the command may or may not have been applied";
            case NOT_SENT -> "not sent to the PLC";
        };
    }
}
