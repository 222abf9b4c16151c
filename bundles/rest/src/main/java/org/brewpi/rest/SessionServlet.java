package org.brewpi.rest;

import java.io.IOException;
import java.util.List;

import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.SecurityRefusal;
import org.brewpi.api.security.Session;
import org.brewpi.api.security.Sessions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * PIN logins for the touchscreen (and any client):
 * <ul>
 * <li>{@code POST /api/session} {@code {"user","pin"}}: a session token to send as {@code Authorization: Bearer}</li>
 * <li>{@code GET /api/session}: who is logged in</li>
 * <li>{@code DELETE /api/session}: logout</li>
 * <li>{@code POST /api/session/pin} {@code {"user","pin","newPin"}}: change one's own PIN (required after a
 * one-time PIN)</li>
 * </ul>
 * Wrong credentials answer 401, a locked user 429.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ SessionServlet.SESSION, SessionServlet.PIN })
@HttpWhiteboardServletName("brewpi-api-session")
public class SessionServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    static final String SESSION = "/api/session";
    static final String PIN = "/api/session/pin";
    private static final int MAX_FIELD = 64;

    private final transient Sessions sessions;
    private final transient Authenticator authenticator;

    @Activate
    public SessionServlet(@Reference Sessions sessions, @Reference Authenticator authenticator) {
        this.sessions = sessions;
        this.authenticator = authenticator;
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            if (PIN.equals(req.getServletPath())) {
                if (!"POST".equals(req.getMethod())) {
                    throw methodNotAllowed(resp, req, List.of("POST"));
                }
                JsonNode body = json.readBody(req.getInputStream());
                sessions.changePin(Auth.text(body, "user", true, MAX_FIELD), Auth.text(body, "pin", true, MAX_FIELD),
                        Auth.text(body, "newPin", true, MAX_FIELD), "hmi");
                resp.setStatus(204);
                return;
            }
            switch (req.getMethod()) {
                case "POST" -> {
                    JsonNode body = json.readBody(req.getInputStream());
                    Session s = sessions.login(Auth.text(body, "user", true, MAX_FIELD),
                            Auth.text(body, "pin", true, MAX_FIELD), "hmi");
                    Principal p = s.principal();
                    send(resp, 200, new Auth.LoggedIn(s.token(), p.user(), p.printedName(), p.role().id(),
                            p.mustChangePin(), s.idleTimeoutMs() / 1000));
                }
                case "GET" -> send(resp, 200, Auth.Who.of(Auth.require(authenticator, req, resp)));
                case "DELETE" -> {
                    Auth.require(authenticator, req, resp);
                    sessions.logout(Auth.bearer(req));
                    resp.setStatus(204);
                }
                default -> throw methodNotAllowed(resp, req, List.of("GET", "POST", "DELETE"));
            }
        } catch (SecurityRefusal e) {
            throw Auth.refused(e);
        }
    }
}
