package org.brewpi.plant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.audit.AuditVerification;
import org.brewpi.api.command.Command;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.security.Access;
import org.brewpi.api.security.AccessPolicy;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Role;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.zone.ZoneDriver;
import org.brewpi.api.zone.ZoneSnapshot;
import org.junit.jupiter.api.Test;

class PlantCommandGateTest {

    /** Records entries in memory, or refuses them all. */
    static class Trail implements AuditTrail {
        final List<AuditEntry> entries = new ArrayList<>();
        boolean broken;

        @Override
        public AuditEntry append(AuditEntry entry) {
            if (broken) {
                throw new IllegalStateException("disk gone");
            }
            entries.add(entry);
            return entry;
        }

        @Override
        public List<AuditEntry> entries(long afterSeq, long from, long to, String actor, String target, int limit) {
            return entries;
        }

        @Override
        public AuditVerification verify() {
            return new AuditVerification(true, entries.size(), null, null);
        }
    }

    /** Acks everything it is given. */
    static final class Driver implements ZoneDriver {
        final List<Command> sent = new ArrayList<>();

        public String id() { return "test"; }
        public Collection<ZoneSnapshot> zones() { return List.of(CommandCheckTest.FV1); }
        public Optional<ZoneSnapshot> zone(String id) { return id.equals("fv1") ? Optional.of(CommandCheckTest.FV1) : Optional.empty(); }

        public CompletionStage<CommandResult> send(Command c) {
            sent.add(c);
            return CompletableFuture.completedFuture(new CommandResult(c, Outcome.DONE, null, null, 1, 2));
        }
    }

    private final Trail trail = new Trail();
    private final Driver driver = new Driver();
    /** Everyone may do everything: the role matrix has its own test (RoleMatrixTest). */
    static final AccessPolicy ALLOW_ALL = new AccessPolicy() {
        @Override
        public Access check(String user, Right right) {
            return new Access(true, user, Role.ADMIN, right, null);
        }

        @Override
        public boolean allows(Role role, Right right) {
            return true;
        }
    };

    /** Lets everything pass: the gate's own tests are about what it checks itself. */
    static final CommandGuard PASS = command -> Optional.empty();

    private final PlantCommandGate gate = new PlantCommandGate(trail, ALLOW_ALL, Set.of("interlocks"));

    {
        gate.addDriver(driver);
        gate.addGuard(PASS, Map.of(CommandGuard.GUARD_NAME, "interlocks"));
    }

    @Test
    void aWriteIsAuditedBeforeItIsSentAndItsOutcomeAfter() throws Exception {
        var result = gate.submit(Command.write("fv1", "sv", 19.0, "hmi", "ana")).toCompletableFuture().get();
        assertThat(result.outcome()).isEqualTo(Outcome.DONE);
        assertThat(result.command().id()).matches("c-[0-9a-f]{4}-000001");
        assertThat(trail.entries).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::entryPoint, AuditEntry::target,
                AuditEntry::newValue).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("command.write", "ana", "hmi", "fv1.sv", "19.0"),
                        org.assertj.core.groups.Tuple.tuple("command.outcome", "ana", "hmi", "fv1.sv", "19.0"));
        assertThat(trail.entries.get(1).reason()).endsWith(": DONE");
    }

    @Test
    void aRefusedWriteIsAuditedAndNotSent() throws Exception {
        var result = gate.submit(Command.write("fv1", "sv", 99.0, "rest", "api")).toCompletableFuture().get();
        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(driver.sent).isEmpty();
        assertThat(trail.entries).singleElement().satisfies(e -> assertThat(e.reason()).contains("refused: out_of_range"));
    }

    @Test
    void withoutAWorkingAuditTrailNothingIsSent() throws Exception {
        trail.broken = true;
        var result = gate.submit(Command.write("fv1", "sv", 19.0, "hmi", "ana")).toCompletableFuture().get();
        assertThat(result.outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(result.error()).isEqualTo("audit_unavailable");
        assertThat(driver.sent).isEmpty();
    }
}
