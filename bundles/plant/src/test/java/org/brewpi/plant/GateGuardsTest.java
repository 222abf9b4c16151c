package org.brewpi.plant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.interlock.GuardRefusal;
import org.brewpi.api.security.Access;
import org.brewpi.api.security.AccessPolicy;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Role;
import org.junit.jupiter.api.Test;

/** The gate's guards: asked after the role and before the limits, required ones fail closed, forcing writes pass. */
class GateGuardsTest {

    private final PlantCommandGateTest.Trail trail = new PlantCommandGateTest.Trail();
    private final PlantCommandGateTest.Driver driver = new PlantCommandGateTest.Driver();
    private final AtomicInteger asked = new AtomicInteger();
    /** Refuses every write of fv1.sv, as an interlock blocking it would. */
    private final CommandGuard interlocks = command -> {
        asked.incrementAndGet();
        return "sv".equals(command.tag())
                ? Optional.of(new GuardRefusal("interlocked", "fv1-cip", "CIP running blocks product valves"))
                : Optional.empty();
    };

    private PlantCommandGate gate(AccessPolicy policy) {
        PlantCommandGate gate = new PlantCommandGate(trail, policy, Set.of("interlocks"));
        gate.addDriver(driver);
        return gate;
    }

    private static CommandResult submit(PlantCommandGate gate, Command c) throws Exception {
        return gate.submit(c).toCompletableFuture().get();
    }

    private static Map<String, Object> named(String name) {
        return Map.of(CommandGuard.GUARD_NAME, name);
    }

