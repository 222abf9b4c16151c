package org.brewpi.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmPriority;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.alarm.Shelf;
import org.brewpi.api.interlock.EmergencyStop.State;
import org.brewpi.hardware.Annunciation.Beacon;
import org.junit.jupiter.api.Test;

class AnnunciationTest {

    static Alarm alarm(String id, AlarmPriority priority, AlarmState state) {
        AlarmDefinition d = new AlarmDefinition(id, "kettle", "pv", AlarmKind.HI, 100, "", priority, 0, 0, 0, id, false,
                AlarmDefinition.CONFIG);
        return new Alarm(d, state, null, false, null, "101", state.active() ? 1 : 0, 1, null, 0);
    }

    private static Annunciation of(State estop, Alarm... alarms) {
        return Annunciation.of(List.of(alarms), estop);
    }

    @Test
    void quietWithoutAlarms() {
        assertThat(of(State.CLEAR)).isEqualTo(Annunciation.QUIET);
        assertThat(of(State.CLEAR, alarm("a", AlarmPriority.CRITICAL, AlarmState.NORMAL))).isEqualTo(Annunciation.QUIET);
    }

    @Test
    void unacknowledgedUrgentAlarmFlashesFastAndSoundsTheHorn() {
        for (AlarmPriority p : new AlarmPriority[] { AlarmPriority.CRITICAL, AlarmPriority.HIGH }) {
            Annunciation a = of(State.CLEAR, alarm("a", p, AlarmState.UNACK_ACTIVE),
                    alarm("b", AlarmPriority.LOW, AlarmState.ACK_ACTIVE));
            assertThat(a.beacon()).as(p.name()).isEqualTo(Beacon.FAST);
            assertThat(a.horn()).as(p.name()).isTrue();
        }
    }

    @Test
    void acknowledgeSilencesTheHornAndLeavesTheBeaconSteady() {
        Annunciation a = of(State.CLEAR, alarm("a", AlarmPriority.CRITICAL, AlarmState.ACK_ACTIVE));
        assertThat(a).isEqualTo(new Annunciation(Beacon.STEADY, false));
    }

    @Test
    void lowerPrioritiesAndReturnedAlarmsFlashSlowWithoutHorn() {
        assertThat(of(State.CLEAR, alarm("a", AlarmPriority.MEDIUM, AlarmState.UNACK_ACTIVE)))
                .isEqualTo(new Annunciation(Beacon.SLOW, false));
        assertThat(of(State.CLEAR, alarm("a", AlarmPriority.LOW, AlarmState.UNACK_ACTIVE)))
                .isEqualTo(new Annunciation(Beacon.SLOW, false));
        // returned to normal before anyone acknowledged: still to acknowledge, nothing to act on
        assertThat(of(State.CLEAR, alarm("a", AlarmPriority.CRITICAL, AlarmState.UNACK_RETURNED)))
                .isEqualTo(new Annunciation(Beacon.SLOW, false));
    }

    @Test
    void shelvedSuppressedAndOutOfServiceAlarmsAreSilent() {
        Alarm a = alarm("a", AlarmPriority.CRITICAL, AlarmState.UNACK_ACTIVE);
        Alarm shelved = new Alarm(a.definition(), a.state(), new Shelf("sup", "known", 0, 10, false), false, null,
                "1", 1, 1, null, 0);
        Alarm suppressed = new Alarm(a.definition(), a.state(), null, true, null, "1", 1, 1, null, 0);
        assertThat(of(State.CLEAR, shelved, suppressed)).isEqualTo(Annunciation.QUIET);
    }

    @Test
    void estopFlashesTheBeaconFastWithoutHorn() {
        assertThat(of(State.PRESSED)).isEqualTo(new Annunciation(Beacon.FAST, false));
        assertThat(of(State.RESET_NEEDED)).isEqualTo(new Annunciation(Beacon.FAST, false));
        assertThat(of(State.PRESSED, alarm("a", AlarmPriority.HIGH, AlarmState.UNACK_ACTIVE)).horn()).isTrue();
    }

    @Test
    void flashPatterns() {
        assertThat(Beacon.OFF.lit(0, 1000, 400)).isFalse();
        assertThat(Beacon.STEADY.lit(123, 1000, 400)).isTrue();
        assertThat(Beacon.SLOW.lit(0, 1000, 400)).isTrue();
        assertThat(Beacon.SLOW.lit(499, 1000, 400)).isTrue();
        assertThat(Beacon.SLOW.lit(500, 1000, 400)).isFalse();
        assertThat(Beacon.SLOW.lit(1000, 1000, 400)).isTrue();
        assertThat(Beacon.FAST.lit(199, 1000, 400)).isTrue();
        assertThat(Beacon.FAST.lit(200, 1000, 400)).isFalse();
        assertThat(Beacon.FAST.lit(400, 1000, 400)).isTrue();
    }
}
