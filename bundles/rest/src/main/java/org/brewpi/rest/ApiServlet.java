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

    protected final transient Json json = new Json();

    @Override
    protected final void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            handle(req, resp);
        } catch (ApiException e) {
            sendError(resp, e);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed: {}", req.getMethod(), req.getRequestURI(), e.toString(), e);
            sendError(resp, new ApiException(500, "internal", "internal error: " + e.getClass().getSimpleName()));
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
