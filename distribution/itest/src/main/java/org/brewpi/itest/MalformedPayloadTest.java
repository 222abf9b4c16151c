package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

/** A thousand and more bad payloads move the reject counters and nothing else. */
class MalformedPayloadTest {

    @InjectBundleContext
    BundleContext context;

    static final List<String> BAD = List.of(
            "{\"v\":1,\"boot\":",                                          // not_json
            "[1,2,3]",                                                     // not_object
            "{\"boot\":1,\"seq\":1,\"t\":1,\"tags\":{}}",                  // no_version
            "{\"v\":2,\"boot\":1,\"seq\":1,\"t\":1,\"tags\":{}}",          // wrong_version
            "{\"v\":1,\"boot\":1,\"t\":1,\"tags\":{}}",                    // missing_field
            "{\"v\":1,\"boot\":1,\"seq\":\"1\",\"t\":1,\"tags\":{}}",      // bad_type
            "{\"v\":1,\"boot\":1,\"seq\":-1,\"t\":1,\"tags\":{}}");        // bad_value

    private static Map<String, Object> driverHealth(Box box) throws Exception {
        for (var ref : box.context.getServiceReferences(HealthContributor.class, null)) {
            HealthContributor health = box.context.getService(ref);
            try {
                if (health != null && health.name().equals("zones.mqtt")) {
                    return health.details();
                }
            } finally {
                box.context.ungetService(ref);
            }
        }
        throw new AssertionError("no zones.mqtt health contributor");
    }

    @Test
    void malformedPayloadsChangeOnlyTheRejectCounters() throws Exception {
        Box box = new Box(context);
        Plant plant = box.plant();
        box.configureZone("bad1", "generic", "bad1-password", false, "mqtt");
        box.configureZone("stray", "generic", "stray-password", false, "elsewhere"); // the broker knows it, the driver does not
        ZoneSnapshot fv1Before = box.awaitZone("fv1", ZoneState.ONLINE);
        await().atMost(Box.WAIT).until(() -> plant.zone("bad1").isPresent());

        MqttClient plc = box.plc("bad1", "bad1-password");
        MqttClient stray = box.plc("stray", "stray-password");
        byte[] oversized = ("{\"v\":1,\"pad\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
        int rounds = 150;
        try {
            for (int i = 0; i < rounds; i++) {
                for (String bad : BAD) {
                    plc.publish("brewpi/v1/bad1/tele", bad.getBytes(StandardCharsets.UTF_8), 1, false);
                }
                plc.publish("brewpi/v1/bad1/tele", oversized, 1, false);
                stray.publish("brewpi/v1/stray/tele", "{\"v\":1,\"boot\":1,\"seq\":1,\"t\":1,\"tags\":{}}".getBytes(), 1, false);
            }
        } finally {
            plc.disconnectForcibly(100, 100);
            stray.disconnectForcibly(100, 100);
            plc.close();
            stray.close();
        }
        int perReason = rounds;
        await().atMost(Box.WAIT).untilAsserted(() -> {
            Map<String, Long> rejects = plant.zone("bad1").orElseThrow().counters().rejects();
            assertThat(rejects).containsAllEntriesOf(Map.of("not_json", (long) perReason, "not_object", (long) perReason,
                    "no_version", (long) perReason, "wrong_version", (long) perReason, "missing_field", (long) perReason,
                    "bad_type", (long) perReason, "bad_value", (long) perReason, "too_large", (long) perReason));
            assertThat(((Map<?, ?>) driverHealth(box).get("unknownZones")).get("stray")).isEqualTo((long) rounds);
        });
        ZoneSnapshot bad1 = plant.zone("bad1").orElseThrow();
        assertThat(bad1.tags()).isEmpty();
        assertThat(bad1.counters().telemetry()).isZero();
        assertThat(bad1.counters().rejectTotal()).isEqualTo(8L * rounds);
        // the rest of the plant did not notice
        ZoneSnapshot fv1After = plant.zone("fv1").orElseThrow();
        assertThat(fv1After.state()).isEqualTo(ZoneState.ONLINE);
        assertThat(fv1After.counters().rejectTotal()).isEqualTo(fv1Before.counters().rejectTotal());
        await().atMost(Box.WAIT).until(() -> plant.zone("fv1").orElseThrow().counters().telemetry()
                > fv1After.counters().telemetry());
    }
}
