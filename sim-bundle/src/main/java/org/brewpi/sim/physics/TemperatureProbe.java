package org.brewpi.sim.physics;

import java.util.Random;

/**
 * A temperature probe in a thermowell: it follows the liquid with a first-order lag, adds noise and
 * reads in DS18B20 steps of 1/16 K.
 */
public final class TemperatureProbe {

    private static final double RESOLUTION = 1.0 / 16.0;

    private final double noise;
    private double lagged;
    private SensorFault fault = SensorFault.NONE;

    public TemperatureProbe(double initial, double noise) {
        this.lagged = initial;
        this.noise = noise;
    }

    /** Lets the probe follow {@code actual} for {@code dt} seconds with time constant {@code tau}. */
    void follow(double actual, double dt, double tau) {
        // exact for a first-order lag, so large steps at high time scales stay stable
        lagged += (actual - lagged) * (1.0 - Math.exp(-dt / tau));
    }

    /** What the PLC reads now. */
    public double read(Random random) {
        if (fault != SensorFault.NONE) {
            return fault.reading();
        }
        double noisy = lagged + random.nextGaussian() * noise;
        return Math.round(noisy / RESOLUTION) * RESOLUTION;
    }

    /** The probe's true (lagged, noise-free) temperature. */
    public double lagged() {
        return lagged;
    }

    public SensorFault fault() {
        return fault;
    }

    public void setFault(SensorFault fault) {
        this.fault = fault == null ? SensorFault.NONE : fault;
    }
}
