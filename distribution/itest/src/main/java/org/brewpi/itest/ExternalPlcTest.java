package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandGate;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.ZoneState;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;

/** A real PLC (here: any MQTT client with the zone's credentials) takes a simulated zone's place. */
class ExternalPlcTest {

    @InjectBundleContext
    BundleContext context;

    private static void setSimulated(ConfigurationAdmin cm, String zone, boolean simulated) throws Exception {
        Configuration[] configs = cm.listConfigurations("(&(service.factoryPid=brewpi.zone)(zone=" + zone + "))");
        assertThat(configs).hasSize(1);
        Dictionary<String, Object> props = configs[0].getProperties();
        Dictionary<String, Object> copy = new Hashtable<>();
        for (var keys = props.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            copy.put(key, props.get(key));
        }
        copy.put("simulated", simulated);
        configs[0].update(copy);
    }

    @Test
    void anExternalClientWithTheZonesCredentialsReplacesTheSimulatedPlc() throws Exception {
        Box box = new Box(context);
        Plant plant = box.plant();
        ConfigurationAdmin cm = box.service(ConfigurationAdmin.class);
        box.awaitZone("fv2", ZoneState.ONLINE);
        String password = box.simPassword("fv2");

        setSimulated(cm, "fv2", false);
        MqttClient plc = null;
        try {
            box.awaitZone("fv2", ZoneState.OFFLINE);
            plc = box.plc("fv2", password);
            String birth = "{\"v\":1,\"zone\":\"fv2\",\"type\":\"fermenter\",\"fw\":\"9.9.9\",\"hw\":\"bench\",\"boot\":4242,"
                    + "\"failsafe\":\"hold_last\",\"period_ms\":1000,\"tags\":[{\"name\":\"pv\",\"kind\":\"analog\",\"rw\":false},"
                    + "{\"name\":\"sv\",\"kind\":\"analog\",\"min\":-2,\"max\":30,\"rw\":true}]}";
            plc.publish("brewpi/v1/fv2/birth", birth.getBytes(), 1, true);
            plc.publish("brewpi/v1/fv2/status", "{\"v\":1,\"state\":\"online\",\"boot\":4242}".getBytes(), 1, true);
            MqttClient answering = plc;
            plc.subscribe("brewpi/v1/fv2/cmd", 1, (topic, message) -> {
                var cmd = Box.JSON.readTree(message.getPayload());
                answering.publish("brewpi/v1/fv2/ack",
                        ("{\"v\":1,\"id\":\"" + cmd.get("id").asText() + "\",\"ok\":true}").getBytes(), 1, false);
            });
            for (int seq = 0; seq < 3; seq++) {
                plc.publish("brewpi/v1/fv2/tele", ("{\"v\":1,\"boot\":4242,\"seq\":" + seq
                        + ",\"t\":1,\"tags\":{\"pv\":12.34,\"sv\":12.0}}").getBytes(), 0, false);
            }
            await().atMost(Box.WAIT).untilAsserted(() -> {
                var fv2 = plant.zone("fv2").orElseThrow();
                assertThat(fv2.state()).isEqualTo(ZoneState.ONLINE);
                assertThat(fv2.info().firmware()).isEqualTo("9.9.9");
                assertThat(fv2.tags().get("pv").value()).isEqualTo(12.34);
            });
            var result = box.service(CommandGate.class).submit(Command.write("fv2", "sv", 13.5, "internal", "itest"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(result.outcome()).isEqualTo(Outcome.DONE);
        } finally {
            if (plc != null) {
                plc.disconnectForcibly(100, 100);
                plc.close();
            }
            setSimulated(cm, "fv2", true);
        }
        box.awaitZone("fv2", ZoneState.ONLINE);
        await().atMost(Box.WAIT).until(() -> !"9.9.9".equals(plant.zone("fv2").orElseThrow().info().firmware()));
    }
}
