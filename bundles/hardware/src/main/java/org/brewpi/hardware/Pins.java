package org.brewpi.hardware;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;

/**
 * The box's four pins in one Pi4J context. The context is built with explicit providers (no ServiceLoader,
 * which does not see embedded plugins inside OSGi): gpiod on a Raspberry Pi 5, the mock elsewhere.
 */
final class Pins implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pins.class);

    static final String ESTOP = "brewpi-estop";
    static final String BEACON = "brewpi-beacon";
    static final String HORN = "brewpi-horn";
    static final String WATCHDOG = "brewpi-watchdog";

    static final String GPIOD = "gpiod";
    static final String MOCK = "mock";

    /** @param reason why this provider was chosen, for health */
    record Choice(String provider, String reason) {
    }

    final Context context;
    final String provider;
    final String reason;
    private final DigitalInput estop;
    private final DigitalOutput beacon;
    private final DigitalOutput horn;
    private final DigitalOutput watchdog;
    private final Settings settings;

    private Pins(Context context, String provider, String reason, Settings s) {
        this.context = context;
        this.provider = provider;
        this.reason = reason;
        this.settings = s;
        try {
            estop = context.create(DigitalInput.newConfigBuilder(context).id(ESTOP).name("E-stop (normally closed)")
                    .address(s.estopPin()).pull(pull(s.estopPull())).debounce(0L)); // debounced by us, on every read
            beacon = output(context, BEACON, "Beacon", s.beaconPin(), s.beaconActiveHigh());
            horn = output(context, HORN, "Horn", s.hornPin(), s.hornActiveHigh());
            // low = no pulse: the relay's idle, de-energised state
            watchdog = output(context, WATCHDOG, "Watchdog", s.watchdogPin(), true);
        } catch (RuntimeException e) {
            context.shutdown();
            throw e;
        }
    }

    /**
     * Opens the pins with the configured provider. {@code auto} takes gpiod when the kernel has GPIO chips
     * and the gpiod provider opens the pins, the mock otherwise.
     *
     * @throws RuntimeException (or a linkage error) when {@code gpiod} was asked for and cannot be opened
     */
    static Pins open(Settings s, Path dev) {
        switch (s.provider()) {
            case MOCK -> {
                return mock(s, "configured (provider = mock)");
            }
            case GPIOD -> {
                return gpiod(s, "configured (provider = gpiod)");
            }
            default -> {
                if (!hasGpioChip(dev)) {
                    return mock(s, "auto: no " + dev.resolve("gpiochip*") + " on this machine");
                }
                try {
                    return gpiod(s, "auto: GPIO chip found and the gpiod provider opened the pins");
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("GPIO chips exist but the gpiod provider failed ({}); using the mock: the E-stop is NOT read",
                            e.toString());
                    return mock(s, "auto: GPIO chip found but gpiod failed: " + e);
                }
            }
        }
    }

    static boolean hasGpioChip(Path dev) {
        try (DirectoryStream<Path> chips = Files.newDirectoryStream(dev, "gpiochip*")) {
            return chips.iterator().hasNext();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static Pins mock(Settings s, String reason) {
        Context context = Pi4J.newContextBuilder()
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                .build();
        return new Pins(context, MOCK, reason, s);
    }

    private static Pins gpiod(Settings s, String reason) {
        Context context = Pi4J.newContextBuilder()
                .add(GpioDDigitalInputProvider.newInstance(), GpioDDigitalOutputProvider.newInstance())
                .build();
        return new Pins(context, GPIOD, reason, s);
    }

    private static DigitalOutput output(Context context, String id, String name, int pin, boolean activeHigh) {
        DigitalState idle = activeHigh ? DigitalState.LOW : DigitalState.HIGH;
        return context.create(DigitalOutput.newConfigBuilder(context).id(id).name(name).address(pin)
                .initial(idle).shutdown(idle));
    }

    private static PullResistance pull(String pull) {
        return switch (pull) {
            case "down" -> PullResistance.PULL_DOWN;
            case "off" -> PullResistance.OFF;
            default -> PullResistance.PULL_UP;
        };
    }

    /** Whether the E-stop loop is open now (the button pressed or the wire cut). */
    boolean estopOpen() {
        return estop.state().isHigh() != settings.estopClosedHigh();
    }

    /** Tells {@code onChange} of every edge of the E-stop input (loop open = true), on Pi4J's thread. */
    void onEstopEdge(Consumer<Boolean> onChange) {
        estop.addListener(event -> onChange.accept(event.state().isHigh() != settings.estopClosedHigh()));
    }

    void beacon(boolean on) {
        drive(beacon, on, settings.beaconActiveHigh());
    }

    void horn(boolean on) {
        drive(horn, on, settings.hornActiveHigh());
    }

    void watchdog(boolean high) {
        drive(watchdog, high, true);
    }

    private static void drive(DigitalOutput out, boolean on, boolean activeHigh) {
        DigitalState wanted = on == activeHigh ? DigitalState.HIGH : DigitalState.LOW;
        if (out.state() != wanted) {
            out.state(wanted);
        }
    }

    /** Outputs to their idle level (via their shutdown state) and the pins released. */
    @Override
    public void close() {
        try {
            context.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Pi4J context did not shut down cleanly: {}", e.toString());
        }
    }
}
