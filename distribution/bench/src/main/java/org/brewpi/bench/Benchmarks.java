package org.brewpi.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The numbers of the README's performance section. Usage: {@code Benchmarks <brewpi-control.jar> [all|ingest|latency|startup|interlock]}.
 * Each prints what it measured; nothing here asserts on time.
 */
public final class Benchmarks {

    static final int ZONES = 50;
    /** Telemetry messages per second, all zones together ({@code -Dbench.rate=...}). */
    static final int RATE = Integer.getInteger("bench.rate", 5_000);
    static final int SECONDS = 10;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String only = args.length > 1 ? args[1] : "all";
        System.out.printf("BrewPi benchmarks, %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        if (only.equals("all") || only.equals("startup")) {
            startup(jar);
        }
        if (only.equals("all") || only.equals("ingest")) {
            ingest(jar);
        }
        if (only.equals("all") || only.equals("latency")) {
            latency(jar);
        }
        if (only.equals("all") || only.equals("interlock")) {
            InterlockBench.run(jar);
        }
    }

    static void startup(Path jar) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (BoxProcess box = new BoxProcess(jar, true, "128m", Map.of())) {
                times.add(box.awaitUp(Duration.ofSeconds(60)));
                if (i == 2) {
                    Thread.sleep(30_000); // the demo plant keeps running in 128 MiB
                    JsonNode health = box.health();
                    System.out.printf("startup: demo plant after 30 s in -Xmx128m: status %s, zones online %s of %s%n",
                            health.path("status").asText(), health.path("zones").path("online"),
                            health.path("zones").path("configured"));
                }
            }
        }
        System.out.printf("startup: process start -> /api/health UP (ms, -Xmx128m, simulator on): %s%n", times);
    }

    static void ingest(Path jar) throws Exception {
        List<String> zones = new ArrayList<>();
        Map<String, String> conf = new LinkedHashMap<>();
        for (int i = 0; i < ZONES; i++) {
            String zone = String.format("bench%02d", i);
            zones.add(zone);
            conf.put(zone, "bench-password");
        }
        int perZone = RATE * SECONDS / ZONES;
        long expectedMessages = (long) perZone * ZONES;
        double boxRate;
        try (BoxProcess box = new BoxProcess(jar, false, "512m", conf)) {
            box.awaitUp(Duration.ofSeconds(60));
            awaitConfigured(box, ZONES);
            long rowsBefore = samples(box);
            LoadGenerator gen = new LoadGenerator("tcp://127.0.0.1:" + box.mqttPort, "brewpi/v1", zones, "bench-password");
            LoadGenerator.Result sent = gen.run(perZone, RATE);
            long expectedSamples = sent.messages() * LoadGenerator.TAGS;
            long rows = rowsBefore;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (rows - rowsBefore < expectedSamples && System.nanoTime() < deadline) {
                Thread.sleep(20);
                rows = samples(box);
            }
            long nanos = System.nanoTime() - sent.startNanos();
            long committed = rows - rowsBefore;
            long telemetry = 0;
            long gaps = 0;
            long rejects = 0;
            for (JsonNode z : box.get("/api/zones")) {
                telemetry += z.path("counters").path("telemetry").asLong();
                gaps += z.path("counters").path("missed").asLong();
                for (JsonNode r : z.path("counters").path("rejects")) {
                    rejects += r.asLong();
                }
            }
            boxRate = committed / (nanos / 1e9) / LoadGenerator.TAGS;
            System.out.println("ingest box historian: " + box.health().path("components").path("historian"));
            System.out.printf("ingest box: %d messages published at %.0f msg/s; driver accepted %d (missed %d, rejected %d); "
                    + "H2 committed %d of %d samples; publish -> committed %.0f msg/s = %.0f samples/s%n",
                    sent.messages(), sent.rate(), telemetry, gaps, rejects, committed, expectedSamples, boxRate,
                    boxRate * LoadGenerator.TAGS);
        }
        // The same load against the bare Mosquitto on 127.0.0.1:1883, counted by one raw subscriber.
        String root = "bench-" + UUID.randomUUID();
        AtomicLong received = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        RawMqtt sub = new RawMqtt("127.0.0.1", 1883, "bsub" + (System.nanoTime() % 100_000), null, null);
        sub.subscribe(root + "/+/tele");
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    if (sub.readIsPublish()) {
                        received.incrementAndGet();
                        lastNanos.set(System.nanoTime());
                    }
                }
            } catch (java.io.IOException e) {
                // closed at the end
            }
        });
        reader.start();
        Thread.sleep(300);
        LoadGenerator.Result sent = new LoadGenerator("tcp://127.0.0.1:1883", root, zones, null).run(perZone, RATE);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (received.get() < sent.messages() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        sub.close();
        double mosquittoRate = received.get() / ((lastNanos.get() - sent.startNanos()) / 1e9);
        System.out.printf("ingest mosquitto: %d messages published at %.0f msg/s; subscriber received %d of %d; %.0f msg/s%n",
                sent.messages(), sent.rate(), received.get(), expectedMessages, mosquittoRate);
        System.out.printf("ingest ratio box/mosquitto: %.2f%n", boxRate / mosquittoRate);
    }

    static void latency(Path jar) throws Exception {
        try (BoxProcess box = new BoxProcess(jar, true, "256m", Map.of())) {
            box.awaitUp(Duration.ofSeconds(60));
            box.addZone("lat", "lat-password"); // a seventh zone beside the demo plant, added live
            awaitConfigured(box, 7);
            Map<Long, Long> publishedAt = new ConcurrentHashMap<>();
            List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + box.httpPort + "/api/live"), new WebSocket.Listener() {
                        final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                long now = System.nanoTime();
                                try {
                                    JsonNode msg = BoxProcess.JSON.readTree(text.toString());
                                    if ("tags".equals(msg.path("type").asText())) {
                                        for (JsonNode v : msg.path("values")) {
                                            if ("lat".equals(v.path("zone").asText()) && "t0".equals(v.path("tag").asText())) {
                                                Long at = publishedAt.remove(v.path("value").asLong());
                                                if (at != null) {
                                                    latencies.add(now - at);
                                                }
                                            }
                                        }
                                    }
                                } catch (Exception e) {
                                    System.err.println("bad live message: " + e);
                                }
                                text.setLength(0);
                            }
                            socket.request(1);
                            return null;
                        }
                    }).join();
            MqttClient plc = new MqttClient("tcp://127.0.0.1:" + box.mqttPort, "lat-bench", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName("lat");
            o.setPassword("lat-password".toCharArray());
            plc.connect(o);
            plc.publish("brewpi/v1/lat/birth", LoadGenerator.birth("lat").getBytes(), 1, true);
            plc.publish("brewpi/v1/lat/status", "{\"v\":1,\"state\":\"online\",\"boot\":1}".getBytes(), 1, true);
            Thread.sleep(1000);
            int n = 1000;
            for (long seq = 0; seq < n; seq++) {
                long marker = 100_000 + seq;
                byte[] payload = ("{\"v\":1,\"boot\":1,\"seq\":" + seq + ",\"t\":1,\"tags\":{\"t0\":" + marker + "}}").getBytes();
                publishedAt.put(marker, System.nanoTime());
                plc.publish("brewpi/v1/lat/tele", payload, 0, false);
                Thread.sleep(20); // 50 Hz on top of the demo plant
            }
            Thread.sleep(1000);
            plc.disconnect();
            plc.close();
            ws.abort();
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            if (sorted.length == 0) {
                System.out.println("latency: no deltas received");
                return;
            }
            System.out.printf("latency PLC publish -> WebSocket delta (demo plant running, %d of %d samples): "
                    + "p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", sorted.length, n, pct(sorted, 50), pct(sorted, 99),
                    sorted[sorted.length - 1] / 1e6);
        }
    }

    static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static long samples(BoxProcess box) throws Exception {
        return box.health().path("components").path("historian").path("rows.samples").asLong();
    }

    /** Waits until the broker holds credentials for that many zones (it hashes the clear-text passwords first). */
    static void awaitConfigured(BoxProcess box, int zones) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (box.health().path("components").path("broker").path("zonesWithCredentials").size() >= zones) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the broker did not load credentials for " + zones + " zones");
    }
}
