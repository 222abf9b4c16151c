package org.brewpi.rest;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.brewpi.api.batch.BatchAction;
import org.brewpi.api.batch.BatchRecord;
import org.brewpi.api.batch.BatchService;
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
 * Batches (lots) and their records:
 * <ul>
 * <li>{@code GET /api/batches?limit=}: the newest batches first, in short</li>
 * <li>{@code GET /api/batches/{lot}}: the batch record (recipe and its hash, every state change with who, when and
 * why, the CCP evaluation, the signatures)</li>
 * <li>{@code POST /api/batches} {@code {"recipe","lot"?,"reason"?}}: start a batch of an APPROVED recipe (201)</li>
 * <li>{@code POST /api/batches/{lot}/hold|resume|abort} {@code {"reason"}} (supervisor) and {@code /complete}
 * {@code {"reason"?}} (operator)</li>
 * <li>{@code POST /api/batches/{lot}/release} {@code {"pin","reason","deviation"?}}: QA's electronic signature
 * (meaning {@code batch release}, target {@code batch:<lot>}); with a CCP not met or without data a
 * {@code deviation} is needed (409 without one)</li>
 * </ul>
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ BatchesServlet.BATCHES, BatchesServlet.BATCHES + "/*" })
@HttpWhiteboardServletName("brewpi-api-batches")
public class BatchesServlet extends BatchApiServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchesServlet.class);
    static final String BATCHES = "/api/batches";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> START_FIELDS = Set.of("recipe", "lot", "reason");
    private static final Set<String> ACT_FIELDS = Set.of("reason");
    private static final Set<String> RELEASE_FIELDS = Set.of("pin", "reason", "deviation");

    /** A batch in a list: what it is, where it stands. */
    public record Summary(String lot, String recipe, int recipeVersion, String recipeName, String state,
            List<String> zones, long startedAt, long endedAt, boolean released, String deviation) {

        static Summary of(BatchRecord b) {
            return new Summary(b.lot(), b.recipe().id(), b.recipe().version(), b.recipe().name(), b.state().name(),
                    b.zones(), b.startedAt(), b.endedAt(), b.release() != null, b.deviation());
        }
    }

    public record Batches(int count, List<Summary> batches) {
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = ZonesServlet.segments(req.getPathInfo());
        if (path.size() > 2) {
            throw ApiException.notFound("not_found", "no such resource: " + BatchApi.clip(req.getRequestURI()));
        }
        if (path.size() == 2) {
            act(req, resp, path.get(0), path.get(1));
            return;
        }
        if (path.isEmpty() && "POST".equals(req.getMethod())) {
            start(req, resp);
            return;
        }
        if (!"GET".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, path.isEmpty() ? List.of("GET", "POST") : List.of("GET"));
        }
        BatchService s = api.service();
        if (path.isEmpty()) {
            int limit = (int) Math.min(AuditServlet.number(req, "limit", DEFAULT_LIMIT), MAX_LIMIT);
            if (limit < 1) {
                throw ApiException.badRequest("limit must be at least 1");
            }
            List<Summary> list = BatchApi.call(() -> s.batches(limit)).stream().map(Summary::of).toList();
            send(resp, 200, new Batches(list.size(), list));
        } else {
            String lot = path.get(0);
            send(resp, 200, BatchApi.call(() -> s.batch(lot)).orElseThrow(() -> unknown(lot)));
        }
    }

    private void start(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] raw = json.readBytes(req.getInputStream());
        Principal who = api.who(req, resp);
        JsonNode body = BatchApi.object(json.parse(raw), START_FIELDS);
        String recipe = BatchApi.text(body, "recipe", false); // required: checked by the service after the role
        String lot = BatchApi.text(body, "lot", false);
        if (lot != null && lot.isBlank()) {
            throw ApiException.badRequest("\"lot\" must not be empty; leave it out for the next lot number of the day");
        }
        String reason = BatchApi.text(body, "reason", false);
        BatchService s = api.service();
        BatchRecord started = BatchApi.call(() -> s.start(recipe, lot, who, reason));
        LOG.info("Batch {} started through the API by {}", started.lot(), who.user());
        send(resp, 201, started);
    }

    private void act(HttpServletRequest req, HttpServletResponse resp, String lot, String verb) throws IOException {
        boolean release = "release".equals(verb);
        BatchAction action = release ? null : BatchAction.parse(verb)
                .orElseThrow(() -> ApiException.notFound("not_found", "no such resource: " + BatchApi.clip(req.getRequestURI())));
        if (!"POST".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("POST"));
        }
        byte[] raw = json.readBytes(req.getInputStream());
        Principal who = api.who(req, resp);
        JsonNode body = BatchApi.object(json.parse(raw), release ? RELEASE_FIELDS : ACT_FIELDS);
        // required-ness is the service's to check, after the role: a role without the right hears 403 whatever it sent
        String reason = BatchApi.text(body, "reason", false);
        BatchService s = api.service();
        BatchRecord done;
        if (release) {
            String pin = BatchApi.text(body, "pin", false);
            String deviation = BatchApi.text(body, "deviation", false);
            done = BatchApi.call(() -> s.release(lot, who, pin, reason, deviation));
        } else {
            done = BatchApi.call(() -> s.act(lot, action, who, reason));
        }
        LOG.info("Batch {} {} through the API by {}", lot, verb, who.user());
        send(resp, 200, done);
    }

    private static ApiException unknown(String lot) {
        return ApiException.notFound("unknown_batch", "no batch '" + BatchApi.clip(lot) + "'");
    }
}
