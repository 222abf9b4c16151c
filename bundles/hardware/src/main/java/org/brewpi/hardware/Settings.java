package org.brewpi.hardware;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code brewpi.hardware} configuration, checked. Parsed from the raw properties (FileInstall hands over
 * text) so that a bad value is named in the error instead of silently becoming 0.
 *
 * @param provider {@code auto}, {@code gpiod} or {@code mock}
 * @param estopClosedHigh whether the E-stop input reads high while its normally-closed loop is closed
 * @param estopPull {@code up}, {@code down} or {@code off}
 */
record Settings(String provider, int estopPin, boolean estopClosedHigh, String estopPull, long debounceMs,
        int beaconPin, boolean beaconActiveHigh, int hornPin, boolean hornActiveHigh, int watchdogPin,
        long watchdogPeriodMs, List<String> requiredGuards, long flashSlowMs, long flashFastMs, long forceRetryMs) {

    /** BCM GPIO numbers on the 40-pin header of every Raspberry Pi since the B+. */
    static final int MAX_BCM = 27;

    static final Settings DEFAULTS = new Settings("auto", 17, false, "up", 30, 27, true, 22, true, 23, 250,
            List.of("interlocks"), 1000, 400, 5000);

    Settings {
        requiredGuards = List.copyOf(requiredGuards);
    }

    /** @throws IllegalArgumentException naming every bad value */
    static Settings parse(Map<String, ?> p) {
        List<String> errors = new ArrayList<>();
        Reader r = new Reader(p, errors);
        Settings d = DEFAULTS;
        Settings s = new Settings(
                r.choice("provider", d.provider, "auto", "gpiod", "mock"),
                r.pin("estop.pin", d.estopPin),
                r.choice("estop.closed.level", "low", "low", "high").equals("high"),
                r.choice("estop.pull", d.estopPull, "up", "down", "off"),
                r.number("estop.debounce.ms", d.debounceMs, 0, 5_000),
                r.pin("beacon.pin", d.beaconPin),
                r.choice("beacon.active.level", "high", "high", "low").equals("high"),
                r.pin("horn.pin", d.hornPin),
                r.choice("horn.active.level", "high", "high", "low").equals("high"),
                r.pin("watchdog.pin", d.watchdogPin),
                r.number("watchdog.period.ms", d.watchdogPeriodMs, 20, 10_000),
                r.list("watchdog.required.guards", d.requiredGuards),
                r.number("flash.slow.period.ms", d.flashSlowMs, 100, 10_000),
                r.number("flash.fast.period.ms", d.flashFastMs, 100, 10_000),
                r.number("force.retry.ms", d.forceRetryMs, 500, 600_000));
        Set<Integer> pins = new HashSet<>();
        for (int pin : new int[] { s.estopPin, s.beaconPin, s.hornPin, s.watchdogPin }) {
            if (!pins.add(pin)) {
                errors.add("GPIO" + pin + " is assigned twice (E-stop, beacon, horn and watchdog need a pin each)");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("brewpi.hardware: " + String.join("; ", errors));
        }
        return s;
    }

    /** Reads one property at a time, collecting what is wrong rather than stopping at the first. */
    private record Reader(Map<String, ?> p, List<String> errors) {

        String text(String key) {
            Object v = p.get(key);
            if (v instanceof String[] a) {
                return String.join(",", a);
            }
            return v == null ? null : v.toString().trim();
        }

        String choice(String key, String fallback, String... allowed) {
            String v = text(key);
            if (v == null || v.isEmpty()) {
                return fallback;
            }
            String lower = v.toLowerCase(Locale.ROOT);
            if (!Arrays.asList(allowed).contains(lower)) {
                errors.add(key + " '" + v + "' is not one of " + String.join(", ", allowed));
                return fallback;
            }
            return lower;
        }

        long number(String key, long fallback, long min, long max) {
            String v = text(key);
            if (v == null || v.isEmpty()) {
                return fallback;
            }
            try {
                long n = Long.parseLong(v);
                if (n < min || n > max) {
                    errors.add(key + " " + n + " is outside " + min + ".." + max);
                    return fallback;
                }
                return n;
            } catch (NumberFormatException e) {
                errors.add(key + " '" + v + "' is not a whole number");
                return fallback;
            }
        }

        int pin(String key, int fallback) {
            return (int) number(key, fallback, 0, MAX_BCM);
        }

        List<String> list(String key, List<String> fallback) {
            Object v = p.get(key);
            if (v == null) {
                return fallback;
            }
            List<String> items = new ArrayList<>();
            for (String item : (v instanceof String[] a ? String.join(",", a) : v.toString()).split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
            return items;
        }
    }
}
