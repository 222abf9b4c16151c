package org.brewpi.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.brewpi.alarms.PlantFeed.alarm;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmPriority;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.alarm.AlarmTransition;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.Test;

/** The ISA-18.2 state machine, driven with plant data as the driver delivers it and a clock the test moves. */
class AlarmBookTest {

    private final PlantFeed plant = new PlantFeed();
    private final AlarmBook book = plant.book(Settings.standard());

    private void pv(String zone, double value) {
        book.tags(List.of(plant.good(zone, "pv", value)));
    }

    private AlarmState state(String id) {
        return book.alarm(id).orElseThrow().state();
    }

    private Alarm view(String id) {
        return book.alarm(id).orElseThrow();
    }

    @Test
    void activeAcknowledgedReturned() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0)));
        pv("hlt", 70);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.NORMAL);

        pv("hlt", 81);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(view("hlt.hi").activeSince()).isEqualTo(plant.now());
        assertThat(view("hlt.hi").value()).isEqualTo("81.00");

        plant.advance(5_000);
        Alarm acked = book.acknowledge("hlt.hi", "ana", "hmi", "seen, lowering sv");
        assertThat(acked.state()).isEqualTo(AlarmState.ACK_ACTIVE);
        assertThat(acked.ackUser()).isEqualTo("ana");
        assertThat(acked.ackTime()).isEqualTo(plant.now());

        pv("hlt", 79);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.NORMAL);
        assertThat(plant.actions()).containsExactly("alarm.activate", "alarm.ack", "alarm.return");
    }

    @Test
    void returnBeforeAcknowledgeLeavesItUnacknowledged() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0)));
        pv("hlt", 85);
        pv("hlt", 75);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.UNACK_RETURNED);

        // it comes back before anyone looked: active and unacknowledged again
        pv("hlt", 86);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
        pv("hlt", 75);
        assertThat(book.acknowledge("hlt.hi", "ana", "hmi", null).state()).isEqualTo(AlarmState.NORMAL);

        List<AlarmTransition> journal = book.journal(10);
        assertThat(journal).extracting(AlarmTransition::transition)
                .containsExactly("ack", "return", "activate", "return", "activate");
        assertThat(journal.get(0).from()).isEqualTo(AlarmState.UNACK_RETURNED);
        assertThat(journal.get(0).to()).isEqualTo(AlarmState.NORMAL);
        assertThat(journal.get(0).actor()).isEqualTo("ana");
        assertThat(journal.get(1).actor()).isEqualTo("alarms");
        assertThat(book.journal(2)).hasSize(2);
    }

    @Test
    void acknowledgeRefusesWhatHasNothingToAcknowledge() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0)));
        pv("hlt", 70);
        assertThatThrownBy(() -> book.acknowledge("hlt.hi", "ana", "hmi", null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NORMAL");
        pv("hlt", 90);
        assertThatThrownBy(() -> book.acknowledge("hlt.hi", " ", "hmi", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
        book.acknowledge("hlt.hi", "ana", "hmi", null);
        assertThatThrownBy(() -> book.acknowledge("hlt.hi", "ana", "hmi", null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ACK_ACTIVE");
        assertThatThrownBy(() -> book.acknowledge("nope", "ana", "hmi", null))
                .isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void deadbandKeepsAnAlarmUntilTheValueComesBackPastIt() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 2, 0, 0),
                alarm("glycol.lo", "glycol", "pv", AlarmKind.LO, -5, 1, 0, 0)));
        pv("hlt", 80.5);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
        pv("hlt", 79);
        assertThat(state("hlt.hi")).as("inside the deadband").isEqualTo(AlarmState.UNACK_ACTIVE);
        pv("hlt", 78.1);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
        pv("hlt", 77.9);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.UNACK_RETURNED);

        pv("glycol", -5.5);
        assertThat(state("glycol.lo")).isEqualTo(AlarmState.UNACK_ACTIVE);
        pv("glycol", -4.2);
        assertThat(state("glycol.lo")).isEqualTo(AlarmState.UNACK_ACTIVE);
        pv("glycol", -3.9);
        assertThat(state("glycol.lo")).isEqualTo(AlarmState.UNACK_RETURNED);
    }

    @Test
    void onDelayNeedsTheConditionToHoldThatLong() {
        book.define(List.of(alarm("fv1.pv.dev", "fv1", "pv", AlarmKind.DEVIATION, 1.5, 0.3, 600_000, 0)));
        book.zone(plant.zone("fv1", ZoneState.ONLINE, Map.of("pv", 20.0, "sv", 18.0)));
        plant.advance(599_000);
        book.tick();
        assertThat(state("fv1.pv.dev")).isEqualTo(AlarmState.NORMAL);

        // back inside the band for a moment: the delay starts again
        pv("fv1", 18.5);
        pv("fv1", 16.0);
        plant.advance(599_999);
        book.tick();
        assertThat(state("fv1.pv.dev")).isEqualTo(AlarmState.NORMAL);
        plant.advance(1);
        book.tick();
        assertThat(state("fv1.pv.dev")).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(view("fv1.pv.dev").value()).isEqualTo("16.00 (sv 18.00)");
    }

    @Test
    void offDelayNeedsTheConditionGoneThatLong() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 30_000)));
        pv("hlt", 82);
        book.acknowledge("hlt.hi", "ana", "hmi", null);
        pv("hlt", 78);
        plant.advance(29_999);
        book.tick();
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.ACK_ACTIVE);
        pv("hlt", 81); // back over the limit: the off-delay starts again
        pv("hlt", 78);
        plant.advance(29_999);
        book.tick();
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.ACK_ACTIVE);
        plant.advance(1);
        book.tick();
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.NORMAL);
    }

    @Test
    void dataThatIsNotGoodHoldsTheState() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0)));
        pv("hlt", 90);
        book.tags(List.of(plant.tag("hlt", "pv", 20.0, Quality.BAD)));
        assertThat(state("hlt.hi")).as("a failed probe does not clear the alarm").isEqualTo(AlarmState.UNACK_ACTIVE);
        book.tags(List.of(plant.tag("hlt", "pv", null, Quality.STALE)));
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
        pv("hlt", 20);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.UNACK_RETURNED);
    }

    @Test
    void timedShelfHidesTheAlarmUntilItExpires() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0)));
        pv("hlt", 90);
        Alarm shelved = book.shelve("hlt.hi", "sup", "hmi", "probe being recalibrated", 30 * 60_000);
        assertThat(shelved.state()).isEqualTo(AlarmState.ACK_ACTIVE);
        assertThat(shelved.annunciated()).isFalse();
        assertThat(shelved.shelf().user()).isEqualTo("sup");
        assertThat(shelved.shelf().until()).isEqualTo(plant.now() + 30 * 60_000);

        // while shelved, the alarm follows the process without being annunciated
        pv("hlt", 70);
        pv("hlt", 91);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.ACK_ACTIVE);
        plant.advance(30 * 60_000 - 1);
        book.tick();
        assertThat(view("hlt.hi").shelf()).isNotNull();
        plant.advance(1);
        book.tick();
        assertThat(view("hlt.hi").shelf()).isNull();
        assertThat(state("hlt.hi")).as("still active: annunciated again").isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(book.journal(1).get(0).transition()).isEqualTo("shelf_expired");
        assertThat(plant.actions()).contains("alarm.shelve", "alarm.shelf_expired");
    }

    @Test
    void shelvingNeedsAUserAReasonAndATimeWithinTheMaximum() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0)));
        assertThatThrownBy(() -> book.shelve("hlt.hi", "sup", "hmi", "", 60_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        assertThatThrownBy(() -> book.shelve("hlt.hi", null, "hmi", "why", 60_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
        assertThatThrownBy(() -> book.shelve("hlt.hi", "sup", "hmi", "why", 481 * 60_000L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("480 minutes");
        assertThatThrownBy(() -> book.unshelve("hlt.hi", "sup", "hmi", "why"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(plant.audited).isEmpty();
    }

    @Test
    void oneShotShelfEndsWhenTheAlarmReturnsAndUnshelveReannunciates() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0),
                alarm("kettle.hi", "kettle", "pv", AlarmKind.HI, 100, 0, 0, 0)));
        pv("hlt", 90);
        Alarm shelved = book.shelve("hlt.hi", "sup", "hmi", "known, heater being fixed", 0);
        assertThat(shelved.shelf().oneShot()).isTrue();
        assertThat(shelved.shelf().until()).isEqualTo(plant.now() + Settings.standard().shelveMaxMs());
        pv("hlt", 70);
        assertThat(view("hlt.hi").shelf()).isNull();
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.NORMAL);
        pv("hlt", 90);
        assertThat(state("hlt.hi")).as("the next activation is annunciated").isEqualTo(AlarmState.UNACK_ACTIVE);

        pv("kettle", 101);
        book.shelve("kettle.hi", "sup", "hmi", "boil-over test", 60_000);
        assertThat(state("kettle.hi")).isEqualTo(AlarmState.ACK_ACTIVE);
        assertThat(book.unshelve("kettle.hi", "sup", "hmi", "test done").state()).isEqualTo(AlarmState.UNACK_ACTIVE);
    }

    @Test
    void suppressionByDesignPerZone() {
        book.define(List.of(alarm("fv1.hi", "fv1", "pv", AlarmKind.HI, 25, 0, 0, 0),
                alarm("fv2.hi", "fv2", "pv", AlarmKind.HI, 25, 0, 0, 0)));
        book.configure(Settings.standard().withSuppressedZones(Set.of("fv1")));
        assertThat(view("fv1.hi").suppressed()).isTrue();
        assertThat(view("fv2.hi").suppressed()).isFalse();

        pv("fv1", 30); // fermenter in CIP: hot, but nobody is told
        pv("fv2", 30);
        assertThat(state("fv1.hi")).isEqualTo(AlarmState.ACK_ACTIVE);
        assertThat(view("fv1.hi").annunciated()).isFalse();
        assertThat(state("fv2.hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(book.metrics().activations()).as("suppressed activations are not counted").isEqualTo(1);

        // back in use while still hot: it is annunciated now
        book.configure(Settings.standard());
        assertThat(state("fv1.hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(plant.actions()).contains("alarm.suppress", "alarm.unsuppress");
    }

    @Test
    void aTankInCipSuppressesItsProcessAlarmsButNotItsCommunicationLoss() {
        book.define(List.of(alarm("fv1.hi", "fv1", "pv", AlarmKind.HI, 25, 0, 0, 0),
                alarm("fv2.hi", "fv2", "pv", AlarmKind.HI, 25, 0, 0, 0),
                alarm("fv1.comm", "fv1", "", AlarmKind.COMM_LOSS, 0, 0, 0, 0)));
        book.tags(List.of(plant.tag("fv1", "cip", true, Quality.GOOD), plant.tag("fv2", "cip", false, Quality.GOOD)));
        assertThat(view("fv1.hi").suppressed()).isTrue();
        assertThat(view("fv2.hi").suppressed()).isFalse();
        assertThat(view("fv1.comm").suppressed()).as("comm loss is never a process state").isFalse();
        assertThat(book.journal(10)).filteredOn(t -> t.transition().equals("suppress")).singleElement()
                .satisfies(t -> assertThat(t.reason()).contains("fv1.cip is true"));

        pv("fv1", 60); // hot caustic: nobody is told
        pv("fv2", 30);
        assertThat(view("fv1.hi").annunciated()).isFalse();
        assertThat(state("fv2.hi")).isEqualTo(AlarmState.UNACK_ACTIVE);

        // CIP ends while still hot: now it is told
        book.tags(List.of(plant.tag("fv1", "cip", false, Quality.GOOD)));
        assertThat(view("fv1.hi").suppressed()).isFalse();
        assertThat(state("fv1.hi")).isEqualTo(AlarmState.UNACK_ACTIVE);

        // a CIP flag that cannot be trusted suppresses nothing
        book.tags(List.of(plant.tag("fv2", "cip", true, Quality.STALE)));
        assertThat(view("fv2.hi").suppressed()).isFalse();

        book.configure(Settings.standard().withSuppressWhen(List.of()));
        book.tags(List.of(plant.tag("fv1", "cip", true, Quality.GOOD)));
        assertThat(view("fv1.hi").suppressed()).as("no states configured: nothing suppressed").isFalse();
    }

    @Test
    void suppressionByDesignPerAlarm() {
        book.define(List.of(alarm("fv1.hi", "fv1", "pv", AlarmKind.HI, 25, 0, 0, 0).withSuppressed(true)));
        pv("fv1", 30);
        assertThat(state("fv1.hi")).isEqualTo(AlarmState.ACK_ACTIVE);
        assertThat(view("fv1.hi").suppressed()).isTrue();
    }

    @Test
    void outOfServiceNeedsAUserAndAReason() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0)));
        assertThatThrownBy(() -> book.setInService("hlt.hi", false, "tech", "hmi", ""))
                .isInstanceOf(IllegalArgumentException.class);
        Alarm out = book.setInService("hlt.hi", false, "tech", "hmi", "probe replaced");
        assertThat(out.outOfService().user()).isEqualTo("tech");
        pv("hlt", 90);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.ACK_ACTIVE);
        assertThatThrownBy(() -> book.setInService("hlt.hi", false, "tech", "hmi", "again"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(book.setInService("hlt.hi", true, "tech", "hmi", "probe works").state())
                .isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(plant.actions()).contains("alarm.out_of_service", "alarm.in_service");
    }

    @Test
    void commLossWhenTheZoneGoesOffline() {
        book.define(AlarmEngine.definitions(Settings.standard(), List.of(PlantFeed.Zone.of("fv1", "fermenter")), List.of()));
        book.zone(plant.zone("fv1", ZoneState.ONLINE, Map.of("pv", 18.0, "sv", 18.0)));
        assertThat(state("fv1.comm")).isEqualTo(AlarmState.NORMAL);

        book.zone(plant.zone("fv1", ZoneState.OFFLINE, Map.of("pv", 18.0, "sv", 18.0)));
        plant.advance(1_999);
        book.tick();
        assertThat(state("fv1.comm")).as("the 2 s on-delay rides out a reconnect").isEqualTo(AlarmState.NORMAL);
        plant.advance(1);
        book.tick();
        assertThat(state("fv1.comm")).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(view("fv1.comm").value()).isEqualTo("zone offline");
        assertThat(view("fv1.comm").priority()).isEqualTo(AlarmPriority.HIGH);
        assertThat(state("fv1.pv.dev")).as("no data is no deviation").isEqualTo(AlarmState.NORMAL);

        book.zone(plant.zone("fv1", ZoneState.ONLINE, Map.of("pv", 18.0, "sv", 18.0)));
        assertThat(state("fv1.comm")).isEqualTo(AlarmState.UNACK_RETURNED);
    }

    @Test
    void aZoneNotHeardFromSinceStartGetsAGracePeriod() {
        book.define(AlarmEngine.definitions(Settings.standard(),
                List.of(PlantFeed.Zone.of("fv1", "fermenter"), PlantFeed.Zone.of("fv2", "fermenter")), List.of()));
        var neverSeen = plant.zone("fv1", ZoneState.OFFLINE, Map.of());
        book.zone(new org.brewpi.api.zone.ZoneSnapshot("fv1", "mqtt", null, ZoneState.OFFLINE, null, 0, Map.of(),
                neverSeen.counters()));
        plant.advance(29_999);
        book.tick();
        assertThat(state("fv1.comm")).as("the PLC may still be connecting").isEqualTo(AlarmState.NORMAL);
        assertThat(state("fv2.comm")).isEqualTo(AlarmState.NORMAL);
        plant.advance(1);
        book.tick();
        plant.advance(2_000);
        book.tick();
        assertThat(state("fv1.comm")).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(state("fv2.comm")).as("no driver ever reported it").isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(view("fv2.comm").value()).isEqualTo("zone never reported");
    }

    @Test
    void commLossOfOneTagWhenItIsStaleOrBad() {
        book.define(List.of(alarm("hlt.level.comm", "hlt", "level", AlarmKind.COMM_LOSS, 0, 0, 0, 0)));
        book.zone(plant.zone("hlt", ZoneState.ONLINE, Map.of("level", 60.0)));
        assertThat(state("hlt.level.comm")).isEqualTo(AlarmState.NORMAL);
        book.tags(List.of(plant.tag("hlt", "level", 60.0, Quality.STALE)));
        assertThat(state("hlt.level.comm")).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(view("hlt.level.comm").value()).isEqualTo("level stale");
        book.tags(List.of(plant.good("hlt", "level", 60.0)));
        assertThat(state("hlt.level.comm")).isEqualTo(AlarmState.UNACK_RETURNED);
        book.tags(List.of(plant.tag("hlt", "level", null, Quality.BAD)));
        assertThat(state("hlt.level.comm")).isEqualTo(AlarmState.UNACK_ACTIVE);
    }

    @Test
    void rateOfChangePerMinute() {
        book.define(List.of(alarm("mash.pv.rate", "mash", "pv", AlarmKind.RATE, 2.0, 0, 0, 0)));
        for (int s = 0; s <= 30; s += 5) { // +0.5 K every 5 s = 6 K/min
            pv("mash", 60 + s / 10.0);
            if (s < 30) {
                plant.advance(5_000);
            }
        }
        assertThat(state("mash.pv.rate")).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(view("mash.pv.rate").value()).isEqualTo("6.00/min");
        // the value holds: over the next minute the rate falls to zero with no new sample at all
        plant.advance(61_000);
        book.tick();
        assertThat(state("mash.pv.rate")).isEqualTo(AlarmState.UNACK_RETURNED);
    }

    @Test
    void discreteState() {
        book.define(List.of(new AlarmDefinition("cip.pump.fault", "cip", "pump_fault", AlarmKind.DISCRETE, 0, "true",
                AlarmPriority.MEDIUM, 0, 0, 0, "CIP pump fault", false, AlarmDefinition.CONFIG)));
        book.tags(List.of(plant.good("cip", "pump_fault", false)));
        assertThat(state("cip.pump.fault")).isEqualTo(AlarmState.NORMAL);
        book.tags(List.of(plant.good("cip", "pump_fault", true)));
        assertThat(state("cip.pump.fault")).isEqualTo(AlarmState.UNACK_ACTIVE);
    }

    @Test
    void listIsMostUrgentFirst() {
        book.define(List.of(
                new AlarmDefinition("a.low", "a", "pv", AlarmKind.HI, 1, "", AlarmPriority.LOW, 0, 0, 0, "", false, "config"),
                new AlarmDefinition("b.crit", "b", "pv", AlarmKind.HI, 1, "", AlarmPriority.CRITICAL, 0, 0, 0, "", false, "config"),
                new AlarmDefinition("c.idle", "c", "pv", AlarmKind.HI, 1, "", AlarmPriority.CRITICAL, 0, 0, 0, "", false, "config"),
                new AlarmDefinition("d.acked", "d", "pv", AlarmKind.HI, 1, "", AlarmPriority.CRITICAL, 0, 0, 0, "", false, "config")));
        pv("a", 5);
        pv("b", 5);
        pv("d", 5);
        book.acknowledge("d.acked", "ana", "hmi", null);
        assertThat(book.alarms()).extracting(Alarm::id).containsExactly("b.crit", "a.low", "d.acked", "c.idle");
    }

    @Test
    void aRedefinedAlarmKeepsItsStateUnlessItsSignalChanged() {
        AlarmDefinition hi = alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0);
        book.define(List.of(hi));
        pv("hlt", 85);
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 82, 0, 0, 0)));
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(view("hlt.hi").definition().limit()).isEqualTo(82);
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 90, 0, 0, 0)));
        assertThat(state("hlt.hi")).as("85 is below the new limit").isEqualTo(AlarmState.UNACK_RETURNED);
        book.define(List.of());
        assertThat(book.alarms()).isEmpty();
        assertThat(book.journal(1).get(0).transition()).isEqualTo("removed");
    }

    @Test
    void anActTheAuditTrailCannotRecordIsRefusedAndChangesNothing() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0)));
        pv("hlt", 90);
        plant.auditBroken = true;
        assertThatThrownBy(() -> book.acknowledge("hlt.hi", "ana", "hmi", null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("audit")
                .cause().hasMessage("disk full");
        assertThatThrownBy(() -> book.shelve("hlt.hi", "ana", "hmi", "why", 60_000))
                .isInstanceOf(IllegalStateException.class);
        assertThat(view("hlt.hi").state()).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(view("hlt.hi").shelf()).isNull();

        // the process does not wait for the audit trail: the transition happens and is counted
        pv("hlt", 70);
        assertThat(state("hlt.hi")).isEqualTo(AlarmState.UNACK_RETURNED);
        assertThat(book.unaudited()).isEqualTo(1);
        assertThat(book.counts()).containsEntry("unauditedTransitions", 1L).containsEntry("lastAuditError", "disk full");
    }

    @Test
    void auditEntriesSayWhoDidWhatToWhichAlarm() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0)));
        pv("hlt", 90);
        book.acknowledge("hlt.hi", "ana", "rest", "on it");
        var activate = plant.audited.get(0);
        assertThat(activate.actor()).isEqualTo("alarms");
        assertThat(activate.entryPoint()).isEqualTo("internal");
        assertThat(activate.target()).isEqualTo("hlt.hi");
        assertThat(activate.oldValue()).isEqualTo("NORMAL");
        assertThat(activate.newValue()).isEqualTo("UNACK_ACTIVE");
        var ack = plant.audited.get(1);
        assertThat(ack.actor()).isEqualTo("ana");
        assertThat(ack.entryPoint()).isEqualTo("rest");
        assertThat(ack.action()).isEqualTo("alarm.ack");
        assertThat(ack.reason()).isEqualTo("on it");
        assertThat(ack.newValue()).isEqualTo("ACK_ACTIVE");
    }

    @Test
    void countsForHealth() {
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0),
                new AlarmDefinition("k.hi", "k", "pv", AlarmKind.HI, 1, "", AlarmPriority.CRITICAL, 0, 0, 0, "", false, "config")));
        pv("hlt", 90);
        pv("k", 5);
        book.acknowledge("k.hi", "ana", "hmi", null);
        @SuppressWarnings("unchecked")
        Map<String, Integer> byPriority = (Map<String, Integer>) book.counts().get("notNormalByPriority");
        assertThat(byPriority).containsEntry("critical", 1).containsEntry("high", 1).containsEntry("low", 0);
        @SuppressWarnings("unchecked")
        Map<String, Integer> byState = (Map<String, Integer>) book.counts().get("byState");
        assertThat(byState).containsEntry("UNACK_ACTIVE", 1).containsEntry("ACK_ACTIVE", 1).containsEntry("NORMAL", 0);
    }
}
