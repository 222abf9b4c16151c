package org.brewpi.rest;

import java.io.IOException;
import java.util.List;

import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.SecurityRefusal;
import org.brewpi.api.security.Signature;
import org.brewpi.api.security.Signatures;
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
 * {@code POST /api/signatures} {@code {"pin","meaning","reason","target"}}: the logged-in user signs
 * electronically, entering the PIN again. The answer is the signature as recorded in the audit trail
 * (printed name, UTC time, meaning). API tokens cannot sign: a signature belongs to a person.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/signatures")
@HttpWhiteboardServletName("brewpi-api-signatures")
public class SignaturesServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    record Signed(String user, String printedName, String role, long time, String meaning, String reason, String target,
            long auditSeq) {
        static Signed of(Signature s) {
            return new Signed(s.user(), s.printedName(), s.role().id(), s.time(), s.meaning(), s.reason(), s.target(),
                    s.auditSeq());
        }
    }

    private final transient Signatures signatures;
    private final transient Authenticator authenticator;

    @Activate
    public SignaturesServlet(@Reference Signatures signatures, @Reference Authenticator authenticator) {
        this.signatures = signatures;
        this.authenticator = authenticator;
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"POST".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("POST"));
        }
        JsonNode body = json.readBody(req.getInputStream());
        Principal signer = Auth.require(authenticator, req, resp);
        if (signer.user().startsWith("token:") || "api".equals(signer.user())) {
            throw new ApiException(403, "forbidden", "only a person logged in with a PIN can sign");
        }
        try {
            Signature s = signatures.sign(signer.user(), Auth.text(body, "pin", false, 64),
                    Auth.text(body, "meaning", false, 128), Auth.text(body, "reason", false, 512),
                    Auth.text(body, "target", false, 256), signer.entryPoint());
            send(resp, 201, Signed.of(s));
        } catch (SecurityRefusal e) {
            throw Auth.refused(e);
        }
    }
}
