package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.security.Role;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.brewpi.users.UserService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm actions tried by a person of every role, over HTTP, on the real user directory and audit trail:
 * allowed exactly where the rights table of bundles/users/README.md says, every refusal audited, and every
 * shelving signed (meaning {@code alarm shelve}) before it is done.
 */
class AlarmRoleMatrixTest {

    /** The rights table: acknowledge_alarm is everyone's, shelve_alarm supervisor's, engineer's and admin's. */
    private static final Map<String, Set<Role>> ALLOWED = Map.of(
            "ack", Set.of(Role.OPERATOR, Role.SUPERVISOR, Role.QUALITY, Role.ENGINEER, Role.ADMIN),
            "shelve", Set.of(Role.SUPERVISOR, Role.ENGINEER, Role.ADMIN),
            "unshelve", Set.of(Role.SUPERVISOR, Role.ENGINEER, Role.ADMIN));

    @Test
    void everyRoleActsExactlyWhereTheTableSaysAndRefusalsAreAudited(@TempDir Path dir) throws Exception {
        H2AuditTrail audit = new H2AuditTrail(new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return dir.toString();
            }
        });
        UserService users = new UserService(SecurityServletsTest.config(dir.toString()), audit);
        AlarmServletTest.TestAlarms alarms = new AlarmServletTest.TestAlarms();
        AlarmServlet servlet = new AlarmServlet("");
        servlet.setAlarms(alarms);
        servlet.setAuthenticator(users);
        servlet.setPolicy(users);
        servlet.setSignatures(users);
        servlet.setAudit(audit);
        try (EmbeddedJetty box = new EmbeddedJetty().add(servlet, false, "/api/alarms", "/api/alarms/*")
                .add(new SessionServlet(users, users), false, SessionServlet.SESSION, SessionServlet.PIN)
                .add(new UsersServlet(users, users), false, "/api/users", "/api/users/*").start()) {
            String bootstrap = SecurityServletsTest.config(dir.toString())._api_token();
            for (Role role : Role.values()) {
                String user = "u-" + role.id();
                String token = AlarmServletTest.login(box, bootstrap, user, role.id());
                for (String verb : List.of("ack", "shelve", "unshelve")) {
                    alarms.reset();
                    String body = "shelve".equals(verb)
                            ? "{\"pin\":\"" + AlarmServletTest.PIN + "\",\"reason\":\"matrix\",\"minutes\":5}"
                            : "{\"reason\":\"matrix\"}";
                    HttpResponse<String> r = AlarmServletTest.call(box, "/api/alarms/hlt.pv.hihi/" + verb, body, token);
                    List<AuditEntry> refusals = audit.entries(0, 0, Long.MAX_VALUE, user, "alarm:hlt.pv.hihi", 1000)
                            .stream().filter(e -> "access.refused".equals(e.action())).toList();
                    boolean allowed = ALLOWED.get(verb).contains(role);
                    String what = role.id() + " " + verb;
                    if (allowed) {
                        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(200);
                        assertThat(alarms.calls).as(what).hasSize(1);
                        assertThat(alarms.calls.get(0)).startsWith(verb + " hlt.pv.hihi " + user);
                    } else {
                        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(403);
                        assertThat(alarms.calls).as(what + ": the service is never reached").isEmpty();
                        assertThat(refusals).as(what + ": audited").isNotEmpty();
                        assertThat(refusals.get(refusals.size() - 1).reason()).contains(role.id());
                    }
                }
                long signatures = audit.entries(0, 0, Long.MAX_VALUE, user, "alarm:", 1000).stream()
                        .filter(e -> "signature".equals(e.action()) && "alarm shelve".equals(e.signature())).count();
                assertThat(signatures).as(role.id() + ": one signature per shelving")
                        .isEqualTo(ALLOWED.get("shelve").contains(role) ? 1 : 0);
            }
            assertThat(audit.verify().ok()).isTrue();
        }
    }
}
