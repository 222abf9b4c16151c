package org.brewpi.sim.plc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.brewpi.sim.control.FailSafePolicy;
import org.brewpi.sim.physics.VesselSpec;

/**
 * What one type of zone PLC is: its tags and limits, its loop tuning, its fail-safe policy, the
 * vessel it sits on and how it starts. Temperatures in degC, outputs in %, PID times in seconds of
 * plant time.
 *
 * @param pvMin lower end of the probe's range (also its birth limits)
 * @param outMin declared range of {@code out}; the loop itself stays within [loopMin, loopMax]
 * @param overtempTrip over-temperature trip on pv, {@code NaN} for none
 * @param startTemperature liquid temperature at start, {@code NaN} for the room's
 * @param fermentationAgeSeconds how far into its fermentation the vessel starts
 */
public record ZoneProfile(String type, FailSafePolicy failsafe, double pvMin, double pvMax, double svMin, double svMax,
        double svStart, double outMin, double outMax, double loopMin, double loopMax, Mode startMode, Actuator actuator,
        boolean hasPump, boolean hasLevel, double levelStart, double overtempTrip, double kp, double ti, double td,
        VesselSpec vessel, double startTemperature, double fermentationAgeSeconds) {

    /** Types the simulator can emulate. */
    public static final List<String> TYPES = List.of("hlt", "mash", "kettle", "fermenter", "brite", "glycol");

    /** Setpoints the demo plant starts with where the type's default does not fit (a lager in fv2). */
    private static final Map<String, Double> DEMO_START_SETPOINTS = Map.of("fv2", 12.0);

    private static final double HOUR = 3600.0;

    /** The profile for {@code type}, with the demo plant's start setpoint for {@code zone} if it has one. */
    public static Optional<ZoneProfile> forZone(String zone, String type) {
        Optional<ZoneProfile> profile = forType(type);
        Double sv = DEMO_START_SETPOINTS.get(zone);
        return sv == null ? profile : profile.map(p -> p.startingAt(sv));
    }

    public static Optional<ZoneProfile> forType(String type) {
        return Optional.ofNullable(switch (type == null ? "" : type) {
            case "hlt" -> hot("hlt", 100, 75, 80, 102, 60, 600,
                    new VesselSpec(300, 4186, 40_000, 12_000, 0.95, 0.95, 10, 0, 0, 0, 1, true, 20, 20, 0.03), false);
            case "mash" -> hot("mash", 80, 66, 60, 85, 60, 600,
                    // a RIMS/HERMS mash heats well only with the wort recirculating past element and probe
                    new VesselSpec(250, 3800, 35_000, 9_000, 0.90, 0.70, 12, 0, 0, 0, 1, true, 15, 90, 0.03), true);
            case "kettle" -> hot("kettle", 105, 100, 70, 110, 40, 600,
                    new VesselSpec(300, 4000, 45_000, 18_000, 0.95, 0.95, 20, 0, 0, 0, 1, true, 15, 15, 0.03), false);
            case "fermenter" -> cold("fermenter", -5, 40, -2, 30, 18, -100, 100, Actuator.GLYCOL_VALVE, 80, 1500,
                    new VesselSpec(250, 4000, 30_000, 0, 1, 1, 4, 180, 0, 120, 36 * HOUR, false, 30, 30, 0.02),
                    24 * HOUR);
            case "brite" -> cold("brite", -5, 40, -2, 30, 2, -100, 100, Actuator.GLYCOL_VALVE, 80, 1500,
                    new VesselSpec(250, 4000, 30_000, 0, 1, 1, 4, 180, 0, 0, 1, false, 30, 30, 0.02), 0);
            case "glycol" -> cold("glycol", -30, 40, -10, 10, -2, -100, 0, Actuator.COMPRESSOR, 100, 600,
                    new VesselSpec(200, 3800, 20_000, 0, 1, 1, 12, 0, 4_000, 0, 1, false, 10, 10, 0.02), 0);
            default -> null;
        });
    }

    /** Hot side: heater, level, over-temperature trip, fail-safe {@code off}, starts in mode off at room temperature. */
    private static ZoneProfile hot(String type, double svMax, double svStart, double levelStart, double trip, double kp,
            double ti, VesselSpec vessel, boolean pump) {
        return new ZoneProfile(type, FailSafePolicy.OFF, 0, 120, 0, svMax, svStart, 0, 100, 0, 100, Mode.OFF,
                Actuator.HEATER, pump, true, levelStart, trip, kp, ti, 0, vessel, Double.NaN, 0);
    }

    /** Cold side: cooling only, fail-safe {@code hold_last}, starts regulating at its setpoint. */
    private static ZoneProfile cold(String type, double pvMin, double pvMax, double svMin, double svMax, double svStart,
            double outMin, double outMax, Actuator actuator, double kp, double ti, VesselSpec vessel,
            double fermentationAge) {
        return new ZoneProfile(type, FailSafePolicy.HOLD_LAST, pvMin, pvMax, svMin, svMax, svStart, outMin, outMax,
                -100, 0, Mode.AUTO, actuator, false, false, 0, Double.NaN, kp, ti, 0, vessel, svStart,
                fermentationAge);
    }

    /** The same zone starting at another setpoint (a cold zone also starts with its liquid there). */
    ZoneProfile startingAt(double sv) {
        double temperature = Double.isNaN(startTemperature) ? startTemperature : sv;
        return new ZoneProfile(type, failsafe, pvMin, pvMax, svMin, svMax, sv, outMin, outMax, loopMin, loopMax,
                startMode, actuator, hasPump, hasLevel, levelStart, overtempTrip, kp, ti, td, vessel, temperature,
                fermentationAgeSeconds);
    }

    /**
     * Plain on/off outputs the SCADA may switch in any mode, with how they start: the valves and pumps the
     * demo plant's interlocks watch (the kettle's inlet valve for the transfer from the mash, a fermenter's CIP
     * and product valve, the glycol loop's pump). They are bookkeeping only: the physics does not use them.
     */
    public Map<String, Boolean> switches() {
        return switch (type) {
            case "kettle" -> Map.of("inlet_valve", false);
            case "fermenter", "brite" -> Map.of("cip", false, "product_valve", false);
            case "glycol" -> Map.of("pump", true);
            default -> Map.of();
        };
    }

    /** Whether the zone reports a level switch ({@code level_switch}: true while the element is covered). */
    public boolean hasLevelSwitch() {
        return type.equals("hlt");
    }

    /** The tags in birth order. */
    public List<TagSpec> tags() {
        List<TagSpec> tags = new ArrayList<>();
        tags.add(TagSpec.analog("pv", "degC", pvMin, pvMax, false));
        tags.add(TagSpec.analog("sv", "degC", svMin, svMax, true));
        tags.add(TagSpec.analog("out", "%", outMin, outMax, false));
        tags.add(TagSpec.enumeration("mode", Mode.WIRE_VALUES, true));
        tags.add(TagSpec.bool(actuator.tag(), true));
        if (hasPump) {
            tags.add(TagSpec.bool("pump", true));
        }
        if (hasLevel) {
            tags.add(TagSpec.analog("level", "%", 0, 100, false));
        }
        if (hasLevelSwitch()) {
            tags.add(TagSpec.bool("level_switch", false));
        }
        switches().keySet().stream().sorted().forEach(name -> tags.add(TagSpec.bool(name, true)));
        return tags;
    }

    public Optional<TagSpec> tag(String name) {
        return tags().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public boolean hasOvertempTrip() {
        return !Double.isNaN(overtempTrip);
    }
}
