package org.brewpi.interlocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.interlock.Interlock;
import org.brewpi.api.interlock.InterlockState;
import org.brewpi.api.security.Signature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bypass: a supervisor's e-signature and a time limit; audited before it takes effect; expires by itself. */
class BypassTest {

    private static final long MINUTES_30 = 30 * Settings.MINUTE;
    private static final String TARGET = "interlock:kettle-level";

    @TempDir
    Path dir;
    private Rig rig;

    @BeforeEach
    void start() throws Exception {
        rig = new Rig(dir, Rig.fast());
        rig.rules(Rig.rule("kettle-level", "all", "kettle.level > 20", "kettle.mode != off", "kettle.mode = off", true, 0));
        rig.plc.tele("kettle", Map.of("level", 70.0, "mode", "auto"));
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void withoutAFittingSupervisorSignatureThereIsNoBypass() throws Exception {
        assertThatThrownBy(() -> rig.engine.bypass("kettle-level", null, MINUTES_30, "hmi"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signature");
        Signature operator = rig.sign("operator", TARGET);
        assertThatThrownBy(() -> rig.engine.bypass("kettle-level", operator, MINUTES_30, "hmi"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("role operator may not");
        Signature otherTarget = rig.sign("supervisor", "interlock:mash-transfer");
        assertThatThrownBy(() -> rig.engine.bypass("kettle-level", otherTarget, MINUTES_30, "hmi"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interlock:mash-transfer");
        Signature supervisor = rig.sign("supervisor", TARGET);
        assertThatThrownBy(() -> rig.engine.bypass("kettle-level", supervisor, 300 * Settings.MINUTE * 60, "hmi"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minutes");
        rig.clock.addAndGet(301_000);
        assertThatThrownBy(() -> rig.engine.bypass("kettle-level", supervisor, MINUTES_30, "hmi"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sign again");
        assertThat(rig.audited("interlock.bypass")).isEmpty();
        assertThat(rig.audited("interlock.bypass.refused")).as("each signed attempt and why it was refused")
                .extracting(AuditEntry::actor).containsExactly("operator", "supervisor", "supervisor", "supervisor");
        assertThat(rig.engine.interlock("kettle-level").orElseThrow().bypass()).isNull();
    }

    @Test
    void aBypassLetsBlockedWritesPassForcesNothingIsAuditedAndExpires() throws Exception {
        Signature signature = rig.sign("supervisor", TARGET);
        Interlock bypassed = rig.engine.bypass("kettle-level", signature, MINUTES_30, "hmi");
        assertThat(bypassed.bypass()).isNotNull();
        assertThat(bypassed.bypass().user()).isEqualTo("supervisor");
        assertThat(bypassed.bypass().printedName()).isEqualTo("Tester supervisor");
        assertThat(bypassed.bypass().until() - bypassed.bypass().since()).isEqualTo(MINUTES_30);
        AuditEntry record = rig.audited("interlock.bypass").get(0);
        assertThat(record.signature()).isEqualTo("interlock bypass");
        assertThat(record.reason()).isEqualTo("maintenance on the level probe");
        assertThat(record.actor()).isEqualTo("supervisor");
        assertThatThrownBy(() -> rig.engine.bypass("kettle-level", signature, MINUTES_30, "hmi"))
                .as("a signature is used once").hasMessageContaining("already used");

        rig.plc.tele("kettle", Map.of("level", 8.0));
        assertThat(rig.engine.interlock("kettle-level").orElseThrow().state()).isEqualTo(InterlockState.TRIPPED);
        assertThat(rig.plc.received).as("bypassed: nothing forced").isEmpty();
        assertThat(rig.audited("interlock.trip")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("bypassed by supervisor"));
        assertThat(rig.write("kettle", "mode", "manual", "operator").outcome()).isEqualTo(Outcome.DONE);

        rig.advance(MINUTES_30);
        Interlock after = rig.engine.interlock("kettle-level").orElseThrow();
        assertThat(after.bypass()).isNull();
        assertThat(rig.audited("interlock.bypass.expired")).hasSize(1);
        assertThat(rig.plc.writes()).as("still tripped when the bypass ends: forced at once")
                .contains("kettle.mode=off by interlock:kettle-level");
        assertThat(rig.write("kettle", "mode", "manual", "operator").error()).isEqualTo("interlocked");
    }

    @Test
    void aBypassCanBeEndedEarlyWithAReason() throws Exception {
        rig.engine.bypass("kettle-level", rig.sign("supervisor", TARGET), MINUTES_30, "hmi");
        rig.plc.tele("kettle", Map.of("level", 8.0));
        assertThat(rig.plc.received).isEmpty();
        Interlock ended = rig.engine.endBypass("kettle-level", "supervisor", "hmi", "probe fixed");
        assertThat(ended.bypass()).isNull();
        rig.settle();
        assertThat(rig.plc.writes()).containsExactly("kettle.mode=off by interlock:kettle-level");
        assertThat(rig.audited("interlock.bypass.end")).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("probe fixed"));
        assertThatThrownBy(() -> rig.engine.endBypass("kettle-level", "supervisor", "hmi", null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anActThatCannotBeAuditedIsNotDone() throws Exception {
        rig.plc.tele("kettle", Map.of("level", 8.0));
        rig.plc.tele("kettle", Map.of("level", 50.0));
        assertThat(rig.engine.interlock("kettle-level").orElseThrow().state()).isEqualTo(InterlockState.RESET_NEEDED);
        rig.engine.unsetAuditTrail(rig.audit);
        assertThatThrownBy(() -> rig.engine.reset("kettle-level", "operator", "hmi"))
                .isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(rig.engine.interlock("kettle-level").orElseThrow().state()).isEqualTo(InterlockState.RESET_NEEDED);
    }
}
