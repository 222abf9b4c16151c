package org.brewpi.plant;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.command.Command;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.brewpi.users.UserService;
import org.brewpi.users.UsersConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command the gate protects, tried by every role (as a PIN user and as an API token), on the real user
 * directory and the real audit trail: allowed exactly where the rights table says, every refusal audited.
 */
class RoleMatrixTest {

    private static final String BOOTSTRAP = "matrix-bootstrap-token";
    private static final String PIN = "975310";

    /** The rights table of bundles/users/README.md, as the gate applies it to commands. */
    private static final Map<Role, Set<String>> ALLOWED = Map.of(
            Role.OPERATOR, Set.of(Command.WRITE, Command.PING),
            Role.SUPERVISOR, Set.of(Command.WRITE, Command.PING, Command.RESET),
            Role.QUALITY, Set.of(),
            Role.ENGINEER, Set.of(Command.WRITE, Command.PING, Command.RESET),
            Role.ADMIN, Set.of(Command.WRITE, Command.PING, Command.RESET));

    @TempDir
    Path dir;

    private H2AuditTrail audit;
    private UserService users;
    private PlantCommandGate gate;
    private final PlantCommandGateTest.Driver driver = new PlantCommandGateTest.Driver();
    private Principal admin;

    @BeforeEach
    void start() throws Exception {
        audit = new H2AuditTrail(new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return dir.toString();
            }
        });
        users = new UserService(config(dir.toString()), audit);
        gate = new PlantCommandGate(audit, users, Set.of("interlocks"));
        gate.addDriver(driver);
        gate.addGuard(PlantCommandGateTest.PASS, Map.of(CommandGuard.GUARD_NAME, "interlocks"));
        admin = users.authenticate("Bearer " + BOOTSTRAP).orElseThrow();
    }

    private static Command command(String op, String user) {
        return switch (op) {
            case Command.WRITE -> Command.write("fv1", "sv", 19.0, "rest", user);
            default -> new Command(null, "fv1", op, null, null, "rest", user);
        };
    }

    private CommandResult submit(Command c) throws Exception {
        return gate.submit(c).toCompletableFuture().get();
    }

    @Test
    void everyRoleMayDoExactlyWhatTheTableSaysAndEveryRefusalIsAudited() throws Exception {
        List<String> actors = new ArrayList<>();
        for (Role role : Role.values()) {
            String user = "u-" + role.id();
            users.createUser(admin, user, "Tester " + role.id(), role, "one-time-pin");
            users.changePin(user, "one-time-pin", PIN, "hmi");
            users.createToken(admin, "t-" + role.id(), role);
            actors.add(user);
            actors.add("token:t-" + role.id());
        }
        int tried = 0;
        for (String actor : actors) {
            Role role = Role.valueOf(actor.replaceFirst("^(token:t-|u-)", "").toUpperCase());
            for (String op : List.of(Command.WRITE, Command.RESET, Command.PING)) {
                int sentBefore = driver.sent.size();
                CommandResult result = submit(command(op, actor));
                AuditEntry audited = audit.entries(0, 0, Long.MAX_VALUE, actor, null, 10_000).stream()
                        .filter(e -> e.action().equals("command." + op)).reduce((a, b) -> b).orElseThrow();
                if (ALLOWED.get(role).contains(op)) {
                    assertThat(result.outcome()).as("%s %s", actor, op).isEqualTo(Outcome.DONE);
                    assertThat(driver.sent).hasSize(sentBefore + 1);
                    assertThat(audited.reason()).doesNotContain("refused");
                } else {
                    assertThat(result.outcome()).as("%s %s", actor, op).isEqualTo(Outcome.REJECTED);
                    assertThat(result.error()).isEqualTo("forbidden");
                    assertThat(driver.sent).hasSize(sentBefore);
                    assertThat(audited.reason()).contains("refused: forbidden").contains(role.id());
                }
                tried++;
            }
        }
        assertThat(tried).isEqualTo(Role.values().length * 2 * 3);
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void theRoleIsCheckedBeforeTheLimits() throws Exception {
        users.createUser(admin, "qa", "Quality", Role.QUALITY, "one-time-pin");
        users.changePin("qa", "one-time-pin", PIN, "hmi");
        CommandResult result = submit(Command.write("fv1", "sv", 99.0, "rest", "qa"));
        assertThat(result.error()).isEqualTo("forbidden");
    }

    @Test
    void unknownUsersRevokedTokensAndOneTimePinsAreRefused() throws Exception {
        assertThat(submit(command(Command.WRITE, "ghost")).error()).isEqualTo("forbidden");
        assertThat(submit(command(Command.WRITE, null)).error()).isEqualTo("forbidden");

        users.createToken(admin, "sync", Role.OPERATOR);
        assertThat(submit(command(Command.WRITE, "token:sync")).outcome()).isEqualTo(Outcome.DONE);
        users.revokeToken(admin, "sync");
        assertThat(submit(command(Command.WRITE, "token:sync")).error()).isEqualTo("forbidden");

        users.createUser(admin, "newbie", "New Operator", Role.OPERATOR, "one-time-pin");
        assertThat(submit(command(Command.WRITE, "newbie")).message()).contains("must change");
        assertThat(driver.sent).hasSize(1);
    }

    @Test
    void actionsFromInsideTheBoxNeedNoRole() throws Exception {
        CommandResult result = submit(Command.write("fv1", "sv", 10.0, "interlock", "overtemp"));
        assertThat(result.outcome()).isEqualTo(Outcome.DONE);
        assertThat(submit(Command.write("fv1", "sv", 10.0, "rest", "interlock")).error()).isEqualTo("forbidden");
    }

    @Test
    void theBootstrapTokenKeepsItsAdministratorRights() throws Exception {
        assertThat(submit(command(Command.WRITE, UserService.BOOTSTRAP_USER)).outcome()).isEqualTo(Outcome.DONE);
        assertThat(submit(command(Command.RESET, UserService.BOOTSTRAP_USER)).outcome()).isEqualTo(Outcome.DONE);
    }

    static UsersConfig config(String dataDir) {
        return new UsersConfig() {
            public Class<? extends Annotation> annotationType() {
                return UsersConfig.class;
            }

            public String data_dir() {
                return dataDir;
            }

            public int idle_timeout_minutes() {
                return 15;
            }

            public int lockout_failures() {
                return 5;
            }

            public int lockout_window_minutes() {
                return 10;
            }

            public int lockout_minutes() {
                return 5;
            }

            public int pin_iterations() {
                return 1_000;
            }

            public String _api_token() {
                return BOOTSTRAP;
            }
        };
    }
}
