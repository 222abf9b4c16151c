package org.brewpi.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * From the arrival of a violating telemetry message to the publish of the forcing command: a raw MQTT PLC
 * ("ilm") subscribed to its own {@code cmd} topic sends telemetry that breaks its interlock and times the
 * forcing write's arrival. The box runs the simulated demo plant (6 zones, 1 telemetry message a second
 * each); at 10x, 54 more raw PLCs (10 tags, 1 Hz, each with an interlock of its own) bring it to 60 zones.
 * <p>
 * Both instants are taken by the bench's PLC ({@code System.nanoTime()} before its PUBLISH is written, and on
 * its reader thread as soon as the whole command packet is read), so the figure includes both loopback socket
 * hops: it is an upper bound of "arrival to publish". 1000 trips by default, so that p99 is the 10th slowest
 * and not the 3rd ({@code -Dbench.samples}); {@code -Dbench.loads=1} measures one load only; the raw samples go
 * to the box's folder (for lining them up with {@code -Dbench.jvm="-Xlog:gc:file=gc.log:tn"} and the like).
 */
final class InterlockBench {

    static final String ZONE = "ilm";
    static final String PASSWORD = "ilm-bench-password";
    static final int SAMPLES = Integer.getInteger("bench.samples", 1000);
    private static final int DEMO_ZONES = 6;
    /** Trips before the measured ones, not counted. */
    private static final int WARM_UP = 30;

    private InterlockBench() {
    }

    static void run(Path jar) throws Exception {
        // -Dbench.loads=1 or 10 measures one load only
        for (String load : System.getProperty("bench.loads", "1,10").split(",")) {
            measure(jar, Integer.parseInt(load.trim()));
        }
    }

    static void measure(Path jar, int loadFactor) throws Exception {
        List<String> loadZones = new ArrayList<>();
        Map<String, String> zones = new LinkedHashMap<>();
        zones.put(ZONE, PASSWORD);
        for (int i = 0; i < DEMO_ZONES * (loadFactor - 1); i++) {
            String zone = String.format("ill%02d", i);
            loadZones.add(zone);
            zones.put(zone, "ill-bench-password");
        }
        // the demo plant is seeded into an empty conf/ only: the bench's zones and rules are added live after it
        try (BoxProcess box = new BoxProcess(jar, true, "256m", Map.of())) {
            box.awaitUp(Duration.ofSeconds(90));
            Benchmarks.awaitConfigured(box, DEMO_ZONES);
            Path conf = box.home.resolve("conf");
            for (var zone : zones.entrySet()) {
                box.addZone(zone.getKey(), zone.getValue());
            }
            rule(conf, "bench", "Bench valve needs level", ZONE + ".level > 20", ZONE + ".valve = true",
                    ZONE + ".valve = false");
            for (String zone : loadZones) {
                rule(conf, zone, "Load rule of " + zone, zone + ".t0 > 0", zone + ".t1", "");
            }
            Benchmarks.awaitConfigured(box, DEMO_ZONES + zones.size());
            AtomicBoolean running = new AtomicBoolean(true);
            Thread load = loadZones.isEmpty() ? null : startLoad(box, loadZones, running);
            try (RawMqtt plc = new RawMqtt("127.0.0.1", box.mqttPort, ZONE + "-bench", ZONE, PASSWORD)) {
                String root = "brewpi/v1/" + ZONE;
                BlockingQueue<long[]> commands = new ArrayBlockingQueue<>(1000);
                plc.subscribe(root + "/cmd");
                Thread reader = new Thread(() -> read(plc, root, commands), "ilm-reader");
                reader.setDaemon(true);
                reader.start();
                long seq = 0;
                seq = awaitState(box, "bench", "HEALTHY", plc, root, seq);
                Thread.sleep(5_000); // the load PLCs' births, alarms and interlocks settle before measuring
                long[] latencies = new long[SAMPLES];
                long[] sentAt = new long[SAMPLES];
                int lost = 0;
                for (int i = -WARM_UP; i < SAMPLES; i++) {
                    tele(plc, root, seq++, 50, true); // safe again: the interlock clears (not latched)
                    Thread.sleep(120);
                    commands.clear();
                    long sent = System.nanoTime();
                    tele(plc, root, seq++, 10, true); // the violation: the valve must be forced shut
                    long[] got = commands.poll(5, TimeUnit.SECONDS);
                    if (i < 0) {
                        // warming up: JIT, caches
                    } else if (got == null) {
                        lost++;
                        latencies[i] = Long.MAX_VALUE;
                    } else {
                        latencies[i] = got[0] - sent;
                    }
                    if (i >= 0) {
                        sentAt[i] = sent;
                    }
                    Thread.sleep(80);
                }
                running.set(false);
                if (load != null) {
                    load.join(5_000);
                }
                StringBuilder raw = new StringBuilder();
                for (int i = 0; i < SAMPLES; i++) {
                    raw.append(sentAt[i]).append(' ').append(latencies[i]).append('\n');
                }
                Files.writeString(box.home.resolve("samples-" + loadFactor + "x.txt"), raw);
                System.out.println("interlock " + loadFactor + "x: raw samples (System.nanoTime() sent, latency ns) in "
                        + box.home.resolve("samples-" + loadFactor + "x.txt"));
                long[] sorted = java.util.Arrays.stream(latencies).filter(l -> l != Long.MAX_VALUE).sorted().toArray();
                JsonNode health = box.health().path("components").path("interlocks");
                System.out.printf("interlock %dx load (%d zones, %d msg/s of telemetry, %d rules): violating telemetry -> "
                        + "forcing cmd published, %d of %d: p50 %.2f ms, p99 %.2f ms, max %.2f ms; engine %s%n",
                        loadFactor, DEMO_ZONES * loadFactor, DEMO_ZONES * loadFactor, health.path("rules").asInt(),
                        sorted.length, SAMPLES, Benchmarks.pct(sorted, 50), Benchmarks.pct(sorted, 99),
                        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                        "forcesSent=" + health.path("forcesSent") + " droppedUpdates=" + health.path("droppedUpdates"));
                if (lost > 0) {
                    System.out.printf("interlock %dx load: %d violations got no forcing command within 5 s%n", loadFactor,
                            lost);
                }
            }
        }
    }

