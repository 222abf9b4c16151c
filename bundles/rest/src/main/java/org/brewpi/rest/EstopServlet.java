package org.brewpi.rest;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.brewpi.api.interlock.EmergencyStop;
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
 * The hardware emergency stop:
 * <ul>
 * <li>{@code GET /api/estop} → {@code {"state":"CLEAR|PRESSED|RESET_NEEDED","pressedAt":ms}}</li>
 * <li>{@code POST /api/estop/reset} {@code {}}: after the button is released, by a user whose role may
 * operate the plant (operator or above); audited as that user. 409 while the button is still pressed.</li>
 * </ul>
 * Reading is open like {@code /api/zones}. Without the users bundle only the bootstrap token may reset, as the
 * user the body names ({@code {"user":..}}).
 */
@Component(service = Servlet.class, configurationPid = RestConfig.PID)
@HttpWhiteboardServletPattern({ EstopServlet.ESTOP, EstopServlet.ESTOP + "/*" })
@HttpWhiteboardServletName("brewpi-api-estop")
public class EstopServlet extends SecuredServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EstopServlet.class);
    static final String ESTOP = "/api/estop";

    public record Estop(String state, long pressedAt) {
        static Estop of(EmergencyStop e) {
            return new Estop(e.state().name(), e.pressedAt());
        }
    }

    private final transient AtomicReference<EmergencyStop> estop = new AtomicReference<>();
    private transient volatile BearerToken token;

    @Activate
    public EstopServlet(RestConfig config) {
        modified(config);
    }

    EstopServlet(String apiToken) {
        token = BearerToken.of(apiToken);
    }

    @Modified
    void modified(RestConfig config) {
        token = BearerToken.of(config._api_token());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEstop(EmergencyStop e) {
        estop.set(e);
    }

    void unsetEstop(EmergencyStop e) {
        estop.compareAndSet(e, null);
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = ZonesServlet.segments(req.getPathInfo());
        if (path.isEmpty()) {
            if (!"GET".equals(req.getMethod())) {
                throw methodNotAllowed(resp, req, List.of("GET"));
            }
            send(resp, 200, Estop.of(available()));
        } else if (path.size() == 1 && "reset".equals(path.get(0))) {
            if (!"POST".equals(req.getMethod())) {
                throw methodNotAllowed(resp, req, List.of("POST"));
            }
            reset(req, resp);
        } else {
            throw ApiException.notFound("not_found", "no such resource: " + req.getRequestURI());
        }
    }

    private void reset(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // read the (small) body even when refusing it, so the connection can carry the next request
        byte[] raw = json.readBytes(req.getInputStream());
        Principal principal = authorizeOrBootstrap(req, resp, Right.OPERATE, "reset the emergency stop", null, token,
                "E-stop resets");
        JsonNode body = raw.length == 0 ? json.parse("{}".getBytes()) : json.parse(raw);
        if (!body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object, e.g. {}");
        }
        String user = principal != null ? principal.user() : AlarmServlet.text(body, "user", true);
        String entryPoint = principal != null ? principal.entryPoint() : AlarmServlet.ENTRY_POINT;
        EmergencyStop e = available();
        try {
            e.reset(user, entryPoint);
        } catch (IllegalArgumentException ex) {
            throw ApiException.badRequest(ex.getMessage());
        } catch (IllegalStateException ex) {
            // with a cause: the audit trail could not record the reset, so it was not done
            throw ex.getCause() != null ? new ApiException(503, "audit_unavailable", ex.getMessage())
                    : new ApiException(409, "estop_pressed", ex.getMessage());
        }
        LOG.info("E-stop reset by {} through the API", user);
        send(resp, 200, Estop.of(e));
    }

    private EmergencyStop available() {
        EmergencyStop e = estop.get();
        if (e == null) {
            throw new ApiException(503, "no_estop", "the hardware layer (E-stop) is not running");
        }
        return e;
    }
}
