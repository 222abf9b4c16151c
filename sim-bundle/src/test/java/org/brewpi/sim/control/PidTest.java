package org.brewpi.sim.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PidTest {

    private static final double DT = 1.0;

    @Test
    void outputStaysWithinItsLimits() {
        Pid heating = new Pid(60, 600, 30, 0, 100);
        Pid cooling = new Pid(60, 600, 30, -100, 0);
        for (int i = 0; i < 1000; i++) {
            double pv = i % 2 == 0 ? -50 : 150;
            assertThat(heating.update(50, pv, DT)).isBetween(0.0, 100.0);
            assertThat(cooling.update(50, pv, DT)).isBetween(-100.0, 0.0);
        }
    }

    @Test
    void aCoolingLoopCoolsWhenTooWarmAndRestsWhenTooCold() {
        Pid cooling = new Pid(80, 1500, 0, -100, 0);
        assertThat(cooling.update(18, 19, DT)).isNegative();
        for (int i = 0; i < 100; i++) {
            cooling.update(18, 17, DT);
        }
        assertThat(cooling.output()).isZero();
    }

    @Test
    void noWindupWhileSaturated() {
        // the heater is dead: pv never moves, the loop sits at 100 % for 10 hours
        Pid pid = new Pid(60, 600, 0, 0, 100);
        for (int i = 0; i < 36_000; i++) {
            pid.update(80, 20, DT);
        }
        assertThat(pid.output()).isEqualTo(100.0);
        // pv now above the setpoint: a wound-up integral would keep the heater on for hours
        double first = pid.update(10, 20, DT);
        assertThat(first).isLessThan(100.0);
        for (int i = 0; i < 10; i++) {
            pid.update(10, 20, DT);
        }
        assertThat(pid.output()).isZero();
    }

    @Test
    void manualToAutoIsBumpless() {
        Pid pid = new Pid(60, 600, 0, 0, 100);
        // operator held 37 % by hand while pv is 20 K below setpoint: P alone would ask for 1200 %
        pid.track(37, 75, 55);
        double first = pid.update(75, 55, DT);
        assertThat(first).isCloseTo(37.0, within(60.0 / 600 * 20 * DT + 1e-9));
        assertThat(first).isGreaterThanOrEqualTo(37.0);
    }

    @Test
    void autoToManualToAutoContinuesFromTheAppliedOutput() {
        Pid pid = new Pid(60, 600, 0, 0, 100);
        for (int i = 0; i < 50; i++) {
            pid.update(66, 65.5, DT);
        }
        // manual at 0 % for a while (heater switched off by hand), pv unchanged
        for (int i = 0; i < 100; i++) {
            pid.track(0, 66, 65.5);
        }
        assertThat(pid.update(66, 65.5, DT)).isCloseTo(0.0, within(0.1));
    }

    @Test
    void derivativeActsOnTheMeasurementNotOnSetpointSteps() {
        Pid withD = new Pid(10, 600, 60, -100, 100);
        Pid withoutD = new Pid(10, 600, 0, -100, 100);
        withD.update(50, 50, DT);
        withoutD.update(50, 50, DT);
        // a setpoint step with pv unchanged: same answer with or without derivative
        assertThat(withD.update(52, 50, DT)).isCloseTo(withoutD.update(52, 50, DT), within(1e-9));
        // pv rising fast: the derivative brakes
        assertThat(withD.update(52, 51, DT)).isLessThan(withoutD.update(52, 51, DT));
    }

    @Test
    void closedLoopReachesTheSetpointWithoutOffsetOrBigOvershoot() {
        // first-order process: 100 % gives +40 K over ambient, 20 min time constant, 10 s probe lag
        Pid pid = new Pid(20, 300, 0, 0, 100);
        double temperature = 20;
        double probe = 20;
        double peak = 0;
        for (int t = 0; t < 4 * 3600; t++) {
            double out = pid.update(50, probe, DT);
            temperature += (20 + 0.4 * out - temperature) / 1200 * DT;
            probe += (temperature - probe) / 10 * DT;
            peak = Math.max(peak, temperature);
        }
        assertThat(temperature).isCloseTo(50.0, within(0.05));
        assertThat(peak).isLessThan(51.5);
    }

    @Test
    void noisyMeasurementsNearALimitDoNotBiasTheLoop() {
        // a fermenter needing ~3 % cooling, its probe noisy in 1/16 K steps: clamping at 0 % must not
        // turn the noise into extra cooling (the beer would settle well below its setpoint)
        Pid pid = new Pid(80, 1500, 0, -100, 0);
        java.util.Random random = new java.util.Random(1);
        double temperature = 18;
        double sumError = 0;
        int samples = 0;
        for (int t = 0; t < 48 * 3600; t++) {
            double reading = Math.round((temperature + random.nextGaussian() * 0.05) * 16) / 16.0;
            double out = pid.update(18, reading, DT);
            temperature += (110 + 3600 * out / 100) / 1.03e6 * DT; // 110 W of fermentation vs the jacket
            if (t > 24 * 3600) {
                sumError += 18 - temperature;
                samples++;
            }
        }
        assertThat(sumError / samples).isCloseTo(0.0, within(0.05));
    }

    @Test
    void badArgumentsAreRefusedAndBadInputsIgnored() {
        assertThatThrownBy(() -> new Pid(1, 1, 0, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pid(-1, 1, 0, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        Pid pid = new Pid(1, 10, 0, 0, 100);
        pid.track(40, 50, 45);
        assertThat(pid.update(50, Double.NaN, DT)).isEqualTo(40.0);
        assertThat(pid.update(50, 45, 0)).isEqualTo(40.0);
    }
}
