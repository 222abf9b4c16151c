package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.Annotation;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.batch.BatchAction;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.brewpi.batches.BatchManager;
import org.brewpi.users.UserService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every recipe and batch act tried by every role over HTTP: allowed exactly where the rights table says, refusals audited. */
class BatchRoleMatrixTest {

    /** bundles/users' rights table, as docs/security.md and bundles/batches/README.md state it. */
    private static final Map<String, Set<Role>> ALLOWED = Map.of(
            "approve", Set.of(Role.QUALITY),
            "start", Set.of(Role.OPERATOR, Role.SUPERVISOR, Role.ENGINEER, Role.ADMIN),
            "hold", Set.of(Role.SUPERVISOR, Role.ENGINEER, Role.ADMIN),
            "resume", Set.of(Role.SUPERVISOR, Role.ENGINEER, Role.ADMIN),
            "abort", Set.of(Role.SUPERVISOR, Role.ENGINEER, Role.ADMIN),
            "complete", Set.of(Role.OPERATOR, Role.SUPERVISOR, Role.ENGINEER, Role.ADMIN),
            "release", Set.of(Role.QUALITY));
    private static final String PIN = AlarmServletTest.PIN;

    @TempDir
    Path dir;

    @Test
    void everyRoleActsExactlyWhereTheTableSaysAndRefusalsAreAudited() throws Exception {
        Files.createDirectories(dir.resolve("conf/recipes"));
        for (Role role : Role.values()) {
            Files.writeString(dir.resolve("conf/recipes/r-" + role.id() + ".json"),
                    BatchServletsTest.RECIPE.replace("\"ipa\"", "\"r-" + role.id() + "\""));
        }
        Files.writeString(dir.resolve("conf/recipes/r-run.json"), BatchServletsTest.RECIPE.replace("\"ipa\"", "\"r-run\""));
        H2AuditTrail audit = new H2AuditTrail(new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return dir.toString();
            }
        });
        UserService users = new UserService(SecurityServletsTest.config(dir.toString()), audit);
        BatchManager batches = new BatchManager(BatchServletsTest.config(dir));
        batches.setAudit(audit);
        batches.setPolicy(users);
        batches.setSignatures(users);
        RecipesServlet recipes = new RecipesServlet();
        recipes.setBatches(batches);
        recipes.setAuthenticator(users);
        BatchesServlet lots = new BatchesServlet();
        lots.setBatches(batches);
        lots.setAuthenticator(users);
        try (EmbeddedJetty box = new EmbeddedJetty().add(recipes, false, "/api/recipes", "/api/recipes/*")
                .add(lots, false, "/api/batches", "/api/batches/*")
                .add(new SessionServlet(users, users), false, SessionServlet.SESSION, SessionServlet.PIN)
                .add(new UsersServlet(users, users), false, "/api/users", "/api/users/*").start()) {
            String bootstrap = SecurityServletsTest.config(dir.toString())._api_token();
            Map<Role, String> tokens = new EnumMap<>(Role.class);
            for (Role role : Role.values()) {
                tokens.put(role, AlarmServletTest.login(box, bootstrap, "m-" + role.id(), role.id()));
            }
            // the same people, as the set-up steps act for them
            Principal op = users.login("m-operator", PIN, "hmi").principal();
            Principal sup = users.login("m-supervisor", PIN, "hmi").principal();
            Principal qa = users.login("m-quality", PIN, "hmi").principal();
            await().atMost(Duration.ofSeconds(10)).until(() -> batches.recipes().size() == Role.values().length + 1);
            batches.approve("r-run", null, qa, PIN, "the recipe the batches run");

            int n = 0;
            for (Role role : Role.values()) {
                String token = tokens.get(role);
                for (String act : List.of("approve", "start", "hold", "resume", "abort", "complete", "release")) {
                    String lot = "M-" + (++n);
                    String path;
                    String body;
                    String target;
                    if (act.equals("approve")) {
                        path = "/api/recipes/r-" + role.id() + "/approve";
                        body = "{\"pin\":\"" + PIN + "\",\"reason\":\"matrix\"}";
                        target = "recipe:r-" + role.id();
                    } else if (act.equals("start")) {
                        path = "/api/batches";
                        body = "{\"recipe\":\"r-run\",\"lot\":\"" + lot + "\"}";
                        target = "recipe:r-run";
                    } else {
                        batches.start("r-run", lot, op, "set-up");
                        if (act.equals("resume")) {
                            batches.act(lot, BatchAction.HOLD, sup, "set-up");
                        }
                        if (act.equals("release")) {
                            batches.act(lot, BatchAction.COMPLETE, op, "set-up");
                        }
                        path = "/api/batches/" + lot + "/" + act;
                        body = act.equals("release")
                                ? "{\"pin\":\"" + PIN + "\",\"reason\":\"matrix\",\"deviation\":\"no historian in this test\"}"
                                : "{\"reason\":\"matrix\"}";
                        target = "batch:" + lot;
                    }
                    HttpResponse<String> r = AlarmServletTest.call(box, path, body, token);
                    String what = role.id() + " " + act;
                    List<AuditEntry> refusals = audit.entries(0, 0, Long.MAX_VALUE, "m-" + role.id(), target, 100)
                            .stream().filter(e -> "access.refused".equals(e.action())).toList();
                    if (ALLOWED.get(act).contains(role)) {
                        assertThat(r.statusCode()).as(what + ": " + r.body()).isIn(200, 201);
                        assertThat(refusals).as(what).isEmpty();
                    } else {
                        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(403);
                        assertThat(refusals).as(what + ": audited").hasSize(1);
                        assertThat(refusals.get(0).reason()).contains("role " + role.id() + " may not");
                    }
                    // free the zone for the next act
                    String state = batches.batch(lot).map(b -> b.state().name()).orElse("");
                    if (state.equals("RUNNING") || state.equals("HELD")) {
                        batches.act(lot, BatchAction.ABORT, sup, "matrix clean-up");
                    }
                }
            }
        } finally {
            var close = BatchManager.class.getDeclaredMethod("close");
            close.setAccessible(true);
            close.invoke(batches);
        }
    }
}
