package org.brewpi.broker;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Real Paho MQTT 3.1.1 clients, as the simulator's PLCs use them. */
final class Plcs {

    private Plcs() {
    }

    static MqttClient client(int port, String clientId) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        client.setTimeToWait(5_000);
        return client;
    }

    static MqttConnectOptions options(String user, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(30);
        if (user != null) {
            options.setUserName(user);
        }
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        return options;
    }

    /** Connects as zone {@code user}; throws with Paho's reason code (the CONNACK code) when refused. */
    static MqttClient connect(int port, String user, String password) throws MqttException {
        MqttClient client = client(port, (user == null ? "anon" : user) + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            client.connect(options(user, password));
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    static void closeQuietly(MqttClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(0);
            }
            client.close(true);
        } catch (MqttException e) {
            // already gone
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
