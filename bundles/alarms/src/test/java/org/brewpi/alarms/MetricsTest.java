package org.brewpi.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.brewpi.alarms.PlantFeed.alarm;

import java.util.ArrayList;
import java.util.List;

import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmMetrics;
import org.junit.jupiter.api.Test;

/** ISA-18.2 alarm-system metrics, from activations made through the state machine. */
class MetricsTest {

    private final PlantFeed plant = new PlantFeed();
    private final AlarmBook book = plant.book(Settings.standard());

    /** Zones z0..z{n-1}, one HI alarm each at 10. */
    private void define(int n) {
        List<AlarmDefinition> defs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            defs.add(alarm("z" + i + ".hi", "z" + i, "pv", AlarmKind.HI, 10, 0, 0, 0));
        }
        book.define(defs);
    }

    private void flick(int zone) {
        book.tags(List.of(plant.good("z" + zone, "pv", 20.0)));
        book.tags(List.of(plant.good("z" + zone, "pv", 0.0)));
    }

    @Test
    void emptyPlantHasNoAlarmLoad() {
        define(3);
        AlarmMetrics m = book.metrics();
        assertThat(m.activations()).isZero();
        assertThat(m.top10Share()).isZero();
        assertThat(m.flooding()).isFalse();
        assertThat(m.chattering()).isEmpty();
        assertThat(m.stale()).isEmpty();
    }

    @Test
    void floodIsTenOrMoreInTenMinutes() {
        define(12);
        plant.clock.set(PlantFeed.T0 - PlantFeed.T0 % ActivationLog.TEN_MINUTES + 60_000); // a minute into a period
        for (int i = 0; i < 9; i++) {
            flick(i);
            plant.advance(30_000);
        }
        AlarmMetrics m = book.metrics();
        assertThat(m.last10Min()).isEqualTo(9);
        assertThat(m.flooding()).isFalse();
        assertThat(m.floodPeriods()).isZero();
        flick(9);
        m = book.metrics();
        assertThat(m.last10Min()).isEqualTo(10);
        assertThat(m.flooding()).isTrue();
        assertThat(m.floodPeriods()).isEqualTo(1);

        plant.advance(ActivationLog.TEN_MINUTES);
        m = book.metrics();
        assertThat(m.flooding()).as("the flood is over").isFalse();
        assertThat(m.last10Min()).isZero();
        assertThat(m.floodPeriods()).as("but it is remembered").isEqualTo(1);
        assertThat(m.activations()).isEqualTo(10);
    }

    @Test
    void chatteringIsThreeActivationsInOneMinute() {
        define(2);
        flick(0);
        plant.advance(20_000);
        flick(0);
        plant.advance(20_000);
        flick(1);
        plant.advance(20_000);
        flick(1);
        plant.advance(39_000);
        flick(1); // 3 of z1 within 59 s
        plant.advance(1_000);
        flick(0); // 3 of z0 but over 80 s
        AlarmMetrics m = book.metrics();
        assertThat(m.chattering()).containsExactly("z1.hi");
        assertThat(m.chatterCount()).isEqualTo(3);
    }

    @Test
    void staleIsActiveForMoreThanADay() {
        define(2);
        book.tags(List.of(plant.good("z0", "pv", 20.0)));
        plant.advance(12 * Settings.HOUR);
        book.tags(List.of(plant.good("z1", "pv", 20.0)));
        plant.advance(12 * Settings.HOUR);
        assertThat(book.metrics().stale()).isEmpty();
        plant.advance(1);
        assertThat(book.metrics().stale()).containsExactly("z0.hi");
    }

    @Test
    void topTenShareAndAverage() {
        define(12);
        for (int i = 0; i < 10; i++) {
            flick(i);
            flick(i);
            plant.advance(60_000);
        }
        flick(10);
        flick(11);
        plant.advance(Settings.HOUR);
        AlarmMetrics m = book.metrics();
        assertThat(m.activations()).isEqualTo(22);
        assertThat(m.top10()).hasSize(10);
        assertThat(m.top10().get(0).activations()).isEqualTo(2);
        assertThat(m.top10Share()).isCloseTo(20.0 / 22, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.windowMs()).isEqualTo(70 * 60_000L);
        assertThat(m.averagePer10Min()).isCloseTo(22 / 7.0, org.assertj.core.data.Offset.offset(1e-9));

        // a day later they are out of the window
        plant.advance(24 * Settings.HOUR);
        assertThat(book.metrics().activations()).isZero();
    }
}
