package org.brewpi.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Many emulated PLCs publishing telemetry of ten tags each, paced to a total rate, exactly as
 * docs/protocol.md says (QoS 0, seq rising per message). The same generator runs against the box and
 * against a bare broker.
 */
final class LoadGenerator {

    static final int TAGS = 10;

    record Result(long messages, long nanos) {
        double rate() {
            return messages / (nanos / 1e9);
        }
    }

    private final String url;
    private final String root;
    private final List<String> zones;
    private final String password;

    LoadGenerator(String url, String root, List<String> zones, String password) {
        this.url = url;
        this.root = root;
        this.zones = zones;
        this.password = password;
    }

    static String birth(String zone) {
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < TAGS; i++) {
            tags.append(i == 0 ? "" : ",").append("{\"name\":\"t").append(i)
                    .append("\",\"kind\":\"analog\",\"unit\":\"degC\",\"rw\":false}");
        }
        return "{\"v\":1,\"zone\":\"" + zone + "\",\"type\":\"generic\",\"fw\":\"bench\",\"hw\":\"bench\",\"boot\":1,"
                + "\"failsafe\":\"hold_last\",\"period_ms\":1000,\"tags\":[" + tags + "]}";
    }

    static byte[] tele(long seq) {
        StringBuilder sb = new StringBuilder(256).append("{\"v\":1,\"boot\":1,\"seq\":").append(seq)
                .append(",\"t\":").append(System.currentTimeMillis()).append(",\"tags\":{");
        for (int i = 0; i < TAGS; i++) {
            sb.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":").append(20 + (seq % 100) / 10.0 + i);
        }
        return sb.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes {@code perZone} telemetry messages from every zone at {@code totalRate} messages/s in all. */
    Result run(int perZone, int totalRate) throws Exception {
        List<MqttClient> clients = new ArrayList<>();
        for (String zone : zones) {
            MqttClient c = new MqttClient(url, zone + "-b" + (System.nanoTime() % 100_000), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            if (password != null) {
                o.setUserName(zone);
                o.setPassword(password.toCharArray());
            }
            o.setMaxInflight(65_000);
            o.setCleanSession(true);
            c.connect(o);
            c.publish(root + "/" + zone + "/birth", birth(zone).getBytes(StandardCharsets.UTF_8), 1, true);
            c.publish(root + "/" + zone + "/status", "{\"v\":1,\"state\":\"online\",\"boot\":1}".getBytes(), 1, true);
            clients.add(c);
        }
        double perClientRate = (double) totalRate / clients.size();
        CountDownLatch done = new CountDownLatch(clients.size());
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < clients.size(); i++) {
            MqttClient c = clients.get(i);
            String topic = root + "/" + zones.get(i) + "/tele";
            Thread t = new Thread(() -> {
                try {
                    for (long seq = 0; seq < perZone; seq++) {
                        long due = start + (long) (seq * 1e9 / perClientRate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        c.publish(topic, tele(seq), 0, false);
                        sent.incrementAndGet();
                    }
                } catch (Exception e) {
                    System.err.println("publisher " + topic + " failed: " + e);
                } finally {
                    done.countDown();
                }
            });
            t.start();
        }
        done.await();
        long nanos = System.nanoTime() - start;
        for (MqttClient c : clients) {
            c.disconnect(1000);
            c.close();
        }
        return new Result(sent.get(), nanos);
    }
}
