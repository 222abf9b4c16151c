package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.brewpi.api.history.Historian;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

class SimulatedPlantTest {

    static final List<String> DEMO = List.of("hlt", "mash", "kettle", "fv1", "fv2", "glycol");

    @InjectBundleContext
    BundleContext context;
    Box box;

    @BeforeEach
    void box() {
        box = new Box(context);
    }

    static double number(Plant plant, String zone, String tag) {
        TagValue v = plant.zone(zone).orElseThrow().tags().get(tag);
        return v == null || !(v.value() instanceof Number n) ? Double.NaN : n.doubleValue();
    }

    @Test
    void simulatedZonesComeOnlineAndTheirReadingsReachTheTableAndH2() {
        Plant plant = box.plant();
        for (String zone : DEMO) {
            var z = box.awaitZone(zone, ZoneState.ONLINE);
            assertThat(z.info()).as(zone + " birth").isNotNull();
        }
        await().atMost(Box.WAIT).untilAsserted(() -> {
            for (String zone : DEMO) {
                TagValue pv = plant.zone(zone).orElseThrow().tags().get("pv");
                assertThat(pv).as(zone + ".pv").isNotNull();
                assertThat(pv.quality()).isEqualTo(Quality.GOOD);
                assertThat(pv.value()).isInstanceOf(Double.class);
            }
        });
        Historian historian = box.service(Historian.class);
        await().atMost(Box.WAIT).untilAsserted(() -> {
            long now = System.currentTimeMillis();
            assertThat(historian.history("fv1", "pv", now - 600_000, now, 1000)).isNotEmpty();
        });
    }

    @Test
    void aSetpointWrittenThroughRestIsAckedAndThePvMovesTowardIt() throws Exception {
        Plant plant = box.plant();
        box.awaitZone("hlt", ZoneState.ONLINE);
        await().atMost(Box.WAIT).until(() -> !Double.isNaN(number(plant, "hlt", "pv")));

        var noToken = box.put("/api/zones/hlt/tags/sv", "{\"value\": 70}", null);
        assertThat(noToken.statusCode()).isEqualTo(401);
        var outOfRange = box.put("/api/zones/hlt/tags/sv", "{\"value\": 1000}", Box.TOKEN);
        assertThat(outOfRange.statusCode()).as(outOfRange.body()).isEqualTo(422);
        var badBody = box.put("/api/zones/hlt/tags/sv", "{\"value\": ", Box.TOKEN);
        assertThat(badBody.statusCode()).isEqualTo(400);

        var sv = box.put("/api/zones/hlt/tags/sv", "{\"value\": 75}", Box.TOKEN);
        assertThat(sv.statusCode()).as(sv.body()).isEqualTo(200);
        assertThat(Box.JSON.readTree(sv.body()).get("outcome").asText()).isEqualTo("DONE");
        var mode = box.put("/api/zones/hlt/tags/mode", "{\"value\": \"auto\"}", Box.TOKEN);
        assertThat(mode.statusCode()).as(mode.body()).isEqualTo(200);

        await().atMost(Box.WAIT).until(() -> number(plant, "hlt", "sv") == 75.0);
        double start = number(plant, "hlt", "pv");
        await().atMost(Duration.ofSeconds(30)).until(() -> number(plant, "hlt", "pv") > start + 1.0);
    }

    @Test
    void stoppingTheSimulatorTurnsItsZonesOfflineThroughTheWill() throws Exception {
        Bundle sim = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "org.brewpi.sim".equals(b.getSymbolicName())).findFirst().orElseThrow();
        for (String zone : DEMO) {
            box.awaitZone(zone, ZoneState.ONLINE);
        }
        Plant plant = box.plant();
        sim.stop();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (String zone : DEMO) {
                    assertThat(plant.zone(zone).orElseThrow().state()).as(zone).isEqualTo(ZoneState.OFFLINE);
                }
            });
            assertThat(plant.zone("fv1").orElseThrow().tags().values()).extracting(TagValue::quality)
                    .containsOnly(Quality.OFFLINE);
        } finally {
            sim.start();
        }
        for (String zone : DEMO) {
            box.awaitZone(zone, ZoneState.ONLINE);
        }
    }
}
