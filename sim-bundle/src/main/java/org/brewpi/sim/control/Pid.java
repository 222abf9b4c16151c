package org.brewpi.sim.control;

/**
 * The zone PLC's loop controller: a PID in positional form, output = P + I + D, clamped to the
 * output limits.
 *
 * <ul>
 * <li>Anti-windup by conditional integration: while the output is saturated and the error would
 * push it further, the integral stands still, so a saturated output comes back the moment the
 * error changes sign.</li>
 * <li>Bumpless transfer: while someone else sets the output (manual, off, an interlock) the loop
 * {@link #track tracks} it by setting its integral so that P + I + D equals the applied output;
 * switching to auto then continues from that output.</li>
 * <li>The derivative acts on the measurement (no kick on a setpoint change), through a first-order
 * filter.</li>
 * </ul>
 * Measurement noise averages out in the integral; it is not rectified at the limits as it would
 * be in the velocity form.
 *
 * <p>Times are in seconds of plant time. Direction comes from the limits: a cooling loop has limits
 * such as [-100, 0] and the same positive gains (measurement above setpoint gives a negative output).
 */
public final class Pid {

    /** Derivative filter: the derivative's time constant is {@code td / DERIVATIVE_FILTER}. */
    private static final double DERIVATIVE_FILTER = 10.0;

    private final double kp;
    private final double ti;
    private final double td;
    private final double outMin;
    private final double outMax;

    private double integral;
    private double derivative;
    private double lastMeasurement = Double.NaN;
    private double output;

    /**
     * @param kp proportional gain, output units per measurement unit
     * @param ti integral time in seconds, {@code 0} for none
     * @param td derivative time in seconds, {@code 0} for none
     */
    public Pid(double kp, double ti, double td, double outMin, double outMax) {
        if (!(outMin < outMax)) {
            throw new IllegalArgumentException("output limits [" + outMin + ", " + outMax + "] are empty");
        }
        if (kp < 0 || ti < 0 || td < 0) {
            throw new IllegalArgumentException("gains must not be negative");
        }
        this.kp = kp;
        this.ti = ti;
        this.td = td;
        this.outMin = outMin;
        this.outMax = outMax;
        this.output = clamp(0.0);
        this.integral = output;
    }

    /** One control step of {@code dt} seconds; returns the new output, always within the limits. */
    public double update(double setpoint, double measurement, double dt) {
        if (!(dt > 0) || !Double.isFinite(setpoint) || !Double.isFinite(measurement)) {
            return output;
        }
        double error = setpoint - measurement;
        double proportional = kp * error;
        if (td > 0 && Double.isFinite(lastMeasurement)) {
            double raw = -kp * td * (measurement - lastMeasurement) / dt;
            derivative += dt / (dt + td / DERIVATIVE_FILTER) * (raw - derivative);
        }
        lastMeasurement = measurement;
        double candidate = integral + (ti > 0 ? kp / ti * error * dt : 0.0);
        double unclamped = proportional + candidate + derivative;
        boolean pushingFurther = (unclamped > outMax && error > 0) || (unclamped < outMin && error < 0);
        if (!pushingFurther) {
            integral = candidate;
        }
        output = clamp(proportional + integral + derivative);
        return output;
    }

    /**
     * Follows an output set by someone else (manual mode, off, an interlock) so that the next
     * {@link #update} continues from it without a bump.
     */
    public void track(double appliedOutput, double setpoint, double measurement) {
        output = clamp(appliedOutput);
        derivative = 0.0;
        boolean known = Double.isFinite(setpoint) && Double.isFinite(measurement);
        integral = known ? output - kp * (setpoint - measurement) : output;
        lastMeasurement = known ? measurement : Double.NaN;
    }

    public double output() {
        return output;
    }

    public double outMin() {
        return outMin;
    }

    public double outMax() {
        return outMax;
    }

    private double clamp(double value) {
        return Math.max(outMin, Math.min(outMax, value));
    }
}
