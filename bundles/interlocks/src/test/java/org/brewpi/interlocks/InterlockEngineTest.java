package org.brewpi.interlocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.interlock.Interlock;
import org.brewpi.api.interlock.InterlockState;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine with the real gate, audit trail and user directory: trips, forcing, refusals, reset. */
class InterlockEngineTest {

    @TempDir
    Path dir;
    private Rig rig;

    /** Kettle heat needs level: any of (mode off, level > 20); latched. */
    private static final RuleSource KETTLE = Rig.rule("kettle-level", "any", "kettle.mode == off, kettle.level > 20",
            "kettle.mode != off", "kettle.mode = off", true, 0);
    /** The transfer pump needs the kettle's inlet valve open. */
    private static final RuleSource TRANSFER = Rig.rule("mash-transfer", "any",
            "mash.pump == false, kettle.inlet_valve == true", "mash.pump = true", "mash.pump = false", false, 0);

    @BeforeEach
    void start() throws Exception {
        rig = new Rig(dir, Rig.fast());
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    private Interlock state(String id) {
        return rig.engine.interlock(id).orElseThrow();
    }

    private void healthyPlant() throws InterruptedException {
        rig.plc.tele("kettle", Map.of("level", 70.0, "mode", "auto", "inlet_valve", false, "heater", true));
        rig.plc.tele("mash", Map.of("level", 60.0, "mode", "auto", "pump", false));
    }

    @Test
    void aTripForcesTheOutputThroughTheGateAndIsAudited() throws Exception {
        rig.rules(KETTLE);
        healthyPlant();
        assertThat(state("kettle-level").state()).isEqualTo(InterlockState.HEALTHY);
        assertThat(rig.audited("interlock.trip")).as("arming on good data is not a trip").isEmpty();

        rig.plc.tele("kettle", Map.of("level", 12.5));
        Interlock tripped = state("kettle-level");
        assertThat(tripped.state()).isEqualTo(InterlockState.TRIPPED);
        assertThat(tripped.cause()).isEqualTo("kettle.mode == off (is auto) and kettle.level > 20 (is 12.5)");
        assertThat(tripped.firstOut()).isTrue();
        assertThat(rig.plc.writes()).containsExactly("kettle.mode=off by interlock:kettle-level");
        assertThat(rig.plc.received.get(0).origin()).isEqualTo("interlock");
        AuditEntry trip = rig.audited("interlock.trip").get(0);
        assertThat(trip.actor()).isEqualTo("interlock");
        assertThat(trip.target()).isEqualTo("interlock:kettle-level");
        assertThat(trip.reason()).contains("kettle.level > 20 (is 12.5)").contains("first out");
        assertThat(rig.audited("command.write")).extracting(AuditEntry::actor).contains("interlock:kettle-level");
        assertThat(rig.plc.sentOn).as("forced on the thread that delivered the telemetry: no hand-off, no wake-up")
                .containsExactly(Thread.currentThread().getName());

        // the PLC reports mode off: the rule holds again, but it is latched
        rig.plc.tele("kettle", Map.of("mode", "off"));
        assertThat(state("kettle-level").state()).isEqualTo(InterlockState.RESET_NEEDED);
        assertThat(rig.write("kettle", "mode", "auto", "operator").error()).isEqualTo("interlocked");
        assertThat(rig.audited("interlock.clear")).singleElement()
                .satisfies(e -> assertThat(e.newValue()).isEqualTo("RESET_NEEDED"));
    }

    @Test
    void aBlockedWriteIsRefusedWithTheInterlocksIdAndText() throws Exception {
        rig.rules(KETTLE);
        rig.plc.tele("kettle", Map.of("level", 10.0, "mode", "off"));
        assertThat(state("kettle-level").state()).as("off with a low level is safe").isEqualTo(InterlockState.HEALTHY);

        CommandResult refused = rig.write("kettle", "mode", "auto", "operator");
        assertThat(refused.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(refused.error()).isEqualTo("interlocked");
        assertThat(refused.message()).isEqualTo("kettle-level: Text of kettle-level");
        assertThat(rig.plc.received).isEmpty();
        assertThat(rig.audited("command.write")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("refused: interlocked - kettle-level"));
        assertThat(rig.write("kettle", "mode", "off", "operator").outcome()).isEqualTo(Outcome.DONE);
        assertThat(rig.write("kettle", "inlet_valve", true, "operator").outcome()).isEqualTo(Outcome.DONE);
    }

    @Test
    void aPermissiveRefusesTheWriteThatWouldBreakItAndTripsWhenBrokenFromOutside() throws Exception {
        rig.rules(TRANSFER);
        healthyPlant();
        assertThat(rig.write("mash", "pump", true, "operator").error()).isEqualTo("interlocked");
        assertThat(rig.write("kettle", "inlet_valve", true, "operator").outcome()).isEqualTo(Outcome.DONE);
        rig.plc.tele("kettle", Map.of("inlet_valve", true));
        assertThat(rig.write("mash", "pump", true, "operator").outcome()).isEqualTo(Outcome.DONE);
        rig.plc.tele("mash", Map.of("pump", true));
        assertThat(rig.write("kettle", "inlet_valve", false, "operator").error())
                .as("closing the destination under a running pump").isEqualTo("interlocked");

        rig.plc.received.clear();
        rig.plc.tele("kettle", Map.of("inlet_valve", false)); // closed at the PLC, not through the gate
        assertThat(state("mash-transfer").state()).isEqualTo(InterlockState.TRIPPED);
        assertThat(rig.plc.writes()).containsExactly("mash.pump=false by interlock:mash-transfer");
        rig.plc.tele("mash", Map.of("pump", false));
        assertThat(state("mash-transfer").state()).as("not latched").isEqualTo(InterlockState.HEALTHY);
    }

    @Test
    void staleOrOfflineDataTrips() throws Exception {
        rig.rules(KETTLE);
        healthyPlant();
        rig.advance(16_000); // past the start-up grace
        rig.plc.stale("kettle");
        Interlock tripped = state("kettle-level");
        assertThat(tripped.state()).isEqualTo(InterlockState.TRIPPED);
        assertThat(tripped.cause()).contains("STALE");
        assertThat(rig.plc.writes()).containsExactly("kettle.mode=off by interlock:kettle-level");

        Rig.Source glycol = new Rig.Source("g.cfg", Rule.parse("glycol-pump", "Glycol pump needs the chiller", "all",
                new String[] { "glycol online" }, new String[] { "fv1.product_valve" }, null, false, 0), null);
        rig.rules(glycol);
        rig.advance(16_000); // past its own start-up grace: a zone never heard from now trips too
        assertThat(state("glycol-pump").state()).isEqualTo(InterlockState.TRIPPED);
        assertThat(state("glycol-pump").cause()).isEqualTo("glycol online (zone is unknown)");
        rig.plc.state("glycol", ZoneState.ONLINE);
        assertThat(state("glycol-pump").state()).isEqualTo(InterlockState.HEALTHY);
        rig.plc.state("glycol", ZoneState.OFFLINE);
        assertThat(state("glycol-pump").state()).isEqualTo(InterlockState.TRIPPED);
    }

    @Test
    void missingDataBlocksAtStartWithoutATripUntilTheGraceIsOver() throws Exception {
        rig.rules(KETTLE);
        Interlock waiting = state("kettle-level");
        assertThat(waiting.state()).isEqualTo(InterlockState.TRIPPED);
        assertThat(waiting.cause()).startsWith("waiting for data");
        assertThat(rig.write("kettle", "mode", "auto", "operator").error()).isEqualTo("interlocked");
        rig.advance(5_000);
        assertThat(rig.audited("interlock.trip")).isEmpty();
        healthyPlant();
        assertThat(state("kettle-level").state()).isEqualTo(InterlockState.HEALTHY);
        assertThat(rig.audited("interlock.clear")).as("arming is not a clear").isEmpty();
    }

    @Test
    void aZoneDroppingOutDuringTheStartUpGraceIsNoTripButBadDataIs() throws Exception {
        rig.rules(KETTLE);
        healthyPlant();
        rig.plc.state("kettle", ZoneState.OFFLINE);
        rig.advance(5_000);
        assertThat(state("kettle-level").state()).as("PLCs restart while the plant starts").isEqualTo(InterlockState.HEALTHY);
        assertThat(rig.write("kettle", "mode", "manual", "operator").error()).as("but it cannot see: no heating")
                .isEqualTo("interlocked");
        rig.advance(11_000);
        assertThat(state("kettle-level").state()).isEqualTo(InterlockState.TRIPPED);
        assertThat(rig.audited("interlock.trip")).hasSize(1);
    }

    @Test
    void resetNeedsTheConditionClearedAndAnOperator() throws Exception {
        rig.rules(KETTLE);
        healthyPlant();
        rig.plc.tele("kettle", Map.of("level", 5.0));
        assertThatThrownBy(() -> rig.engine.reset("kettle-level", "operator", "hmi"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("conditions fail");
        rig.plc.tele("kettle", Map.of("mode", "off"));
        assertThatThrownBy(() -> rig.engine.reset("kettle-level", "quality", "hmi"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("may not");
        assertThatThrownBy(() -> rig.engine.reset("nope", "operator", "hmi")).isInstanceOf(NoSuchElementException.class);

        Interlock reset = rig.engine.reset("kettle-level", "operator", "hmi");
        assertThat(reset.state()).isEqualTo(InterlockState.HEALTHY);
        assertThat(rig.audited("interlock.reset")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("operator");
            assertThat(e.oldValue()).isEqualTo("RESET_NEEDED");
        });
        assertThat(rig.write("kettle", "mode", "auto", "operator").error())
                .as("level still low: switching on would trip it").isEqualTo("interlocked");
        rig.plc.tele("kettle", Map.of("level", 50.0));
        assertThat(rig.write("kettle", "mode", "auto", "operator").outcome()).isEqualTo(Outcome.DONE);
    }

    @Test
    void whileTrippedAForcedOutputThatDriftsBackIsForcedAgainRateLimited() throws Exception {
        rig.rules(Rig.rule("level", "all", "kettle.level > 20", "kettle.mode != off", "kettle.mode = off", false, 0));
        healthyPlant();
        rig.plc.tele("kettle", Map.of("level", 5.0));
        assertThat(rig.plc.writes()).hasSize(1);
        rig.plc.tele("kettle", Map.of("mode", "off"));
        rig.plc.tele("kettle", Map.of("mode", "manual")); // someone at the panel while the level is still low
        assertThat(state("level").state()).isEqualTo(InterlockState.TRIPPED);
        assertThat(rig.plc.writes()).as("a re-force waits for the interval").hasSize(1);
        rig.advance(2_100);
        assertThat(rig.plc.writes()).hasSize(2).allMatch(w -> w.equals("kettle.mode=off by interlock:level"));
        rig.plc.tele("kettle", Map.of("mode", "manual"));
        assertThat(rig.plc.writes()).hasSize(2);
    }

    @Test
    void aLatchedInterlockThatFailsAgainBeforeItsResetTripsAgainAtOnce() throws Exception {
        rig.rules(KETTLE);
        healthyPlant();
        rig.plc.tele("kettle", Map.of("level", 5.0));
        rig.plc.tele("kettle", Map.of("mode", "off"));
        assertThat(state("kettle-level").state()).isEqualTo(InterlockState.RESET_NEEDED);
        rig.plc.tele("kettle", Map.of("mode", "manual"));
        assertThat(state("kettle-level").state()).isEqualTo(InterlockState.TRIPPED);
        assertThat(rig.plc.writes()).hasSize(2);
        assertThat(rig.audited("interlock.trip")).hasSize(2);
    }

    @Test
    void firstOutFlagsTheFirstOfSeveralTrippingTogether() throws Exception {
        RuleSource level = Rig.rule("a-kettle-level", "all", "kettle.level > 20", "kettle.mode != off",
                "kettle.mode = off", true, 0);
        RuleSource mash = Rig.rule("b-mash-level", "all", "mash.level > 20", "mash.mode != off", "mash.mode = off",
                true, 0);
        rig.rules(level, mash);
        healthyPlant();
        rig.plc.tele("mash", Map.of("level", 3.0));
        rig.advance(500);
        rig.plc.tele("kettle", Map.of("level", 3.0));
        assertThat(state("b-mash-level").firstOut()).isTrue();
        assertThat(state("a-kettle-level").firstOut()).isFalse();
        assertThat(rig.engine.interlocks()).extracting(Interlock::id).startsWith("b-mash-level", "a-kettle-level");
        assertThat(rig.audited("interlock.trip")).extracting(AuditEntry::reason)
                .anySatisfy(r -> assertThat(r).startsWith("mash.level > 20").contains("first out"));
    }

    @Test
    void badRulesAreRefusedAndShownWhileTheOthersWork() throws Exception {
        Rig.Source bad = new Rig.Source("brewpi.interlock-typo.cfg", null, "typo: tag 'Level' must match [a-z0-9_]{1,32}");
        RuleSource duplicate = new Rig.Source("brewpi.interlock-z.cfg", ((Rig.Source) KETTLE).rule(), null);
        rig.rules(KETTLE, bad, duplicate);
        healthyPlant();
        assertThat(rig.engine.interlocks()).extracting(Interlock::id).containsExactly("kettle-level");
        assertThat(rig.engine.status()).isEqualTo(Status.DEGRADED);
        @SuppressWarnings("unchecked")
        Map<String, String> refused = (Map<String, String>) rig.engine.details().get("refused");
        assertThat(refused).containsEntry("brewpi.interlock-typo.cfg", "typo: tag 'Level' must match [a-z0-9_]{1,32}");
        assertThat(refused.get("brewpi.interlock-z.cfg")).contains("already used");
        assertThat(rig.write("kettle", "mode", "manual", "operator").outcome()).isEqualTo(Outcome.DONE);

        rig.engine.removeRule(bad);
        rig.engine.removeRule(duplicate);
        rig.settle();
        assertThat(rig.engine.status()).isEqualTo(Status.UP);
    }

    @Test
    void aZoneInFailSafeIsNotForcedUntilItIsBackOnline() throws Exception {
        rig.rules(Rig.rule("level", "all", "kettle.level > 20", "kettle.mode != off", "kettle.mode = off", false, 0));
        healthyPlant();
        rig.plc.state("kettle", ZoneState.FAILSAFE);
        rig.plc.tele("kettle", Map.of("level", 5.0));
        assertThat(state("level").state()).isEqualTo(InterlockState.TRIPPED);
        assertThat(rig.plc.received).as("a PLC in fail-safe refuses every write").isEmpty();
        rig.plc.state("kettle", ZoneState.ONLINE);
        assertThat(rig.plc.writes()).containsExactly("kettle.mode=off by interlock:level");
    }

    @Test
    void aDelayedRuleTripsOnlyWhenTheConditionFailsLongEnough() throws Exception {
        rig.rules(Rig.rule("slow", "all", "kettle.level > 20", "kettle.mode != off", "kettle.mode = off", false, 3_000));
        healthyPlant();
        rig.plc.tele("kettle", Map.of("level", 15.0));
        rig.advance(1_000);
        rig.plc.tele("kettle", Map.of("level", 30.0));
        rig.plc.tele("kettle", Map.of("level", 15.0));
        rig.advance(2_000);
        assertThat(state("slow").state()).isEqualTo(InterlockState.HEALTHY);
        rig.advance(1_100);
        assertThat(state("slow").state()).isEqualTo(InterlockState.TRIPPED);
    }
}
