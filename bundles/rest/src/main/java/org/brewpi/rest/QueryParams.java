package org.brewpi.rest;

import java.util.function.Function;

/** Checked reading of query parameters: a missing or malformed one is a 400 naming it. */
public final class QueryParams {

    public static final long DEFAULT_SPAN_MS = 3_600_000L;
    public static final int DEFAULT_POINTS = 500;
    public static final int MAX_POINTS = 5000;
    public static final int DEFAULT_EVENTS = 500;
    public static final int MAX_EVENTS = 5000;
    static final int MAX_TAG_LENGTH = 64;

    private final Function<String, String> params;

    /** @param params the request's parameters by name, e.g. {@code request::getParameter} */
    public QueryParams(Function<String, String> params) {
        this.params = params;
    }

    /** A time window {@code from..to} in epoch ms; by default the hour up to {@code now}. */
    public record Window(long from, long to) {
    }

    public String zone(boolean required) {
        String zone = text("zone");
        if (zone == null) {
            if (required) {
                throw ApiException.badRequest("zone is required");
            }
            return null;
        }
        if (!ZoneDirectory.ZONE_ID.matcher(zone).matches()) {
            throw ApiException.badRequest("zone '" + abbreviate(zone) + "' is not a zone id ([a-z0-9][a-z0-9-]{0,31})");
        }
        return zone;
    }

    public String tag() {
        String tag = text("tag");
        if (tag == null) {
            throw ApiException.badRequest("tag is required");
        }
        if (tag.length() > MAX_TAG_LENGTH || tag.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("tag '" + abbreviate(tag) + "' is not a tag name");
        }
        return tag;
    }

    public Window window(long now) {
        Long to = epochMillis("to");
        Long from = epochMillis("from");
        long end = to != null ? to : from != null ? Math.max(from, now) : now;
        long start = from != null ? from : Math.max(0, end - DEFAULT_SPAN_MS);
        if (start > end) {
            throw ApiException.badRequest("from (" + start + ") is after to (" + end + ")");
        }
        return new Window(start, end);
    }

    public int count(String name, int defaultValue, int max) {
        String raw = text(name);
        if (raw == null) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number, not '" + abbreviate(raw) + "'");
        }
        if (n < 1 || n > max) {
            throw ApiException.badRequest(name + " must be between 1 and " + max + ", not " + n);
        }
        return n;
    }

    private Long epochMillis(String name) {
        String raw = text(name);
        if (raw == null) {
            return null;
        }
        long t;
        try {
            t = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a time in epoch milliseconds, not '" + abbreviate(raw) + "'");
        }
        if (t < 0) {
            throw ApiException.badRequest(name + " must not be negative");
        }
        return t;
    }

    /** A parameter's trimmed value; absent and empty are the same. */
    private String text(String name) {
        String raw = params.apply(name);
        String trimmed = raw == null ? "" : raw.trim(); // trim() also drops control characters such as %00
        return trimmed.isEmpty() ? null : trimmed;
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
