package org.brewpi.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void noConfigurationGivesTheDocumentedDefaults() throws Exception {
        Settings s = Settings.parse(Map.of());
        assertThat(s).isEqualTo(Settings.DEFAULTS);
        // the metatype defaults (what the configuration screen shows) are the same values
        for (Method m : HardwareConfig.class.getDeclaredMethods()) {
            Object annotationDefault = m.getDefaultValue();
            Object expected = switch (m.getName()) {
                case "provider" -> s.provider();
                case "estop_pin" -> s.estopPin();
                case "estop_closed_level" -> s.estopClosedHigh() ? "high" : "low";
                case "estop_pull" -> s.estopPull();
                case "estop_debounce_ms" -> s.debounceMs();
                case "beacon_pin" -> s.beaconPin();
                case "beacon_active_level" -> s.beaconActiveHigh() ? "high" : "low";
                case "horn_pin" -> s.hornPin();
                case "horn_active_level" -> s.hornActiveHigh() ? "high" : "low";
                case "watchdog_pin" -> s.watchdogPin();
                case "watchdog_period_ms" -> s.watchdogPeriodMs();
                case "watchdog_required_guards" -> s.requiredGuards();
                case "flash_slow_period_ms" -> s.flashSlowMs();
                case "flash_fast_period_ms" -> s.flashFastMs();
                case "force_retry_ms" -> s.forceRetryMs();
                default -> throw new AssertionError("attribute not covered: " + m.getName());
            };
            if (annotationDefault instanceof String[] a) {
                annotationDefault = Arrays.asList(a);
            }
            assertThat(annotationDefault).as(m.getName()).isEqualTo(expected);
        }
    }

    @Test
    void textValuesAsFileInstallGivesThem() {
        Settings s = Settings.parse(Map.of("provider", "MOCK", "estop.pin", "5", "estop.closed.level", "high",
                "estop.debounce.ms", "50", "beacon.active.level", "low", "watchdog.required.guards", "interlocks, other"));
        assertThat(s.provider()).isEqualTo("mock");
        assertThat(s.estopPin()).isEqualTo(5);
        assertThat(s.estopClosedHigh()).isTrue();
        assertThat(s.debounceMs()).isEqualTo(50);
        assertThat(s.beaconActiveHigh()).isFalse();
        assertThat(s.requiredGuards()).containsExactly("interlocks", "other");
        assertThat(Settings.parse(Map.of("watchdog.required.guards", new String[] { "a", "b" })).requiredGuards())
                .isEqualTo(List.of("a", "b"));
    }

    @Test
    void everyBadValueIsNamed() {
        assertThatThrownBy(() -> Settings.parse(Map.of("provider", "spi", "estop.pin", "40", "horn.pin", "x",
                "estop.debounce.ms", "-1", "beacon.pin", "23")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("provider 'spi' is not one of auto, gpiod, mock")
                .hasMessageContaining("estop.pin 40 is outside 0..27")
                .hasMessageContaining("horn.pin 'x' is not a whole number")
                .hasMessageContaining("estop.debounce.ms -1")
                .hasMessageContaining("GPIO23 is assigned twice");
    }
}
