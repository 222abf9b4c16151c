package org.brewpi.rest;

import java.util.concurrent.atomic.AtomicReference;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.security.AccessPolicy;
import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.SecurityRefusal;
import org.brewpi.api.security.Signature;
import org.brewpi.api.security.Signatures;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A servlet whose acts need a right, and some an electronic signature: "sign then act" in one place.
 * <ol>
 * <li>{@link #authorize}: the person or token behind the request, whose role must hold the right (401/403/503)</li>
 * <li>check the body (so a typo costs no PIN attempt): {@link Auth#pin}, {@link Auth#reason}</li>
 * <li>{@link #sign}: the logged-in person signs with PIN, reason, meaning and target; the signature is in the
 * audit trail before it returns, and an API token cannot sign (403)</li>
 * <li>act</li>
 * </ol>
 * The users bundle's services and the audit trail are optional, dynamic references declared here once (bnd's
 * {@code -dsannotations-options: inherit} puts them into each subclass's component description). A servlet
 * that extends this class must not declare them again.
 */
public abstract class SecuredServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SecuredServlet.class);

    private final transient AtomicReference<Authenticator> authenticator = new AtomicReference<>();
    private final transient AtomicReference<AccessPolicy> policy = new AtomicReference<>();
    private final transient AtomicReference<Signatures> signatures = new AtomicReference<>();
    private final transient AtomicReference<AuditTrail> audit = new AtomicReference<>();

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
    void setPolicy(AccessPolicy p) {
        policy.set(p);
    }

    void unsetPolicy(AccessPolicy p) {
        policy.compareAndSet(p, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSignatures(Signatures s) {
        signatures.set(s);
    }

    void unsetSignatures(Signatures s) {
        signatures.compareAndSet(s, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAudit(AuditTrail t) {
        audit.set(t);
    }

    void unsetAudit(AuditTrail t) {
        audit.compareAndSet(t, null);
    }

    /** The audit trail, {@code null} while it is not running. */
    protected AuditTrail auditTrail() {
        return audit.get();
    }

    /** Whether the users bundle answers who is asking (else only a bootstrap token may, where allowed). */
    protected boolean usersRunning() {
        return authenticator.get() != null;
    }

    /** Anyone logged in (any role) or any API token; 401 without, 503 while the users bundle is not running. */
    protected Principal signedIn(HttpServletRequest req, HttpServletResponse resp, String what) {
        Authenticator a = authenticator.get();
        if (a == null) {
            throw new ApiException(503, "no_users", what + " needs the user directory, which is not running");
        }
        return Auth.signedIn(a, req, resp);
    }

    /**
     * The person or API token behind the request, whose role holds the right. Refuses a missing or unknown
     * token (401), a one-time PIN not yet changed and a role without the right (403); 503 while the users bundle
     * is not running.
     *
     * @param what what the right allows, for the refusal: "role operator may not {what}"
     * @param refusalTarget the audit target a refusal is recorded on, {@code null} not to record it
     */
    protected Principal authorize(HttpServletRequest req, HttpServletResponse resp, Right right, String what,
            String refusalTarget) {
        Authenticator a = authenticator.get();
        if (a == null) {
            throw new ApiException(503, "no_users", what + " needs the user directory, which is not running");
        }
        Principal p = Auth.signedIn(a, req, resp);
        AccessPolicy rights = policy.get();
        if (rights == null) {
            throw new ApiException(503, "no_policy", "the rights table is not available");
        }
        if (!rights.allows(p.role(), right)) {
            String why = "role " + p.role().id() + " may not " + what;
            if (refusalTarget != null) {
                auditRefusal(p, refusalTarget, why);
            }
            throw new ApiException(403, "forbidden", why);
        }
        return p;
    }

    /**
     * Like {@link #authorize}, but without the users bundle the bootstrap API token of {@code brewpi.rest} opens
     * the act: then {@code null} is returned and the body names the user.
     *
     * @param acts what is refused without a token, plural: "alarm actions", "E-stop resets"
     */
    protected Principal authorizeOrBootstrap(HttpServletRequest req, HttpServletResponse resp, Right right,
            String what, String refusalTarget, BearerToken token, String acts) {
        if (usersRunning()) {
            return authorize(req, resp, right, what, refusalTarget);
        }
        Auth.requireBootstrap(token, acts, req, resp);
        return null;
    }

    /**
     * Refuses before the PIN is checked what cannot sign at all: no signature service (503), the bootstrap token
     * ({@code who == null}, 503 without the users bundle) or an API token (403): a signature belongs to a person.
     * Called before the body is read further, so an API token learns nothing about the body's checks.
     *
     * @param what the act, for the refusal: "shelving", "a bypass", ...
     */
    protected void requireSigner(Principal who, String what) {
        if (who == null || signatures.get() == null) {
            throw new ApiException(503, "no_signatures",
                    what + " needs an electronic signature, and the users service is not running");
        }
        if (who.user().startsWith("token:") || Commands.USER.equals(who.user())) {
            throw new ApiException(403, "forbidden", what + " needs the signature of a person logged in with a PIN; "
                    + "an API token cannot sign");
        }
    }

    /**
     * The logged-in person signs (21 CFR Part 11 §11.50: printed name, time, meaning): the signature is in the
     * audit trail when this returns, so the act that follows is never unsigned. A wrong PIN counts towards the
     * lockout (401, then 429).
     *
     * @param meaning what the signature means, e.g. {@code configuration change}
     * @param target what is signed for, e.g. {@code config:brewpi.alarms}
     */
    protected Signature sign(Principal who, String pin, String reason, String meaning, String target) {
        requireSigner(who, meaning);
        Signatures signer = signatures.get();
        if (signer == null) { // the users bundle went since the check
            throw new ApiException(503, "no_signatures", meaning + " needs an electronic signature, and the users "
                    + "service is not running");
        }
        try {
            return signer.sign(who.user(), pin, meaning, reason, target, who.entryPoint());
        } catch (SecurityRefusal e) {
            throw Auth.refused(e);
        }
    }

    /** A refusal is recorded when the trail can take it; refused it stays either way. */
    private void auditRefusal(Principal p, String target, String why) {
        AuditTrail trail = audit.get();
        if (trail == null) {
            return;
        }
        try {
            trail.append(AuditEntry.of(p.user(), p.entryPoint(), "access.refused", target, null, null, why));
        } catch (RuntimeException e) {
            LOG.warn("Refusal of {} on {} not audited: {}", p.user(), target, e.toString());
        }
    }
}
