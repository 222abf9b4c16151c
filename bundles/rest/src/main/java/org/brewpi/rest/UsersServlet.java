package org.brewpi.rest;

import java.io.IOException;
import java.util.List;

import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.api.security.SecurityRefusal;
import org.brewpi.api.security.UserAdmin;
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
 * User and API token administration, for administrators:
 * <ul>
 * <li>{@code GET /api/users}; {@code POST /api/users} {@code {"user","printedName","role","pin"}} (a one-time PIN)</li>
 * <li>{@code PUT /api/users/{user}} {@code {"role"?, "enabled"?}}; {@code POST /api/users/{user}/pin} {@code {"pin"}}</li>
 * <li>{@code GET /api/tokens}; {@code POST /api/tokens} {@code {"name","role"}} (the answer holds the token, shown
 * once); {@code DELETE /api/tokens/{name}} revokes it at once</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ "/api/users", "/api/users/*", "/api/tokens", "/api/tokens/*" })
@HttpWhiteboardServletName("brewpi-api-users")
public class UsersServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final transient UserAdmin admin;
    private final transient Authenticator authenticator;

    @Activate
    public UsersServlet(@Reference UserAdmin admin, @Reference Authenticator authenticator) {
        this.admin = admin;
        this.authenticator = authenticator;
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // Read any body first, so a refused request still leaves the connection usable.
        byte[] body = "GET".equals(req.getMethod()) ? new byte[0] : json.readBytes(req.getInputStream());
        Principal actor = Auth.require(authenticator, req, resp);
        List<String> path = ZonesServlet.segments(req.getPathInfo());
        try {
            if ("/api/tokens".equals(req.getServletPath())) {
                tokens(req, resp, actor, path, body);
            } else {
                users(req, resp, actor, path, body);
            }
        } catch (SecurityRefusal e) {
            throw Auth.refused(e);
        }
    }

    private void users(HttpServletRequest req, HttpServletResponse resp, Principal actor, List<String> path, byte[] body)
            throws IOException {
        String method = req.getMethod();
        if (path.isEmpty()) {
            if ("GET".equals(method)) {
                send(resp, 200, admin.users(actor).stream().map(Auth.User::of).toList());
            } else if ("POST".equals(method)) {
                JsonNode b = json.parse(body);
                send(resp, 201, Auth.User.of(admin.createUser(actor, Auth.text(b, "user", true, 64),
                        Auth.text(b, "printedName", true, 128), role(Auth.text(b, "role", true, 16)),
                        Auth.text(b, "pin", true, 64))));
            } else {
                throw methodNotAllowed(resp, req, List.of("GET", "POST"));
            }
        } else if (path.size() == 1) {
            if (!"PUT".equals(method)) {
                throw methodNotAllowed(resp, req, List.of("PUT"));
            }
            JsonNode b = json.parse(body);
            String roleText = Auth.text(b, "role", false, 16);
            JsonNode enabled = b.get("enabled");
            if (enabled != null && !enabled.isBoolean()) {
                throw ApiException.badRequest("\"enabled\" must be true or false");
            }
            send(resp, 200, Auth.User.of(admin.updateUser(actor, path.get(0), roleText == null ? null : role(roleText),
                    enabled == null ? null : enabled.booleanValue())));
        } else if (path.size() == 2 && "pin".equals(path.get(1))) {
            if (!"POST".equals(method)) {
                throw methodNotAllowed(resp, req, List.of("POST"));
            }
            admin.resetPin(actor, path.get(0), Auth.text(json.parse(body), "pin", true, 64));
            resp.setStatus(204);
        } else {
            throw ApiException.notFound("not_found", "no such resource: " + QueryParams.abbreviate(req.getRequestURI()));
        }
    }

    private void tokens(HttpServletRequest req, HttpServletResponse resp, Principal actor, List<String> path, byte[] body)
            throws IOException {
        String method = req.getMethod();
        if (path.isEmpty()) {
            if ("GET".equals(method)) {
                send(resp, 200, admin.tokens(actor).stream().map(Auth.Token::of).toList());
            } else if ("POST".equals(method)) {
                JsonNode b = json.parse(body);
                send(resp, 201, Auth.Token.of(admin.createToken(actor, Auth.text(b, "name", true, 64),
                        role(Auth.text(b, "role", true, 16)))));
            } else {
                throw methodNotAllowed(resp, req, List.of("GET", "POST"));
            }
        } else if (path.size() == 1) {
            if (!"DELETE".equals(method)) {
                throw methodNotAllowed(resp, req, List.of("DELETE"));
            }
            send(resp, 200, Auth.Token.of(admin.revokeToken(actor, path.get(0))));
        } else {
            throw ApiException.notFound("not_found", "no such resource: " + QueryParams.abbreviate(req.getRequestURI()));
        }
    }

    private static Role role(String text) {
        return Role.parse(text).orElseThrow(() -> ApiException.badRequest(
                "\"role\" must be one of operator, supervisor, quality, engineer, admin"));
    }
}
