package org.brewpi.sim.plc;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The {@code mode} tag of every zone. */
public enum Mode {
    /** Outputs off, the loop idle. */
    OFF,
    /** The local PID drives the output toward {@code sv}. */
    AUTO,
    /** The operator drives the actuator by writing it. */
    MANUAL;

    public static final List<String> WIRE_VALUES = Arrays.stream(values()).map(Mode::wire).toList();

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
