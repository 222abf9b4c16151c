package org.brewpi.hmi.internal;

import java.util.Map;

/** Where the HMI lives and which headers its files carry. */
final class HmiRoutes {

    /** The HMI's address on the box. */
    static final String APP = "/hmi";
    /** The folder of this bundle holding the files. */
    static final String BUNDLE_FOLDER = "/web";
    static final String INDEX = APP + "/index.html";

    /**
     * Every file must be revalidated (a cheap 304 on the LAN): file names carry no version, and a
     * bundle update through deploy/ must reach the panels at their next load, not days later.
     * The CSP keeps the kiosk to this box: no inline script, no other origin, no framing.
     */
    static final Map<String, String> HEADERS = Map.of(
            "Cache-Control", "no-cache",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                    + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
                    + "form-action 'none'; frame-ancestors 'none'");

    enum Route {
        /** {@code /hmi}: the page's relative links need the trailing slash. */
        ADD_SLASH,
        /** {@code /hmi/}: the index page. */
        INDEX,
        /** Anything else under {@code /hmi/}: a file (or a 404 from the whiteboard). */
        FILE,
        /** A folder below {@code /hmi/}: the whiteboard would answer an empty 200. */
        NOT_FOUND,
        /** Not the HMI's business. */
        OTHER
    }

    private HmiRoutes() {
    }

    /** @param path the request path within the servlet context, e.g. {@code /hmi/js/main.js} */
    static Route route(String path) {
        if (path == null) {
            return Route.OTHER;
        }
        if (path.equals(APP)) {
            return Route.ADD_SLASH;
        }
        if (path.equals(APP + "/")) {
            return Route.INDEX;
        }
        if (!path.startsWith(APP + "/")) {
            return Route.OTHER;
        }
        return path.endsWith("/") ? Route.NOT_FOUND : Route.FILE;
    }
}
