package org.brewpi.sim.physics;

/** Faults a DS18B20-style temperature probe shows, and the raw value it then reads. */
public enum SensorFault {
    NONE(Double.NaN),
    /** Wire broken or probe missing: the bus reads -127.0. */
    DISCONNECTED(-127.0),
    /** Brown-out or a read before conversion: the power-on value 85.0. */
    POWER_ON_RESET(85.0);

    private final double reading;

    SensorFault(double reading) {
        this.reading = reading;
    }

    public double reading() {
        return reading;
    }
}
