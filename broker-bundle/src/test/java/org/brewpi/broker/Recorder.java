package org.brewpi.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.brewpi.api.mqtt.MqttTransport;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/** Records what a subscriber (in-process or Paho) receives, and waits for a given message. */
final class Recorder implements MqttTransport.MessageHandler, IMqttMessageListener {

    record Received(String topic, String payload, String clientId) {
    }

    private final List<Received> received = new ArrayList<>();

    @Override
    public synchronized void message(String topic, byte[] payload, String clientId) {
        received.add(new Received(topic, new String(payload, StandardCharsets.UTF_8), clientId));
        notifyAll();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        message(topic, message.getPayload(), null);
    }

    synchronized List<Received> all() {
        return List.copyOf(received);
    }

    synchronized List<Received> on(String topic) {
        return received.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** Waits until a received message matches; fails the test after {@code timeout}. */
    synchronized Received await(Predicate<Received> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Received r : received) {
                if (condition.test(r)) {
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching message within " + timeout + "; received " + received);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    Received await(String topic, String payload) throws InterruptedException {
        return await(r -> r.topic().equals(topic) && r.payload().equals(payload), Duration.ofSeconds(5));
    }

    /** Waits until {@code count} messages have arrived in total. */
    synchronized void awaitCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("received " + received.size() + " of " + count + " messages within " + timeout);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    synchronized int count() {
        return received.size();
    }
}
