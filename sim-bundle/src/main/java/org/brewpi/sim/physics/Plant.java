package org.brewpi.sim.physics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical brewery: vessels exchanging heat with the room and, through the glycol loop, with
 * each other. Fermenter jackets draw glycol at the chiller's temperature and return their heat
 * to it; without a simulated chiller they draw from a supply held at {@link #EXTERNAL_GLYCOL_SUPPLY}.
 *
 * <p>Not thread-safe: the simulator steps it from its one loop thread.
 */
public final class Plant {

    /** Supply temperature of a glycol chiller that is not part of the simulation, degC. */
    public static final double EXTERNAL_GLYCOL_SUPPLY = -2.0;

    /** The chiller's capacity falls off below this glycol temperature and is gone at {@link #CHILLER_FLOOR}. */
    private static final double CHILLER_DERATE_FROM = -5.0;
    private static final double CHILLER_FLOOR = -25.0;

    /** Longest integration step, seconds of plant time; the time scale only adds steps. */
    private static final double MAX_STEP = 1.0;

    private final Map<String, Vessel> vessels = new LinkedHashMap<>();
    private double ambient = 20.0;

    public Vessel add(String name, VesselSpec spec, double temperature, double levelPercent, double fermentationAgeSeconds) {
        if (vessels.containsKey(name)) {
            throw new IllegalArgumentException("vessel " + name + " already exists");
        }
        Vessel vessel = new Vessel(name, spec, temperature, levelPercent, fermentationAgeSeconds);
        vessels.put(name, vessel);
        return vessel;
    }

    public void remove(String name) {
        vessels.remove(name);
    }

    public Vessel vessel(String name) {
        return vessels.get(name);
    }

    public Collection<Vessel> vessels() {
        return Collections.unmodifiableCollection(vessels.values());
    }

    public double ambient() {
        return ambient;
    }

    public void setAmbient(double ambient) {
        this.ambient = ambient;
    }

    /** The temperature glycol reaches the fermenter jackets with. */
    public double glycolSupply() {
        Vessel chiller = chiller();
        return chiller == null ? EXTERNAL_GLYCOL_SUPPLY : chiller.temperature();
    }

    /** Advances the plant by {@code seconds} of plant time. */
    public void step(double seconds) {
        if (!(seconds > 0)) {
            return;
        }
        int steps = (int) Math.ceil(seconds / MAX_STEP);
        double dt = seconds / steps;
        for (int i = 0; i < steps; i++) {
            integrate(dt);
        }
    }

    private void integrate(double dt) {
        Vessel chiller = chiller();
        double supply = chiller == null ? EXTERNAL_GLYCOL_SUPPLY : chiller.temperature();
        double loopLoad = 0.0;
        List<Vessel> all = new ArrayList<>(vessels.values());
        double[] net = new double[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Vessel v = all.get(i);
            VesselSpec spec = v.spec();
            double watts = v.heaterPower() + v.fermentationPower() - spec.ambientUa() * (v.temperature() - ambient);
            if (spec.jacketUa() > 0) {
                double drawn = spec.jacketUa() * v.cooling() * (v.temperature() - supply);
                watts -= drawn;
                loopLoad += drawn;
            }
            if (spec.chillerWatts() > 0) {
                watts -= spec.chillerWatts() * v.cooling() * chillerCapacityAt(v.temperature());
            }
            net[i] = watts;
        }
        for (int i = 0; i < all.size(); i++) {
            Vessel v = all.get(i);
            v.advance(v == chiller ? net[i] + loopLoad : net[i], dt);
        }
    }

    /** Share of its rated capacity a chiller still delivers at this glycol temperature. */
    static double chillerCapacityAt(double glycolTemperature) {
        double share = (glycolTemperature - CHILLER_FLOOR) / (CHILLER_DERATE_FROM - CHILLER_FLOOR);
        return Math.max(0.0, Math.min(1.0, share));
    }

    private Vessel chiller() {
        for (Vessel v : vessels.values()) {
            if (v.spec().chillerWatts() > 0) {
                return v;
            }
        }
        return null;
    }
}
