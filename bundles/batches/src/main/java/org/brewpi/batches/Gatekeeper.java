package org.brewpi.batches;

import java.util.concurrent.atomic.AtomicReference;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.batch.BatchRefusal;
import org.brewpi.api.security.AccessPolicy;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Signature;
import org.brewpi.api.security.Signatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every act passes through before it is done: the actor's right (a refusal audited), the texts it gives, the
 * signature where one is needed, and the audit entry of the act itself. Holds the services that do it.
 */
final class Gatekeeper {

    private static final Logger LOG = LoggerFactory.getLogger(Gatekeeper.class);
    static final int MAX_REASON = 512;
    static final int MAX_PIN = 64;

    final AtomicReference<AuditTrail> audit = new AtomicReference<>();
    final AtomicReference<AccessPolicy> policy = new AtomicReference<>();
    final AtomicReference<Signatures> signatures = new AtomicReference<>();

    /** Refuses (and audits the refusal of) a role without the right. */
    void allowed(Principal who, Right right, String target) {
        if (who == null || who.user() == null || who.role() == null) {
            throw new BatchRefusal("forbidden", "who acts is not known");
        }
        if (who.mustChangePin()) {
            throw new BatchRefusal("forbidden", "change the one-time PIN first");
        }
        AccessPolicy p = policy.get();
        if (p == null) {
            throw new BatchRefusal("unavailable", "the rights table (users service) is not running");
        }
        if (!p.allows(who.role(), right)) {
            String why = "role " + who.role().id() + " may not " + right.id().replace('_', ' ');
            AuditTrail t = audit.get();
            if (t != null) {
                try {
                    t.append(AuditEntry.of(who.user(), who.entryPoint(), "access.refused", shorten(target), null, null, why));
                } catch (RuntimeException e) {
                    LOG.warn("Refusal of {} on {} not audited: {}", who.user(), shorten(target), e.toString());
                }
            }
            throw new BatchRefusal("forbidden", why);
        }
    }

    /** A signature belongs to a person with a PIN; the reason is the one signed. */
    static String signable(Principal who, String pin, String reason) {
        if (who.user().startsWith("token:") || "api".equals(who.user())) {
            throw new BatchRefusal("forbidden",
                    "this needs the electronic signature of a person logged in with a PIN; an API token cannot sign");
        }
        String why = requiredText(reason, "reason");
        if (pin == null || pin.isEmpty() || pin.length() > MAX_PIN) {
            throw new BatchRefusal("bad_request", "'pin' is required: the signer's PIN, entered again");
        }
        return why;
    }

    Signature sign(Principal who, String pin, String meaning, String why, String target) {
        Signatures s = signatures.get();
        if (s == null) {
            throw new BatchRefusal("unavailable", "signing needs the users service, which is not running");
        }
        return s.sign(who.user(), pin, meaning, why, target, who.entryPoint()); // SecurityRefusal goes to the caller
    }

    void audit(AuditEntry entry) {
        AuditTrail t = audit.get();
        if (t == null) {
            throw new BatchRefusal("unavailable", "the audit trail is not running: nothing was done");
        }
        try {
            t.append(entry);
        } catch (RuntimeException e) {
            throw unavailable("the audit trail cannot record the act: nothing was done", e);
        }
    }

    static String requiredText(String value, String field) {
        String v = optionalText(value, field);
        if (v == null) {
            throw new BatchRefusal("bad_request", "'" + field + "' is required");
        }
        return v;
    }

    static String optionalText(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.length() > MAX_REASON) {
            throw new BatchRefusal("bad_request", "'" + field + "' is longer than " + MAX_REASON + " characters");
        }
        return v;
    }

    static String shorten(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }


    private static BatchRefusal unavailable(String what, Exception e) {
        LOG.error("{}: {}", what, e.toString());
        return new BatchRefusal("unavailable", what);
    }
}
