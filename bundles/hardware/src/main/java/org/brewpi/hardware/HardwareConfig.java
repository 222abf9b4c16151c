package org.brewpi.hardware;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The box's own GPIO: pins are BCM numbers (GPIO17 is pin 11 of the header). Wiring table in README.md. */
@ObjectClassDefinition(id = HardwareConfig.PID, name = "BrewPi hardware (GPIO)",
        description = "E-stop input, beacon, horn and watchdog outputs of the box, through Pi4J")
public @interface HardwareConfig {

    String PID = "brewpi.hardware";

    @AttributeDefinition(name = "GPIO provider", options = { @Option(value = "auto"), @Option(value = "gpiod"),
            @Option(value = "mock") },
            description = "auto: gpiod when /dev/gpiochip* exists and the gpiod provider opens the pins, else the mock; "
                    + "gpiod: the real pins or nothing (a failure holds the E-stop as pressed); mock: no hardware")
    String provider() default "auto";

    @AttributeDefinition(name = "E-stop input (BCM)")
    int estop_pin() default 17;

    @AttributeDefinition(name = "E-stop level with the loop closed", options = { @Option(value = "low"),
            @Option(value = "high") },
            description = "The normally-closed loop to ground with the pull-up reads low while closed (not pressed)")
    String estop_closed_level() default "low";

    @AttributeDefinition(name = "E-stop pull resistor", options = { @Option(value = "up"), @Option(value = "down"),
            @Option(value = "off") })
    String estop_pull() default "up";

    @AttributeDefinition(name = "E-stop debounce (ms)",
            description = "The input must hold a new level this long before it counts (both directions)")
    long estop_debounce_ms() default 30;

    @AttributeDefinition(name = "Beacon output (BCM)")
    int beacon_pin() default 27;

    @AttributeDefinition(name = "Beacon active level", options = { @Option(value = "high"), @Option(value = "low") })
    String beacon_active_level() default "high";

    @AttributeDefinition(name = "Horn output (BCM)")
    int horn_pin() default 22;

    @AttributeDefinition(name = "Horn active level", options = { @Option(value = "high"), @Option(value = "low") })
    String horn_active_level() default "high";

    @AttributeDefinition(name = "Watchdog output (BCM)")
    int watchdog_pin() default 23;

    @AttributeDefinition(name = "Watchdog toggle period (ms)",
            description = "The output changes level every period while the box is healthy; it stops (low) when not")
    long watchdog_period_ms() default 250;

    @AttributeDefinition(name = "Guards the watchdog needs",
            description = "Command guards (brewpi.guard) that must be present for the watchdog to run")
    String[] watchdog_required_guards() default { "interlocks" };

    @AttributeDefinition(name = "Slow flash period (ms)", description = "Full on+off cycle of the beacon's slow flash")
    long flash_slow_period_ms() default 1000;

    @AttributeDefinition(name = "Fast flash period (ms)", description = "Full on+off cycle of the beacon's fast flash")
    long flash_fast_period_ms() default 400;

    @AttributeDefinition(name = "Safe-state retry (ms)",
            description = "While the E-stop holds, a zone not yet in mode off is commanded again after this long")
    long force_retry_ms() default 5000;
}
