package org.brewpi.rest;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.brewpi.api.interlock.Bypass;
import org.brewpi.api.interlock.EmergencyStop;
import org.brewpi.api.interlock.Interlock;
import org.brewpi.api.interlock.InterlockService;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.SecurityRefusal;
import org.brewpi.api.security.Signature;
import org.osgi.service.component.annotations.Component;
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
 * The plant-wide interlocks:
 * <ul>
 * <li>{@code GET /api/interlocks}: every rule with its state, cause, first-out and bypass (tripped first), and
 * the emergency stop's state</li>
 * <li>{@code GET /api/interlocks/{id}}: one rule</li>
 * <li>{@code POST /api/interlocks/{id}/reset} {@code {}}: an operator (or above) resets a latched interlock whose
 * conditions hold again</li>
 * <li>{@code POST /api/interlocks/{id}/bypass} {@code {"pin","reason","minutes"}}: a supervisor signs (PIN and
 * reason: meaning {@code interlock bypass}, target {@code interlock:<id>}), then the interlock is bypassed for
 * that many minutes. A signature belongs to a person: API tokens get 403.</li>
 * <li>{@code POST /api/interlocks/{id}/unbypass} {@code {"reason"}}: ends a bypass early (supervisor)</li>
 * </ul>
 * Reading is open like {@code /api/zones}; acting needs a person or token of the users bundle whose role holds the
 * right. The engine audits every act before it takes effect.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ InterlockServlet.INTERLOCKS, InterlockServlet.INTERLOCKS + "/*" })
@HttpWhiteboardServletName("brewpi-api-interlocks")
public class InterlockServlet extends SecuredServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(InterlockServlet.class);
    static final String INTERLOCKS = "/api/interlocks";
    static final String MEANING = "interlock bypass";
    static final int MAX_REASON = 512;
    static final long MAX_MINUTES = 100_000;

    public record BypassView(String user, String printedName, String reason, long since, long until) {
        static BypassView of(Bypass b) {
            return b == null ? null : new BypassView(b.user(), b.printedName(), b.reason(), b.since(), b.until());
        }
    }

    public record InterlockView(String id, String text, String state, String match, List<String> conditions,
            List<String> blocks, List<String> forces, boolean latched, long delayMs, String cause, long trippedAt,
            boolean firstOut, BypassView bypass) {
        static InterlockView of(Interlock i) {
            return new InterlockView(i.id(), i.text(), i.state().name(), i.match(), i.conditions(), i.blocks(),
                    i.forces(), i.latched(), i.delayMs(), i.cause(), i.trippedAt(), i.firstOut(), BypassView.of(i.bypass()));
        }
    }

    public record Interlocks(List<InterlockView> interlocks, String estop) {
    }

    private final transient AtomicReference<InterlockService> service = new AtomicReference<>();
    private final transient AtomicReference<EmergencyStop> estop = new AtomicReference<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setInterlocks(InterlockService s) {
        service.set(s);
    }

    void unsetInterlocks(InterlockService s) {
        service.compareAndSet(s, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEmergencyStop(EmergencyStop s) {
        estop.set(s);
    }

    void unsetEmergencyStop(EmergencyStop s) {
        estop.compareAndSet(s, null);
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
            EmergencyStop stop = estop.get();
            send(resp, 200, new Interlocks(available().interlocks().stream().map(InterlockView::of).toList(),
                    stop == null ? null : stop.state().name()));
        } else {
            String id = path.get(0);
            send(resp, 200, InterlockView.of(available().interlock(id).orElseThrow(() -> unknown(id))));
        }
    }

    private void act(HttpServletRequest req, HttpServletResponse resp, String id, String verb) throws IOException {
        Right right = switch (verb) {
            case "reset" -> Right.OPERATE;
            case "bypass", "unbypass" -> Right.BYPASS_INTERLOCK;
            default -> throw ApiException.notFound("not_found", "no such resource: " + req.getRequestURI());
        };
        if (!"POST".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("POST"));
        }
        // Read the (small) body even when refusing it, so the connection can carry the next request.
        byte[] raw = json.readBytes(req.getInputStream());
        Principal who = authorize(req, resp, right, right == Right.OPERATE ? "reset interlocks" : "bypass interlocks",
                null);
        JsonNode body = raw.length == 0 && "reset".equals(verb) ? json.tree(java.util.Map.of()) : json.parse(raw);
        InterlockService interlocks = available();
        try {
            Interlock done = switch (verb) {
                case "reset" -> {
                    fields(body, Set.of());
                    yield interlocks.reset(id, who.user(), who.entryPoint());
                }
                case "bypass" -> bypass(interlocks, who, id, body);
                default -> {
                    fields(body, Set.of("reason"));
                    yield interlocks.endBypass(id, who.user(), who.entryPoint(), AlarmServlet.text(body, "reason", false));
                }
            };
            LOG.info("Interlock {} {} by {} through the API", id, verb, who.user());
            send(resp, 200, InterlockView.of(done));
        } catch (NoSuchElementException e) {
            throw unknown(id);
        } catch (SecurityRefusal e) {
            throw Auth.refused(e);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            // with a cause: the audit trail could not record the act, so it was not done
            throw e.getCause() != null ? new ApiException(503, "audit_unavailable", e.getMessage())
                    : new ApiException(409, "conflict", e.getMessage());
        }
    }

    /** Signs for the logged-in person first (the signature is audited), then bypasses with it. */
    private Interlock bypass(InterlockService interlocks, Principal who, String id, JsonNode body) {
        fields(body, Set.of("pin", "reason", "minutes"));
        requireSigner(who, "a bypass");
        String pin = Auth.pin(body);
        String reason = AlarmServlet.text(body, "reason", true);
        JsonNode minutes = body.get("minutes");
        if (minutes == null || !minutes.canConvertToExactIntegral() || minutes.asLong() < 1
                || minutes.asLong() > MAX_MINUTES) {
            throw ApiException.badRequest("'minutes' must be a whole number of minutes, at least 1");
        }
        interlocks.interlock(id).orElseThrow(() -> unknown(id)); // no signature for what does not exist
        Signature signature = sign(who, pin, reason, MEANING, "interlock:" + id);
        return interlocks.bypass(id, signature, minutes.asLong() * 60_000L, who.entryPoint());
    }

    /** Refuses a body that is not an object or carries fields the action does not take. */
    private static void fields(JsonNode body, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw ApiException.badRequest("unknown field '" + QueryParams.abbreviate(f) + "'"
                        + (allowed.isEmpty() ? ": the body must be {}" : "; expected " + allowed));
            }
        });
    }

    private static ApiException unknown(String id) {
        return ApiException.notFound("unknown_interlock", "no interlock '" + QueryParams.abbreviate(id) + "'");
    }

    private InterlockService available() {
        InterlockService s = service.get();
        if (s == null) {
            throw new ApiException(503, "no_interlocks", "the interlock engine is not running");
        }
        return s;
    }
}
