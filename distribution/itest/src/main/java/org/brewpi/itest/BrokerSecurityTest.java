package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brewpi.api.mqtt.MqttTransport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;

class BrokerSecurityTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void plcsNeedTheirPasswordAndStayInsideTheirAcl() throws Exception {
        Box box = new Box(context);
        box.configureZone("sec1", "generic", "sec1-password", false, "mqtt");
        box.configureZone("sec2", "generic", "sec2-password", false, "mqtt");
        ConfigurationAdmin cm = box.service(ConfigurationAdmin.class);
        // The clear-text password is replaced by its hash.
        await().atMost(Box.WAIT).untilAsserted(() -> {
            var configs = cm.listConfigurations("(&(service.factoryPid=brewpi.zone)(zone=sec1))");
            assertThat(configs).hasSize(1);
            assertThat(configs[0].getProperties().get("password")).isNull();
            assertThat((String) configs[0].getProperties().get("password.hash")).isNotBlank();
        });

        MqttException refused = catchThrowableOfType(MqttException.class, () -> box.plc("sec1", "wrong"));
        assertThat(refused).isNotNull();
        assertThat(refused.getReasonCode()).isIn((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION,
                (int) MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(catchThrowableOfType(MqttException.class, () -> box.plc("nobody", "x"))).isNotNull();
        assertThat(catchThrowableOfType(MqttException.class, () -> box.plc("sec1", "sec2-password")))
                .as("another zone's credentials").isNotNull();
        assertThat(catchThrowableOfType(MqttException.class, () -> box.anonymousPlc())).as("no credentials")
                .isNotNull();
        Thread.sleep(1100); // after a wrong password the broker slows that zone's next check for a second

        List<String> seen = new CopyOnWriteArrayList<>();
        MqttTransport transport = box.service(MqttTransport.class);
        try (AutoCloseable sub = transport.subscribe("brewpi/v1/#", (topic, payload, client) -> {
            if (topic.contains("sec")) {
                seen.add(topic);
            }
        })) {
            MqttClient plc = box.plc("sec1", "sec1-password");
            try {
                String ok = "{\"v\":1,\"state\":\"online\",\"boot\":1}";
                plc.publish("brewpi/v1/sec2/status", ok.getBytes(), 0, false); // another zone
                plc.publish("brewpi/v1/sec1/cmd", "{\"v\":1,\"id\":\"x\",\"op\":\"reset\"}".getBytes(), 0, false);
                plc.publish("brewpi/v1/scada/status", "{\"v\":1,\"state\":\"offline\"}".getBytes(), 0, false);
                plc.publish("brewpi/v1/sec1/status", ok.getBytes(), 0, false); // its own: allowed
                await().atMost(Box.WAIT).until(() -> seen.contains("brewpi/v1/sec1/status"));
                Thread.sleep(300);
                assertThat(seen).containsExactly("brewpi/v1/sec1/status");
                // subscribing outside its ACL is refused
                MqttException subRefused = catchThrowableOfType(MqttException.class,
                        () -> plc.subscribe("brewpi/v1/sec2/cmd", 1));
                assertThat(subRefused).as("SUBACK 0x80").isNotNull();
                assertThat(subRefused.getReasonCode()).isEqualTo(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
            } finally {
                plc.disconnectForcibly(100, 100);
                plc.close();
            }
        }
    }
}
