package org.brewpi.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlantTest {

    /** 300 L of water, 12 kW at 95 %, like the HLT. */
    private static final VesselSpec HLT = new VesselSpec(300, 4186, 40_000, 12_000, 0.95, 0.95, 10, 0, 0, 0, 1, true,
            20, 20, 0.03);
    /** 250 L of beer in a glycol jacket, no fermentation. */
    private static final VesselSpec TANK = new VesselSpec(250, 4000, 30_000, 0, 1, 1, 4, 180, 0, 0, 1, false, 30, 30,
            0.02);
    private static final VesselSpec CHILLER = new VesselSpec(200, 3800, 20_000, 0, 1, 1, 12, 0, 4_000, 0, 1, false, 10,
            10, 0.02);

    private final Plant plant = new Plant();

    @Test
    void aFullHeaterWarmsAtItsPowerOverTheHeatCapacity() {
        Vessel hlt = plant.add("hlt", HLT, 20, 80, 0);
        hlt.setHeater(1.0);
        double expectedRate = 12_000 * 0.95 / hlt.heatCapacity(); // K/s, losses small near ambient
        plant.step(600);
        assertThat(hlt.temperature() - 20).isCloseTo(expectedRate * 600, within(expectedRate * 600 * 0.02));
        assertThat(expectedRate * 60).as("K per minute").isBetween(0.4, 1.0);
    }

    @Test
    void lessLiquidHeatsFaster() {
        Vessel full = plant.add("full", HLT, 20, 90, 0);
        Vessel low = plant.add("low", HLT, 20, 30, 0);
        full.setHeater(1.0);
        low.setHeater(1.0);
        plant.step(600);
        assertThat(low.temperature()).isGreaterThan(full.temperature());
    }

    @Test
    void anOpenVesselBoilsAtOneHundredAndNoHotter() {
        Vessel kettle = plant.add("kettle", HLT, 95, 70, 0);
        kettle.setHeater(1.0);
        plant.step(3 * 3600);
        assertThat(kettle.temperature()).isEqualTo(VesselSpec.BOILING_POINT);
    }

    @Test
    void aHotVesselLosesHeatToTheRoomAndNeverGoesBelowIt() {
        Vessel hlt = plant.add("hlt", HLT, 80, 80, 0);
        double expectedRate = 10 * (80 - 20) / hlt.heatCapacity();
        plant.step(60);
        assertThat(80 - hlt.temperature()).isCloseTo(expectedRate * 60, within(expectedRate * 60 * 0.02));
        plant.step(500 * 3600.0);
        assertThat(hlt.temperature()).isBetween(20.0, 20.01);
    }

    @Test
    void anOpenJacketValveCoolsTowardTheGlycolSupply() {
        Vessel tank = plant.add("fv1", TANK, 20, 100, 0);
        tank.setCooling(1.0);
        double expectedRate = 180 * (20 - Plant.EXTERNAL_GLYCOL_SUPPLY) / tank.heatCapacity();
        plant.step(60);
        assertThat(20 - tank.temperature()).isCloseTo(expectedRate * 60, within(expectedRate * 60 * 0.03));
        plant.step(100 * 3600.0);
        assertThat(tank.temperature()).isGreaterThan(Plant.EXTERNAL_GLYCOL_SUPPLY).isLessThan(0.0);
    }

    @Test
    void aClosedValveLetsTheTankDriftToTheRoom() {
        Vessel tank = plant.add("fv1", TANK, 10, 100, 0);
        plant.step(3600);
        assertThat(tank.temperature()).isGreaterThan(10.0);
    }

    @Test
    void heatDrawnByAJacketWarmsTheGlycol() {
        VesselSpec insulatedTank = new VesselSpec(250, 4000, 30_000, 0, 1, 1, 0, 180, 0, 0, 1, false, 30, 30, 0);
        VesselSpec insulatedChiller = new VesselSpec(200, 3800, 20_000, 0, 1, 1, 0, 0, 4_000, 0, 1, false, 10, 10, 0);
        Vessel tank = plant.add("fv1", insulatedTank, 20, 100, 0);
        Vessel glycol = plant.add("glycol", insulatedChiller, -2, 100, 0);
        tank.setCooling(1.0);
        double energyBefore = tank.heatCapacity() * tank.temperature() + glycol.heatCapacity() * glycol.temperature();
        plant.step(1800);
        double energyAfter = tank.heatCapacity() * tank.temperature() + glycol.heatCapacity() * glycol.temperature();
        assertThat(tank.temperature()).isLessThan(20.0);
        assertThat(glycol.temperature()).isGreaterThan(-2.0);
        assertThat(energyAfter).isCloseTo(energyBefore, within(Math.abs(energyBefore) * 1e-9 + 1.0));
        assertThat(plant.glycolSupply()).isEqualTo(glycol.temperature());
    }

    @Test
    void theChillerCoolsItsGlycolButNotBeyondItsFloor() {
        Vessel glycol = plant.add("glycol", CHILLER, 20, 100, 0);
        glycol.setCooling(1.0);
        plant.step(600);
        assertThat(glycol.temperature()).isLessThan(20.0);
        plant.step(200 * 3600.0);
        assertThat(glycol.temperature()).isGreaterThan(-25.0).isLessThan(-10.0);
    }

    @Test
    void fermentationWarmsTheBeer() {
        VesselSpec fermenter = new VesselSpec(250, 4000, 30_000, 0, 1, 1, 0, 180, 0, 120, 36 * 3600.0, false, 30, 30,
                0.02);
        Vessel tank = plant.add("fv1", fermenter, 18, 100, 24 * 3600.0);
        plant.setAmbient(18);
        plant.step(3600);
        double expected = 120 * (24.0 / 36) * Math.exp(1 - 24.0 / 36) * 3600 / tank.heatCapacity();
        assertThat(tank.temperature() - 18).isCloseTo(expected, within(expected * 0.05));
    }

    @Test
    void theProbeLagsAndIsNoisyButFaithful() {
        Vessel hlt = plant.add("hlt", HLT, 20, 80, 0);
        hlt.setTemperature(60);
        plant.step(20); // one time constant
        double lagged = hlt.probe().lagged();
        assertThat(lagged).isCloseTo(20 + 40 * (1 - Math.exp(-1)), within(0.5));
        Random random = new Random(7);
        double sum = 0;
        for (int i = 0; i < 1000; i++) {
            double reading = hlt.probe().read(random);
            assertThat(reading).isCloseTo(lagged, within(0.3));
            assertThat(reading * 16).isCloseTo(Math.rint(reading * 16), within(1e-9)); // DS18B20 steps
            sum += reading;
        }
        assertThat(sum / 1000).isCloseTo(lagged, within(0.03));
    }

    @Test
    void aFaultyProbeReadsTheDs18b20FaultValues() {
        Vessel hlt = plant.add("hlt", HLT, 20, 80, 0);
        hlt.probe().setFault(SensorFault.DISCONNECTED);
        assertThat(hlt.probe().read(new Random())).isEqualTo(-127.0);
        hlt.probe().setFault(SensorFault.POWER_ON_RESET);
        assertThat(hlt.probe().read(new Random())).isEqualTo(85.0);
    }

    @Test
    void theResultDoesNotDependOnHowTimeIsSliced() {
        Plant coarse = new Plant();
        Plant fine = new Plant();
        Vessel a = coarse.add("hlt", HLT, 20, 80, 0);
        Vessel b = fine.add("hlt", HLT, 20, 80, 0);
        a.setHeater(0.5);
        b.setHeater(0.5);
        coarse.step(3600);
        for (int i = 0; i < 36_000; i++) {
            fine.step(0.1);
        }
        assertThat(a.temperature()).isCloseTo(b.temperature(), within(0.01));
        assertThat(a.probe().lagged()).isCloseTo(b.probe().lagged(), within(0.01));
    }
}
