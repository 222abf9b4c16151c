package org.brewpi.rest;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmMetrics;
import org.brewpi.api.alarm.AlarmService;
import org.brewpi.api.alarm.AlarmTransition;
import org.brewpi.api.alarm.OutOfService;
import org.brewpi.api.alarm.Shelf;
import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Right;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The plant's alarms (ISA-18.2):
 * <ul>
 * <li>{@code GET /api/alarms}: every alarm, most urgent first, with its state and overlays</li>
 * <li>{@code GET /api/alarms/{id}}: one alarm</li>
 * <li>{@code GET /api/alarms/journal?limit=}: the latest transitions, newest first</li>
 * <li>{@code GET /api/alarms/metrics}: alarm rate, floods, chattering and stale alarms, top-10 share</li>
 * <li>{@code POST /api/alarms/{id}/ack} {@code {"user":..,"comment":..}}</li>
 * <li>{@code POST /api/alarms/{id}/shelve} {@code {"pin":..,"reason":..,"minutes":..}}: an electronic signature
 * (meaning {@code alarm shelve}, target {@code alarm:<id>}) by the person logged in; no or 0 minutes shelves
 * one-shot (until the alarm returns to normal, at most the maximum shelving time)</li>
 * <li>{@code POST /api/alarms/{id}/unshelve} {@code {"user":..,"reason":..}}</li>
 * </ul>
 * Reading is open like {@code /api/zones}; acting needs a bearer token. With the users bundle running
 * ({@link Authenticator}), the token names the user, whose role must hold the right to acknowledge or to
 * shelve; a {@code user} in the body is then ignored. Without it only the bootstrap token of
 * {@code brewpi.rest} is accepted and the user is the one the body names. The audit trail records that user.
 */
