package org.brewpi.rest;

import java.io.IOException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Base of the API's servlets: every answer, errors included, is JSON; a refused request is an
 * {@link ApiException}, anything else unexpected becomes a 500 with one log line.
 */
public abstract class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final long MAX_DRAIN_BYTES = 64 * 1024;

    protected final transient Json json = new Json();

    @Override
    protected final void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            handle(req, resp);
        } catch (ApiException e) {
            drain(req);
            sendError(resp, e);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed: {}", req.getMethod(), req.getRequestURI(), e.toString(), e);
            drain(req);
            // the log has the details; the answer must not show the server's insides
            sendError(resp, new ApiException(500, "internal", "internal error; the box's log has the details"));
        }
    }

    /**
     * Reads what is left of a refused request's body (a bounded amount), so Jetty can keep the connection:
     * a client that reuses it would otherwise find it closed under its next request.
     */
    static void drain(HttpServletRequest req) {
        try {
            var in = req.getInputStream();
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while (total < MAX_DRAIN_BYTES && (n = in.read(buffer)) > 0) {
                total += n;
            }
        } catch (IOException | RuntimeException e) {
            // already read, broken framing, or the client went away: nothing to keep
        }
    }

    protected abstract void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException;

    protected void send(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        json.write(resp.getOutputStream(), body);
    }

    protected void sendError(HttpServletResponse resp, ApiException e) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer(); // keeps headers such as Allow
        send(resp, e.status(), new Views.Error(e.code(), e.getMessage()));
    }

    /** Refuses a method the resource does not have, naming the ones it has. */
    protected static ApiException methodNotAllowed(HttpServletResponse resp, HttpServletRequest req,
            List<String> allowed) {
        resp.setHeader("Allow", String.join(", ", allowed));
        return new ApiException(405, "method_not_allowed",
                req.getMethod() + " is not allowed here; use " + String.join(" or ", allowed));
    }
}
