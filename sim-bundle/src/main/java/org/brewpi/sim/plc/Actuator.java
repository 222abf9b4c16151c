package org.brewpi.sim.plc;

/** The final element a zone's loop drives. */
public enum Actuator {
    /** Hot side: the element, modulated 0..100 %. */
    HEATER("heater", 1),
    /** Fermenters and brite tanks: the jacket's glycol valve, out -100..0 %. */
    GLYCOL_VALVE("glycol_valve", -1),
    /** The glycol chiller's compressor, out -100..0 %. */
    COMPRESSOR("compressor", -1);

    private final String tag;
    private final int sign;

    Actuator(String tag, int sign) {
        this.tag = tag;
        this.sign = sign;
    }

    public String tag() {
        return tag;
    }

    /** {@code out} with the actuator fully on: +100 for heating, -100 for cooling. */
    public double fullOutput() {
        return 100.0 * sign;
    }

    /** Whether the actuator is on at output {@code out}. */
    public boolean isOnAt(double out) {
        return sign > 0 ? out > 0 : out < 0;
    }
}
