package org.brewpi.rest;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.brewpi.api.health.HealthContributor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * In front of everything the box serves (API, live feed, HMI):
 * <ul>
 * <li>security headers on every answer: {@code nosniff}, no framing by other sites, no referrer, HSTS over
 * HTTPS, and {@code Cache-Control: no-store} for the API (its answers hold tokens and plant state);</li>
 * <li>only GET, HEAD, POST, PUT and DELETE (TRACE would echo the Authorization header back; the others have no
 * use here): 405 otherwise;</li>
 * <li>CSRF: a state-changing request, or a WebSocket upgrade, that a browser marks as coming from another site
 * ({@code Origin} not this box, or {@code Sec-Fetch-Site} cross-site/same-site) is refused with 403. Clients
 * that are not browsers send neither header and are judged by their bearer token alone;</li>
 * <li>a query string that cannot be decoded is a 400, before any servlet sees it.</li>
 * </ul>
 */
@Component(service = { Filter.class, HealthContributor.class })
@HttpWhiteboardFilterPattern("/*")
@HttpWhiteboardFilterName("brewpi-web-hardening")
public class WebHardening implements Filter, HealthContributor {

    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE");
    static final String ALLOWED = "GET, HEAD, POST, PUT, DELETE";
    static final String HSTS = "max-age=31536000";

    private final Json json = new Json();
    private final LongAdder crossSite = new LongAdder();
    private final LongAdder badMethods = new LongAdder();
    private final LongAdder badQueries = new LongAdder();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        headers(req, resp);
        String method = req.getMethod();
        if (!METHODS.contains(method)) {
            badMethods.increment();
            resp.setHeader("Allow", ALLOWED);
            refuse(req, resp, 405, "method_not_allowed", "method " + QueryParams.abbreviate(method)
                    + " is not served here; use " + ALLOWED);
            return;
        }
        if (needsSameOrigin(req) && crossSite(req)) {
            crossSite.increment();
            refuse(req, resp, 403, "cross_site", "refused: the request comes from another site (Origin "
                    + QueryParams.abbreviate(String.valueOf(req.getHeader("Origin"))) + ")");
            return;
        }
        try {
            req.getParameterMap(); // decodes the query string now, so a broken one is the client's 400
        } catch (RuntimeException e) {
            badQueries.increment();
            refuse(req, resp, 400, "bad_request", "the query string is not valid (percent-encoding or size)");
            return;
        }
        chain.doFilter(request, response);
    }

    static void headers(HttpServletRequest req, HttpServletResponse resp) {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
        resp.setHeader("Referrer-Policy", "no-referrer");
        if (req.isSecure()) {
            resp.setHeader("Strict-Transport-Security", HSTS);
        }
        String path = req.getRequestURI();
        if (path != null && path.startsWith("/api/")) {
            resp.setHeader("Cache-Control", "no-store");
        }
    }

    /**
     * POST, PUT and DELETE change state; a WebSocket upgrade is not covered by the browser's same-origin policy,
     * so another site's page could otherwise read the live feed.
     */
    private static boolean needsSameOrigin(HttpServletRequest req) {
        return !"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())
                || "websocket".equalsIgnoreCase(req.getHeader("Upgrade"));
    }

    /** Whether a browser says the request was made by a page of another site. */
    static boolean crossSite(HttpServletRequest req) {
        String fetchSite = req.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equalsIgnoreCase("same-origin") && !fetchSite.equalsIgnoreCase("none")) {
            return true;
        }
        String origin = req.getHeader("Origin");
        return origin != null && !sameOrigin(origin, req.getHeader("Host"), req.isSecure());
    }

    /** {@code Origin: https://box:8443} against {@code Host: box:8443}: same host and port. */
    static boolean sameOrigin(String origin, String host, boolean secure) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            URI o = URI.create(origin.trim());
            URI h = URI.create((secure ? "https://" : "http://") + host.trim());
            if (o.getScheme() == null || o.getHost() == null || h.getHost() == null) {
                return false;
            }
            return o.getHost().equalsIgnoreCase(h.getHost()) && port(o) == port(h);
        } catch (IllegalArgumentException e) {
            return false; // "null", garbage: not this box
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    private void refuse(HttpServletRequest req, HttpServletResponse resp, int status, String code, String message)
            throws IOException {
        ApiServlet.drain(req); // so the client's connection can carry its next request
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        json.write(resp.getOutputStream(), new Views.Error(code, message));
    }

    @Override
    public String name() {
        return "web";
    }

    @Override
    public Status status() {
        return Status.UP;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("crossSiteRefused", crossSite.sum());
        details.put("methodsRefused", badMethods.sum());
        details.put("badQueryStrings", badQueries.sum());
        return details;
    }
}
