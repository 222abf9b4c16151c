package org.brewpi.hardware;

import java.util.List;
import java.util.function.Supplier;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandGate;
import org.brewpi.api.zone.Plant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the plant in its safe state while the E-stop demands it: every zone not yet in mode off is commanded
 * through the command gate as the forcing origin {@code estop} (no role check, no guard), again after the
 * retry time while it does not report off. Called on the hardware thread only.
 */
final class PlantHold {

    private static final Logger LOG = LoggerFactory.getLogger(PlantHold.class);
    static final String ORIGIN = "estop";

    private final Supplier<Plant> plant;
    private final Supplier<CommandGate> gate;
    private final Counters counters;
    private final SafeState safeState;

    PlantHold(Supplier<Plant> plant, Supplier<CommandGate> gate, Counters counters, long retryMs) {
        this.plant = plant;
        this.gate = gate;
        this.counters = counters;
        this.safeState = new SafeState(retryMs);
    }

    /** A new press: every zone is commanded at once, whatever was sent before. */
    void restart() {
        safeState.restart();
    }

    void hold(long now) {
        Plant pl = plant.get();
        CommandGate g = gate.get();
        if (pl == null || g == null) {
            counters.lastError.set("cannot hold the plant: no " + (pl == null ? "plant table" : "command gate"));
            return;
        }
        for (String zone : safeState.due(pl.zones(), now)) {
            counters.forced.incrementAndGet();
            g.submit(Command.write(zone, SafeState.MODE, SafeState.OFF, ORIGIN, ORIGIN)).whenComplete((result, error) -> {
                if (error != null || !result.done()) {
                    counters.forceFailures.incrementAndGet();
                    String why = error != null ? error.toString()
                            : result.outcome() + " " + result.error() + " " + result.message();
                    counters.lastError.set(zone + ".mode = off: " + why);
                    LOG.warn("E-stop could not put {} in mode off yet ({}); retrying", zone, why);
                }
            });
        }
    }

    /** Zones that cannot be held off from here: offline, or without a writable mode tag. */
    List<String> unheld() {
        Plant pl = plant.get();
        return pl == null ? List.of() : SafeState.unreachable(pl.zones());
    }
}
