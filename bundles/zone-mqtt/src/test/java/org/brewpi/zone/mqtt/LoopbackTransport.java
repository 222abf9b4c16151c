package org.brewpi.zone.mqtt;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brewpi.api.mqtt.MqttTransport;

/** A transport that records what the driver publishes and lets the test play the PLC's side. */
final class LoopbackTransport implements MqttTransport {

    record Published(String topic, byte[] payload, int qos, boolean retained) {
        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    final List<Published> published = new CopyOnWriteArrayList<>();
    volatile MessageHandler handler;
    volatile boolean connected = true;

    @Override
    public AutoCloseable subscribe(String topicFilter, MessageHandler h) {
        handler = h;
        return () -> handler = null;
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retained) {
        published.add(new Published(topic, payload, qos, retained));
    }

    @Override
    public boolean connected() {
        return connected;
    }

    void fromPlc(String topic, String payload) {
        handler.message(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }
}