    @Test
    void aGuardsRefusalNamesItsSourceIsAuditedAndNothingIsSent() throws Exception {
        PlantCommandGate gate = gate(PlantCommandGateTest.ALLOW_ALL);
        gate.addGuard(interlocks, named("interlocks"));
        CommandResult result = submit(gate, Command.write("fv1", "sv", 19.0, "hmi", "ana"));
        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.error()).isEqualTo("interlocked");
        assertThat(result.message()).isEqualTo("fv1-cip: CIP running blocks product valves");
        assertThat(driver.sent).isEmpty();
        assertThat(trail.entries).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("ana");
            assertThat(e.reason()).contains("refused: interlocked - fv1-cip: CIP running blocks product valves");
        });
        assertThat(submit(gate, Command.write("fv1", "mode", "auto", "hmi", "ana")).outcome()).isEqualTo(Outcome.DONE);
    }

    @Test
    void theRoleIsCheckedBeforeTheGuardsAndTheGuardsBeforeTheLimits() throws Exception {
        AccessPolicy nobody = new AccessPolicy() {
            public Access check(String user, Right right) {
                return new Access(false, user, Role.QUALITY, right, "role quality may not operate");
            }

            public boolean allows(Role role, Right right) {
                return false;
            }
        };
        PlantCommandGate refusing = gate(nobody);
        refusing.addGuard(interlocks, named("interlocks"));
        assertThat(submit(refusing, Command.write("fv1", "sv", 19.0, "hmi", "qa")).error()).isEqualTo("forbidden");
        assertThat(asked).hasValue(0);

        PlantCommandGate gate = gate(PlantCommandGateTest.ALLOW_ALL);
        gate.addGuard(interlocks, named("interlocks"));
        assertThat(submit(gate, Command.write("fv1", "sv", 999.0, "hmi", "ana")).error())
                .as("out of range, but the interlock answers first").isEqualTo("interlocked");
    }

    @Test
    void withoutARequiredGuardOnlyForcingWritesGoOut() throws Exception {
        PlantCommandGate gate = gate(PlantCommandGateTest.ALLOW_ALL);
        CommandResult refused = submit(gate, Command.write("fv1", "mode", "auto", "hmi", "ana"));
        assertThat(refused.error()).isEqualTo("guard_missing");
        assertThat(refused.message()).contains("interlocks");
        assertThat(submit(gate, Command.write("fv1", "mode", "auto", "batch", "brew-12")).error())
                .as("a batch is not a forcing write").isEqualTo("guard_missing");
        assertThat(gate.status()).isEqualTo(Status.DEGRADED);
        assertThat(gate.details().get("missingGuards")).isEqualTo(Set.of("interlocks"));

        assertThat(submit(gate, Command.write("fv1", "mode", "off", "interlock", "interlock:fv1-cip")).outcome())
                .isEqualTo(Outcome.DONE);
        assertThat(submit(gate, Command.write("fv1", "mode", "off", "estop", "estop")).outcome()).isEqualTo(Outcome.DONE);
        assertThat(driver.sent).extracting(Command::origin).containsExactly("interlock", "estop");
        assertThat(trail.entries).filteredOn(e -> e.reason().contains("guard_missing")).hasSize(2);

        gate.addGuard(interlocks, named("interlocks"));
        assertThat(gate.status()).isEqualTo(Status.UP);
        assertThat(submit(gate, Command.write("fv1", "mode", "auto", "hmi", "ana")).outcome()).isEqualTo(Outcome.DONE);
        gate.removeGuard(interlocks, named("interlocks"));
        assertThat(submit(gate, Command.write("fv1", "mode", "auto", "hmi", "ana")).error()).isEqualTo("guard_missing");
    }

    @Test
    void forcingWritesSkipRoleAndGuardsButNotTheLimits() throws Exception {
        AccessPolicy nobody = new AccessPolicy() {
            public Access check(String user, Right right) {
                return new Access(false, user, null, right, "unknown user");
            }

            public boolean allows(Role role, Right right) {
                return false;
            }
        };
        PlantCommandGate gate = gate(nobody);
        gate.addGuard(interlocks, named("interlocks"));
        assertThat(submit(gate, Command.write("fv1", "sv", 10.0, "interlock", "interlock:a")).outcome())
                .isEqualTo(Outcome.DONE);
        assertThat(asked).as("guards are not asked for forcing writes").hasValue(0);
        assertThat(submit(gate, Command.write("fv1", "sv", 99.0, "estop", "estop")).error()).isEqualTo("out_of_range");
    }

    @Test
    void everyGuardIsAskedAndOneThatFailsRefuses() throws Exception {
        PlantCommandGate gate = gate(PlantCommandGateTest.ALLOW_ALL);
        gate.addGuard(interlocks, named("interlocks"));
        CommandGuard estop = command -> Optional.of(new GuardRefusal("estop", "estop", "emergency stop pressed"));
        gate.addGuard(estop, named("estop"));
        CommandResult result = submit(gate, Command.write("fv1", "mode", "auto", "hmi", "ana"));
        assertThat(result.error()).isEqualTo("estop");
        assertThat(result.message()).isEqualTo("estop: emergency stop pressed");
        gate.removeGuard(estop, named("estop"));

        CommandGuard broken = command -> {
            throw new IllegalStateException("bug");
        };
        gate.addGuard(broken, named("other"));
        assertThat(submit(gate, Command.write("fv1", "mode", "auto", "hmi", "ana")).error()).isEqualTo("guard_error");
        assertThat(gate.details().get("guards")).isEqualTo(List.of("interlocks", "other"));
    }

    @Test
    void aForcingWriteGoesOutEvenWhenTheAuditTrailIsDown() throws Exception {
        PlantCommandGate gate = gate(PlantCommandGateTest.ALLOW_ALL);
        gate.addGuard(interlocks, named("interlocks"));
        trail.broken = true;
        assertThat(submit(gate, Command.write("fv1", "mode", "auto", "hmi", "ana")).error()).isEqualTo("audit_unavailable");
        assertThat(submit(gate, Command.write("fv1", "mode", "off", "interlock", "interlock:a")).outcome())
                .isEqualTo(Outcome.DONE);
        assertThat(driver.sent).extracting(Command::origin).containsExactly("interlock");
        assertThat(gate.status()).isEqualTo(Status.DEGRADED);
        assertThat(gate.details().get("unauditedForcingWrites")).isEqualTo(1L);
    }

    /** A trip is forced from the thread that delivers the telemetry: it must not wait for the disk. */
    @Test
    void aForcingWriteGoesOutWhileTheAuditTrailIsStuckAndIsRecordedAfterwardsInOrder() throws Exception {
        java.util.concurrent.CountDownLatch disk = new java.util.concurrent.CountDownLatch(1);
        PlantCommandGateTest.Trail slow = new PlantCommandGateTest.Trail() {
            @Override
            public synchronized org.brewpi.api.audit.AuditEntry append(org.brewpi.api.audit.AuditEntry entry) {
                try {
                    disk.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.append(entry);
            }
        };
        PlantCommandGate gate = new PlantCommandGate(slow, PlantCommandGateTest.ALLOW_ALL, Set.of("interlocks"));
        gate.addDriver(driver);

        var result = gate.submit(Command.write("fv1", "mode", "off", "interlock", "interlock:a")).toCompletableFuture();

        assertThat(driver.sent).as("sent while the audit trail still writes").extracting(Command::origin)
                .containsExactly("interlock");
        assertThat(result).as("its outcome is recorded after its request").isNotDone();
        disk.countDown();
        assertThat(result.get(5, java.util.concurrent.TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.DONE);
        assertThat(slow.entries).extracting(org.brewpi.api.audit.AuditEntry::action)
                .containsExactly("command.write", "command.outcome");
        assertThat(gate.details().get("unauditedForcingWrites")).isEqualTo(0L);
    }

    @Test
    void requiredGuardsComeFromConfiguration() {
        GateConfig config = new GateConfig() {
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return GateConfig.class;
            }

            public String[] required_guards() {
                return new String[] { "interlocks, estop" };
            }
        };
        assertThat(PlantCommandGate.requiredGuards(config)).containsExactly("estop", "interlocks");
    }
}
