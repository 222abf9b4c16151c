package org.brewpi.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class WatchdogTest {

    @Test
    void togglesEveryPeriodWhileHealthy() {
        Watchdog w = new Watchdog(250);
        List<Boolean> levels = new ArrayList<>();
        for (long t = 0; t <= 1000; t += 10) {
            boolean level = w.update(true, t);
            if (t % 250 == 0) {
                levels.add(level);
            }
        }
        assertThat(levels).containsExactly(true, false, true, false, true);
        assertThat(w.running()).isTrue();
    }

    @Test
    void stopsLowWhenUnhealthyAndRestartsWhenHealthyAgain() {
        Watchdog w = new Watchdog(100);
        w.update(true, 0);
        w.update(true, 100);
        assertThat(w.update(false, 150)).isFalse();
        assertThat(w.running()).isFalse();
        for (long t = 160; t < 1000; t += 10) {
            assertThat(w.update(false, t)).as("no pulse at %d ms", t).isFalse();
        }
        assertThat(w.update(true, 1000)).isTrue();
        assertThat(w.update(true, 1099)).isTrue();
        assertThat(w.update(true, 1100)).isFalse();
    }
}
