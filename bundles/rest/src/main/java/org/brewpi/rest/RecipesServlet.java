package org.brewpi.rest;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.brewpi.api.batch.BatchService;
import org.brewpi.api.batch.Recipe;
import org.brewpi.api.security.Principal;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Recipes (files {@code conf/recipes/<id>.json}, see bundles/batches):
 * <ul>
 * <li>{@code GET /api/recipes}: every recipe with its status (DRAFT or APPROVED) and approval signature</li>
 * <li>{@code GET /api/recipes/{id}}: one recipe</li>
 * <li>{@code POST /api/recipes/{id}/approve} {@code {"pin","reason","sha256"?}}: QA's electronic signature (meaning
 * {@code recipe approval}, target {@code recipe:<id>@<version>#<sha256>}); {@code sha256}, when given, must be the
 * content the signer looked at</li>
 * </ul>
 * Reading is open like {@code /api/alarms}; approving needs a person logged in with a PIN whose role holds
 * {@code approve_recipe}: an API token cannot sign (403), no PIN or reason is a 400, a wrong PIN a 401.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ RecipesServlet.RECIPES, RecipesServlet.RECIPES + "/*" })
@HttpWhiteboardServletName("brewpi-api-recipes")
public class RecipesServlet extends BatchApiServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RecipesServlet.class);
    static final String RECIPES = "/api/recipes";
    private static final Set<String> APPROVE_FIELDS = Set.of("pin", "reason", "sha256");

    public record Recipes(int count, List<Recipe> recipes) {
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = ZonesServlet.segments(req.getPathInfo());
        if (path.size() > 2 || (path.size() == 2 && !"approve".equals(path.get(1)))) {
            throw ApiException.notFound("not_found", "no such resource: " + BatchApi.clip(req.getRequestURI()));
        }
        if (path.size() == 2) {
            approve(req, resp, path.get(0));
            return;
        }
        if (!"GET".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("GET"));
        }
        BatchService s = api.service();
        if (path.isEmpty()) {
            List<Recipe> all = BatchApi.call(s::recipes);
            send(resp, 200, new Recipes(all.size(), all));
        } else {
            String id = path.get(0);
            send(resp, 200, BatchApi.call(() -> s.recipe(id)).orElseThrow(() -> unknown(id)));
        }
    }

    private void approve(HttpServletRequest req, HttpServletResponse resp, String id) throws IOException {
        if (!"POST".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("POST"));
        }
        // read the (small) body even when refusing, so the connection can carry the next request
        byte[] raw = json.readBytes(req.getInputStream());
        Principal who = api.who(req, resp);
        JsonNode body = BatchApi.object(json.parse(raw), APPROVE_FIELDS);
        // required-ness is the service's to check, after the role: a role without the right hears 403 whatever it sent
        String reason = BatchApi.text(body, "reason", false);
        String pin = BatchApi.text(body, "pin", false);
        String sha256 = BatchApi.text(body, "sha256", false);
        BatchService s = api.service();
        if (s.recipe(id).isEmpty()) {
            throw unknown(id);
        }
        Recipe approved = BatchApi.call(() -> s.approve(id, sha256, who, pin, reason));
        LOG.info("Recipe {} approved through the API by {}", id, who.user());
        send(resp, 200, approved);
    }

    private static ApiException unknown(String id) {
        return ApiException.notFound("unknown_recipe", "no recipe '" + BatchApi.clip(id) + "'");
    }
}