@Component(service = Servlet.class, configurationPid = RestConfig.PID)
@HttpWhiteboardServletPattern({ AlarmServlet.ALARMS, AlarmServlet.ALARMS + "/*" })
@HttpWhiteboardServletName("brewpi-api-alarms")
public class AlarmServlet extends SecuredServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AlarmServlet.class);
    static final String ALARMS = "/api/alarms";
    static final String ENTRY_POINT = "rest";
    static final int DEFAULT_JOURNAL = 200;
    static final int MAX_JOURNAL = 1000;
    static final int MAX_TEXT = 256;
    static final String SHELVE_MEANING = "alarm shelve";

    /** An alarm as the HMI and other clients see it: flat, times in epoch ms, 0 when none. */
    public record AlarmView(String id, String zone, String tag, String kind, String priority, String state,
            boolean active, boolean acknowledged, boolean annunciated, String message, String value, double limit,
            double deadband, long onDelayMs, long offDelayMs, String source, long activeSince, long lastChange,
            String ackUser, long ackTime, Shelf shelf, boolean suppressed, OutOfService outOfService) {

        static AlarmView of(Alarm a) {
            AlarmDefinition d = a.definition();
            return new AlarmView(d.id(), d.zone(), d.tag(), d.kind().name(), d.priority().wire(), a.state().name(),
                    a.state().active(), a.state().acknowledged(), a.annunciated(), d.message(), a.value(), d.limit(),
                    d.deadband(), d.onDelayMs(), d.offDelayMs(), d.source(), a.activeSince(), a.lastChange(),
                    a.ackUser(), a.ackTime(), a.shelf(), a.suppressed(), a.outOfService());
        }
    }

    public record Alarms(int count, int unacknowledged, List<AlarmView> alarms) {
    }

    public record Journal(int limit, List<AlarmTransition> transitions) {
    }

    private final transient AtomicReference<AlarmService> service = new AtomicReference<>();
    private transient volatile BearerToken token;

    @Activate
    public AlarmServlet(RestConfig config) {
        modified(config);
    }

    AlarmServlet(String apiToken) {
        token = BearerToken.of(apiToken);
    }

    @Modified
    void modified(RestConfig config) {
        token = BearerToken.of(config._api_token());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAlarms(AlarmService s) {
        service.set(s);
    }

    void unsetAlarms(AlarmService s) {
        service.compareAndSet(s, null);
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = ZonesServlet.segments(req.getPathInfo());
        if (path.size() == 2) {
            act(req, resp, path.get(0), path.get(1));
            return;
        }
        if (path.size() > 2) {
            throw ApiException.notFound("not_found", "no such resource: " + req.getRequestURI());
        }
        if (!"GET".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("GET"));
        }
        if (path.isEmpty()) {
            List<AlarmView> alarms = available().alarms().stream().map(AlarmView::of).toList();
            int unacknowledged = (int) alarms.stream().filter(a -> !a.acknowledged()).count();
            send(resp, 200, new Alarms(alarms.size(), unacknowledged, alarms));
        } else if ("journal".equals(path.get(0))) {
            int limit = (int) Math.min(AuditServlet.number(req, "limit", DEFAULT_JOURNAL), MAX_JOURNAL);
            if (limit < 1) {
                throw ApiException.badRequest("limit must be at least 1");
            }
            send(resp, 200, new Journal(limit, available().journal(limit)));
        } else if ("metrics".equals(path.get(0))) {
            AlarmMetrics metrics = available().metrics();
            send(resp, 200, metrics);
        } else {
            String id = path.get(0);
            send(resp, 200, AlarmView.of(available().alarm(id).orElseThrow(() -> unknown(id))));
        }
    }

    /** Who acts, as the token and (for the bootstrap token) the body say. */
    private record Actor(String user, String entryPoint) {
    }

    private interface Act {
        Alarm apply(AlarmService alarms, Actor actor, JsonNode body);
    }

    private void act(HttpServletRequest req, HttpServletResponse resp, String id, String verb) throws IOException {
        Right right = switch (verb) {
            case "ack" -> Right.ACKNOWLEDGE_ALARM;
            case "shelve", "unshelve" -> Right.SHELVE_ALARM;
            default -> throw ApiException.notFound("not_found", "no such resource: " + req.getRequestURI());
        };
        Act act = switch (verb) {
            case "ack" -> (alarms, who, body) -> alarms.acknowledge(id, who.user(), who.entryPoint(),
                    text(body, "comment", false));
            case "shelve" -> (alarms, who, body) -> alarms.shelve(id, who.user(), who.entryPoint(),
                    text(body, "reason", true), minutes(body) * 60_000L);
            default -> (alarms, who, body) -> alarms.unshelve(id, who.user(), who.entryPoint(),
                    text(body, "reason", false));
        };
        if (!"POST".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("POST"));
        }
        // Read the (small) body even when refusing it, so the connection can carry the next request.
        byte[] raw = json.readBytes(req.getInputStream());
        Principal principal = authorizeOrBootstrap(req, resp, right, right.id().replace('_', ' '), "alarm:" + id,
                token, "alarm actions");
        JsonNode body = json.parse(raw);
        if (!body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        Actor who = principal != null ? new Actor(principal.user(), principal.entryPoint())
                : new Actor(text(body, "user", true), ENTRY_POINT);
        try {
            if ("shelve".equals(verb)) {
                sign(principal, id, body);
            }
            Alarm done = act.apply(available(), who, body);
            LOG.info("Alarm {} {} by {} through the API", id, verb, who.user());
            send(resp, 200, AlarmView.of(done));
        } catch (NoSuchElementException e) {
            throw unknown(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            // with a cause: the audit trail could not record the act, so it was not done
            throw e.getCause() != null ? new ApiException(503, "audit_unavailable", e.getMessage())
                    : new ApiException(409, "conflict", e.getMessage());
        }
    }

    /**
     * Shelving is a critical act: the person re-enters the PIN and gives the reason, and the signature is in the
     * audit trail before the alarm is shelved. The body is checked first, so a typo costs no PIN attempt; an API
     * token (or the bootstrap token) cannot sign, a signature belongs to a person.
     */
    private void sign(Principal principal, String id, JsonNode body) {
        requireSigner(principal, "shelving");
        String reason = text(body, "reason", true);
        minutes(body);
        String pin = Auth.pin(body);
        if (available().alarm(id).isEmpty()) {
            throw unknown(id);
        }
        sign(principal, pin, reason, SHELVE_MEANING, "alarm:" + id);
    }

    static String text(JsonNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest("'" + field + "' is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string");
        }
        String value = node.asText().trim();
        if (required && value.isEmpty()) {
            throw ApiException.badRequest("'" + field + "' must not be empty");
        }
        if (value.length() > MAX_TEXT) {
            throw ApiException.badRequest("'" + field + "' is longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    /** Whole minutes, 0 (or absent) for one-shot; the service checks the maximum. */
    static long minutes(JsonNode body) {
        JsonNode node = body.get("minutes");
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.canConvertToExactIntegral() || node.asLong() < 0 || node.asLong() > 100_000) {
            throw ApiException.badRequest("'minutes' must be a whole number of minutes, 0 for one-shot");
        }
        return node.asLong();
    }

    private static ApiException unknown(String id) {
        String shown = id.length() > 64 ? id.substring(0, 64) + "…" : id;
        return ApiException.notFound("unknown_alarm", "no alarm '" + shown + "'");
    }

    private AlarmService available() {
        AlarmService s = service.get();
        if (s == null) {
            throw new ApiException(503, "no_alarms", "the alarm engine is not running");
        }
        return s;
    }
}
