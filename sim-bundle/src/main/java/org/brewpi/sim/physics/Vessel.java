package org.brewpi.sim.physics;

/**
 * One zone's vessel: its liquid temperature, level, and the actuators the PLC drives.
 * Only the {@link Plant} moves its temperature.
 */
public final class Vessel {

    private final String name;
    private final VesselSpec spec;
    private final TemperatureProbe probe;

    private double temperature;
    private double levelPercent;
    private double heater;
    private double cooling;
    private boolean flow = true;
    private double fermentationAgeSeconds;

    Vessel(String name, VesselSpec spec, double temperature, double levelPercent, double fermentationAgeSeconds) {
        this.name = name;
        this.spec = spec;
        this.temperature = temperature;
        this.levelPercent = clampPercent(levelPercent);
        this.fermentationAgeSeconds = fermentationAgeSeconds;
        this.probe = new TemperatureProbe(temperature, spec.probeNoise());
    }

    public String name() {
        return name;
    }

    public VesselSpec spec() {
        return spec;
    }

    public TemperatureProbe probe() {
        return probe;
    }

    /** The liquid's true temperature, degC. */
    public double temperature() {
        return temperature;
    }

    /** Puts the liquid at a temperature (a fill with hot or cold liquid, or a test). */
    public void setTemperature(double temperature) {
        this.temperature = temperature;
    }

    public double levelPercent() {
        return levelPercent;
    }

    /** Fills or drains the vessel. */
    public void setLevelPercent(double levelPercent) {
        this.levelPercent = clampPercent(levelPercent);
    }

    /** Heater output as a fraction 0..1 of the element's power. */
    public void setHeater(double fraction) {
        heater = clampFraction(fraction);
    }

    public double heater() {
        return heater;
    }

    /** Cooling output 0..1: the jacket's glycol valve opening, or the chiller's compressor capacity. */
    public void setCooling(double fraction) {
        cooling = clampFraction(fraction);
    }

    public double cooling() {
        return cooling;
    }

    /** Whether liquid is moving past the element and probe (recirculation pump running). */
    public void setFlow(boolean flow) {
        this.flow = flow;
    }

    public boolean flow() {
        return flow;
    }

    public double fermentationAgeSeconds() {
        return fermentationAgeSeconds;
    }

    /** J/K of liquid and steel together. */
    public double heatCapacity() {
        return spec.capacityLiters() * levelPercent / 100.0 * spec.liquidHeatCapacityPerLiter() + spec.shellHeatCapacity();
    }

    boolean hasLiquid() {
        return levelPercent > 0.5;
    }

    double heaterPower() {
        double efficiency = flow ? spec.heaterEfficiency() : spec.noFlowEfficiency();
        return spec.heaterWatts() * efficiency * heater;
    }

    /** Heat released by the yeast: rises to a peak and tails off (t/tp · e^(1 - t/tp)). */
    double fermentationPower() {
        if (spec.fermentationPeakWatts() <= 0 || !hasLiquid()) {
            return 0.0;
        }
        double x = fermentationAgeSeconds / spec.fermentationPeakSeconds();
        return spec.fermentationPeakWatts() * x * Math.exp(1.0 - x);
    }

    void advance(double netWatts, double dt) {
        temperature += netWatts * dt / heatCapacity();
        if (spec.boils() && hasLiquid() && temperature > VesselSpec.BOILING_POINT) {
            // the surplus goes into steam
            temperature = VesselSpec.BOILING_POINT;
        }
        if (spec.fermentationPeakWatts() > 0) {
            fermentationAgeSeconds += dt;
        }
        probe.follow(temperature, dt, flow ? spec.probeTau() : spec.noFlowProbeTau());
    }

    private static double clampFraction(double value) {
        return Double.isFinite(value) ? Math.max(0.0, Math.min(1.0, value)) : 0.0;
    }

    private static double clampPercent(double value) {
        return Double.isFinite(value) ? Math.max(0.0, Math.min(100.0, value)) : 0.0;
    }
}
