package org.brewpi.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.brewpi.sim.protocol.PayloadKind;
import org.brewpi.sim.protocol.PayloadValidator;
import org.brewpi.sim.protocol.Validation;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A test client on the real Mosquitto (127.0.0.1:1883, anonymous) that plays the SCADA: it
 * watches everything under a topic root of its own, checks every PLC payload against the
 * protocol's rules, and can send commands and heartbeats. Retained messages it saw are cleared on
 * close so the broker keeps no garbage.
 */
final class BrokerObserver implements AutoCloseable {

    static final String BROKER = "tcp://127.0.0.1:1883";

    record Message(String topic, String payload, boolean retained, int qos, long at) {
        String zone() {
            String[] parts = topic.split("/");
            return parts[parts.length - 2];
        }

        String kind() {
            return topic.substring(topic.lastIndexOf('/') + 1);
        }

        JsonNode json() {
            try {
                return new ObjectMapper().readTree(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    final String root = "brewpi-test-" + UUID.randomUUID().toString().substring(0, 8) + "/v1";
    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<String> invalid = new CopyOnWriteArrayList<>();
    private final Set<String> retainedTopics = ConcurrentHashMap.newKeySet();
    private final PayloadValidator validator = new PayloadValidator();
    private final MqttClient client;
    private long heartbeatSeq;

    BrokerObserver() throws MqttException {
        client = new MqttClient(BROKER, "observer-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
                if (topic.endsWith("/birth") || topic.endsWith("/status")) {
                    retainedTopics.add(topic); // retained by protocol: cleared on close
                }
                if (payload.isEmpty()) {
                    return; // a retained message being cleared
                }
                Message m = new Message(topic, payload, message.isRetained(), message.getQos(), System.nanoTime() / 1_000_000);
                messages.add(m);
                if (!topic.startsWith(root + "/scada/") && !m.kind().equals("cmd")) {
                    Validation v = validator.validate(PayloadKind.fromWire(m.kind()), m.zone(), message.getPayload());
                    if (!v.ok()) {
                        invalid.add(topic + " " + payload + ": " + v.reason().wire() + " " + v.detail());
                    }
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.connect(options);
        client.subscribe(root + "/#", 1);
    }

    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        client.publish(root + "/" + topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    void scadaOnline() throws MqttException {
        publish("scada/status", "{\"v\":1,\"state\":\"online\"}", 1, true);
    }

    void heartbeat() throws MqttException {
        publish("scada/heartbeat", "{\"v\":1,\"seq\":" + (++heartbeatSeq) + ",\"t\":" + System.currentTimeMillis() + "}", 0,
                false);
    }

    void command(String zone, String json) throws MqttException {
        publish(zone + "/cmd", json, 1, false);
    }

    List<Message> of(String zone, String kind) {
        List<Message> found = new ArrayList<>();
        for (Message m : messages) {
            if (m.topic().equals(root + "/" + zone + "/" + kind)) {
                found.add(m);
            }
        }
        return found;
    }

    /** Waits until a message of that zone and kind satisfies {@code test}; returns it. */
    Message await(String zone, String kind, Predicate<JsonNode> test, long timeoutMs) throws InterruptedException {
        return awaitAfter(0, zone, kind, test, timeoutMs);
    }

    /** The same, looking only at messages after the first {@code skip} of that zone and kind. */
    Message awaitAfter(int skip, String zone, String kind, Predicate<JsonNode> test, long timeoutMs)
            throws InterruptedException {
        long end = System.nanoTime() / 1_000_000 + timeoutMs;
        while (System.nanoTime() / 1_000_000 < end) {
            List<Message> seen = of(zone, kind);
            for (Message m : seen.subList(Math.min(skip, seen.size()), seen.size())) {
                if (test.test(m.json())) {
                    return m;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + kind + " from " + zone + " matching within " + timeoutMs + " ms; saw "
                + of(zone, kind).stream().map(Message::payload).toList());
    }

    /** What a client subscribing now gets as retained on that topic. */
    String retained(String zone, String kind) throws MqttException, InterruptedException {
        List<String> got = new CopyOnWriteArrayList<>();
        MqttClient late = new MqttClient(BROKER, "late-" + UUID.randomUUID(), new MemoryPersistence());
        try {
            late.connect();
            late.subscribe(root + "/" + zone + "/" + kind, 1, (topic, message) -> {
                if (message.isRetained()) {
                    got.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }
            });
            for (int i = 0; i < 50 && got.isEmpty(); i++) {
                Thread.sleep(20);
            }
            return got.isEmpty() ? null : got.get(0);
        } finally {
            late.disconnect();
            late.close();
        }
    }

    void assertAllPayloadsValid() {
        assertThat(invalid).as("PLC payloads the protocol would reject").isEmpty();
    }

    @Override
    public void close() throws MqttException {
        for (String topic : retainedTopics) {
            client.publish(topic, new byte[0], 1, true);
        }
        client.publish(root + "/scada/status", new byte[0], 1, true);
        client.disconnect();
        client.close();
    }
}