    /** The PLC's side: time each forcing command's arrival and ack it as the PLC would. */
    private static void read(RawMqtt plc, String root, BlockingQueue<long[]> commands) {
        try {
            while (true) {
                RawMqtt.Publish p = plc.readPublish();
                long at = System.nanoTime();
                if (!p.topic().equals(root + "/cmd")) {
                    continue;
                }
                commands.offer(new long[] { at });
                JsonNode cmd = BoxProcess.JSON.readTree(p.payload());
                plc.publish(root + "/ack", ("{\"v\":1,\"id\":\"" + cmd.path("id").asText() + "\",\"ok\":true}")
                        .getBytes(StandardCharsets.UTF_8));
                plc.flush();
            }
        } catch (java.io.IOException e) {
            // closed at the end
        }
    }

    /** @return the next telemetry sequence number */
    private static long awaitState(BoxProcess box, String id, String state, RawMqtt plc, String root, long seq)
            throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            // birth and status again each time: the zone's configuration is re-read once the broker has hashed
            // its password, and the driver then starts the zone afresh
            plc.publish(root + "/birth", birth().getBytes(StandardCharsets.UTF_8));
            plc.publish(root + "/status", "{\"v\":1,\"state\":\"online\",\"boot\":1}".getBytes());
            tele(plc, root, seq++, 50, true);
            JsonNode rule = box.get("/api/interlocks/" + id);
            if (state.equals(rule.path("state").asText())) {
                return seq;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("interlock " + id + " not " + state + " within 60 s");
    }

    private static void tele(RawMqtt plc, String root, long seq, double level, boolean valve) throws Exception {
        plc.publish(root + "/tele", ("{\"v\":1,\"boot\":1,\"seq\":" + seq + ",\"t\":" + System.currentTimeMillis()
                + ",\"tags\":{\"level\":" + level + ",\"valve\":" + valve + "}}").getBytes(StandardCharsets.UTF_8));
        plc.flush();
    }

    private static String birth() {
        return "{\"v\":1,\"zone\":\"" + ZONE + "\",\"type\":\"generic\",\"fw\":\"bench\",\"hw\":\"bench\",\"boot\":1,"
                + "\"failsafe\":\"off\",\"period_ms\":1000,\"tags\":[{\"name\":\"level\",\"kind\":\"analog\",\"unit\":\"%\","
                + "\"rw\":false},{\"name\":\"valve\",\"kind\":\"bool\",\"rw\":true}]}";
    }

    private static void rule(Path conf, String id, String text, String condition, String blocks, String forces)
            throws Exception {
        Path tmp = conf.resolve("brewpi.interlock-" + id + ".tmp");
        Files.writeString(tmp, "id = " + id + "\ntext = " + text + "\nconditions = " + condition + "\nblocks = " + blocks
                + (forces.isEmpty() ? "" : "\nforces = " + forces) + "\n");
        Files.move(tmp, conf.resolve("brewpi.interlock-" + id + ".cfg"));
    }

    /** The extra PLCs: one telemetry message a second each, spread evenly over the second. */
    private static Thread startLoad(BoxProcess box, List<String> zones, AtomicBoolean running) {
        Thread t = new Thread(() -> {
            List<RawMqtt> plcs = new ArrayList<>();
            try {
                for (String zone : zones) {
                    RawMqtt plc = new RawMqtt("127.0.0.1", box.mqttPort, zone + "-load", zone, "ill-bench-password");
                    plc.publish("brewpi/v1/" + zone + "/birth", LoadGenerator.birth(zone).getBytes(StandardCharsets.UTF_8));
                    plc.publish("brewpi/v1/" + zone + "/status", "{\"v\":1,\"state\":\"online\",\"boot\":1}".getBytes());
                    plc.flush();
                    plcs.add(plc);
                }
                long seq = 0;
                long slice = 1000 / zones.size();
                while (running.get()) {
                    for (int i = 0; i < plcs.size() && running.get(); i++) {
                        plcs.get(i).publish("brewpi/v1/" + zones.get(i) + "/tele", LoadGenerator.tele(seq));
                        plcs.get(i).flush();
                        Thread.sleep(Math.max(1, slice));
                    }
                    seq++;
                }
            } catch (Exception e) {
                System.err.println("load generator stopped: " + e);
            } finally {
                for (RawMqtt plc : plcs) {
                    try {
                        plc.close();
                    } catch (java.io.IOException e) {
                        // going anyway
                    }
                }
            }
        }, "interlock-load");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
