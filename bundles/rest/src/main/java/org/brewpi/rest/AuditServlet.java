package org.brewpi.rest;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.audit.AuditVerification;
import org.brewpi.api.security.AccessPolicy;
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

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The audit trail, for those whose role may read it (quality, engineer, admin; the bootstrap token when the
 * users bundle is not running):
 * <ul>
 * <li>{@code GET /api/audit?after=&from=&to=&actor=&target=&limit=}: entries in order; page with {@code after}
 * = the last {@code seq} seen</li>
 * <li>{@code GET /api/audit/verify}: walks the hash chain, {@code {"ok":true,"entries":N}} or the first
 * entry that does not hold</li>
 * </ul>
 */
@Component(service = Servlet.class, configurationPid = RestConfig.PID)
@HttpWhiteboardServletPattern({ AuditServlet.AUDIT, AuditServlet.VERIFY })
@HttpWhiteboardServletName("brewpi-api-audit")
public class AuditServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    static final String AUDIT = "/api/audit";
    static final String VERIFY = "/api/audit/verify";
    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5000;

    public record Page(List<AuditEntry> entries, Long next) {
    }

    private final transient AtomicReference<AuditTrail> trail = new AtomicReference<>();
    private transient volatile BearerToken token;
    private final transient AtomicReference<Authenticator> authenticator = new AtomicReference<>();
    private final transient AtomicReference<AccessPolicy> access = new AtomicReference<>();

    @Activate
    public AuditServlet(RestConfig config) {
        modified(config);
    }

    @Modified
    void modified(RestConfig config) {
        token = BearerToken.of(config._api_token());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setTrail(AuditTrail t) {
        trail.set(t);
    }

    void unsetTrail(AuditTrail t) {
        trail.compareAndSet(t, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAuthenticator(Authenticator a) {
        authenticator.set(a);
    }

    void unsetAuthenticator(Authenticator a) {
        authenticator.compareAndSet(a, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAccess(AccessPolicy p) {
        access.set(p);
    }

    void unsetAccess(AccessPolicy p) {
        access.compareAndSet(p, null);
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"GET".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("GET"));
        }
        authorize(req, resp);
        if (VERIFY.equals(req.getServletPath())) {
            AuditVerification v = available().verify();
            send(resp, 200, v);
            return;
        }
        long after = number(req, "after", 0);
        long from = number(req, "from", 0);
        long to = number(req, "to", Long.MAX_VALUE);
        int limit = (int) Math.min(number(req, "limit", DEFAULT_LIMIT), MAX_LIMIT);
        if (limit < 1 || from > to) {
            throw ApiException.badRequest("limit must be at least 1 and from not after to");
        }
        String actor = text(req, "actor");
        String target = text(req, "target");
        List<AuditEntry> entries = available().entries(after, from, to, actor, target, limit);
        Long next = entries.size() == limit ? entries.get(entries.size() - 1).seq() : null;
        send(resp, 200, new Page(entries, next));
    }

    private void authorize(HttpServletRequest req, HttpServletResponse resp) {
        Authenticator a = authenticator.get();
        AccessPolicy p = access.get();
        if (a != null && p != null) {
            Principal who = Auth.signedIn(a, req, resp);
            if (!p.allows(who.role(), Right.READ_AUDIT)) {
                throw new ApiException(403, "forbidden", "role " + who.role().id() + " may not read the audit trail");
            }
        } else {
            Auth.requireBootstrap(token, "audit trail reads", req, resp);
        }
    }

    private AuditTrail available() {
        AuditTrail t = trail.get();
        if (t == null) {
            throw new ApiException(503, "no_audit", "the audit trail is not running");
        }
        return t;
    }

    static long number(HttpServletRequest req, String name, long fallback) {
        String raw = req.getParameter(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value < 0) {
                throw ApiException.badRequest(name + " must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number, not '" + clip(raw) + "'");
        }
    }

    static String text(HttpServletRequest req, String name) {
        String raw = req.getParameter(name);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.length() > 256) {
            throw ApiException.badRequest(name + " is too long");
        }
        return raw;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
