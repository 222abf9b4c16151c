package org.brewpi.sim.physics;

/**
 * The physical make-up of one zone's vessel, for a lumped (single temperature) heat balance.
 * Power in watts, heat capacities in J/K, conductances (UA) in W/K, times in seconds.
 *
 * @param capacityLiters vessel volume at 100 % level
 * @param liquidHeatCapacityPerLiter J/(L·K): water 4186, wort or beer about 4000, 35 % glycol about 3800
 * @param shellHeatCapacity the steel's own heat capacity, J/K
 * @param heaterWatts element power, 0 for none
 * @param heaterEfficiency share of the element's power that reaches the liquid
 * @param noFlowEfficiency the same with the recirculation pump stopped (only for vessels with a pump)
 * @param ambientUa heat loss to the room
 * @param jacketUa glycol jacket conductance with the valve fully open, 0 for none
 * @param chillerWatts cooling capacity of the chiller at full output, 0 for none
 * @param fermentationPeakWatts heat released by an active fermentation at its peak, 0 for none
 * @param fermentationPeakSeconds age of the fermentation at its peak
 * @param boils whether the liquid boils at {@link #BOILING_POINT} (an open vessel of water or wort)
 * @param probeTau time constant of the temperature probe in its thermowell
 * @param noFlowProbeTau the same with the recirculation pump stopped
 * @param probeNoise standard deviation of the probe's noise, K
 */
public record VesselSpec(double capacityLiters, double liquidHeatCapacityPerLiter, double shellHeatCapacity,
        double heaterWatts, double heaterEfficiency, double noFlowEfficiency, double ambientUa, double jacketUa,
        double chillerWatts, double fermentationPeakWatts, double fermentationPeakSeconds, boolean boils,
        double probeTau, double noFlowProbeTau, double probeNoise) {

    public static final double BOILING_POINT = 100.0;

    public VesselSpec {
        if (capacityLiters <= 0 || shellHeatCapacity <= 0 || probeTau <= 0 || noFlowProbeTau <= 0) {
            throw new IllegalArgumentException("capacity, shell heat capacity and probe time constants must be > 0");
        }
    }
}
