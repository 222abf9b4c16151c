package org.brewpi.hardware;

import java.util.LinkedHashMap;
import java.util.Map;

import org.brewpi.api.health.HealthContributor.Status;

/**
 * The {@code hardware} health component. DOWN: the pins cannot be opened (the E-stop is then held as
 * pressed). DEGRADED: a bad configuration (the previous one is kept), the last E-stop read or output write
 * failed, an E-stop press or release that could not be audited, the
 * mock chosen although GPIO chips exist, or the watchdog stopped on real hardware (the safety relay has
 * dropped out). On the mock the watchdog's stop is shown but not counted: no relay hangs on it.
 */
final class HardwareHealth {

    private HardwareHealth() {
    }

    static Status status(HardwareLayer h) {
        Pins pins = h.pins();
        if (pins == null) {
            return Status.DOWN;
        }
        Counters c = h.counters();
        boolean degraded = h.configError() != null
                || c.inputFailing || c.outputFailing || c.auditFailures.get() > 0
                || (Pins.GPIOD.equals(pins.provider) && h.watchdogStop() != null)
                || (Pins.MOCK.equals(pins.provider) && !"mock".equals(h.settings().provider()) && h.gpioChipPresent());
        return degraded ? Status.DEGRADED : Status.UP;
    }

    static Map<String, Object> details(HardwareLayer h) {
        Settings s = h.settings();
        Pins pins = h.pins();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("provider", pins == null ? null : pins.provider);
        d.put("providerReason", pins == null ? "GPIO not open: " + h.pinsError() : pins.reason);
        d.put("pins", Map.of("estop", s.estopPin(), "beacon", s.beaconPin(), "horn", s.hornPin(),
                "watchdog", s.watchdogPin()));
        Map<String, Object> estop = new LinkedHashMap<>();
        estop.put("state", h.state().name());
        estop.put("pressedAt", h.pressedAt());
        estop.put("closedLevel", s.estopClosedHigh() ? "high" : "low");
        estop.put("debounceMs", s.debounceMs());
        estop.put("unheld", h.unheld());
        d.put("estop", estop);
        Annunciation a = h.annunciation();
        HardwareLayer.Outputs out = h.outputs();
        d.put("beacon", Map.of("pattern", a.beacon().name(), "on", out.beacon()));
        d.put("horn", Map.of("on", out.horn()));
        Map<String, Object> watchdog = new LinkedHashMap<>();
        watchdog.put("running", h.watchdogStop() == null);
        watchdog.put("stoppedBecause", h.watchdogStop());
        watchdog.put("periodMs", s.watchdogPeriodMs());
        watchdog.put("level", out.watchdog());
        d.put("watchdog", watchdog);
        Counters c = h.counters();
        d.put("forcedCommands", c.forced.get());
        d.put("forceFailures", c.forceFailures.get());
        d.put("inputErrors", c.inputErrors.get());
        d.put("outputErrors", c.outputErrors.get());
        d.put("auditFailures", c.auditFailures.get());
        d.put("lastError", c.lastError.get());
        d.put("configError", h.configError());
        return d;
    }

}
