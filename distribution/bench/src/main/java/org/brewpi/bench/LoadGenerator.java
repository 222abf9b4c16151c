package org.brewpi.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many emulated PLCs publishing telemetry of ten tags each, paced to a total rate, exactly as
 * docs/protocol.md says (QoS 0, seq rising per message). The same generator runs against the box and
 * against a bare broker.
 */
final class LoadGenerator {

    static final int TAGS = 10;

    /** @param startNanos when the first telemetry message went out ({@link System#nanoTime()}) */
    record Result(long messages, long nanos, long startNanos) {
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

    /**
     * Publishes {@code perZone} telemetry messages from every zone, {@code totalRate} messages/s in all,
     * paced in 10 ms slices from one thread over raw connections (one per zone, as PLCs have).
     */
    Result run(int perZone, int totalRate) throws Exception {
        java.net.URI uri = java.net.URI.create(url);
        List<RawMqtt> plcs = new ArrayList<>();
        List<String> teleTopics = new ArrayList<>();
        for (String zone : zones) {
            RawMqtt plc = new RawMqtt(uri.getHost(), uri.getPort(), zone + "-b" + (System.nanoTime() % 100_000),
                    password == null ? null : zone, password);
            plc.publish(root + "/" + zone + "/birth", birth(zone).getBytes(StandardCharsets.UTF_8));
            plc.publish(root + "/" + zone + "/status", "{\"v\":1,\"state\":\"online\",\"boot\":1}".getBytes());
            plc.flush();
            plcs.add(plc);
            teleTopics.add(root + "/" + zone + "/tele");
        }
        Thread.sleep(500);
        long total = (long) perZone * plcs.size();
        long sent = 0;
        long start = System.nanoTime();
        int next = 0;
        long[] seq = new long[plcs.size()];
        while (sent < total) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * totalRate) + 1;
            long batch = Math.min(due, total) - sent;
            for (long i = 0; i < batch; i++) {
                plcs.get(next).publish(teleTopics.get(next), tele(seq[next]++));
                next = (next + 1) % plcs.size();
            }
            for (RawMqtt plc : plcs) {
                plc.flush();
            }
            sent += Math.max(0, batch);
            Thread.sleep(10);
        }
        long nanos = System.nanoTime() - start;
        Thread.sleep(200);
        for (RawMqtt plc : plcs) {
            plc.close();
        }
        return new Result(sent, nanos, start);
    }
}
