package org.brewpi.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The exported box, started as its own process on free ports in a throw-away folder. */
final class BoxProcess implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    final Path home;
    final int httpPort;
    final int mqttPort;
    final Process process;
    final long startedNanos;
    private final HttpClient http = HttpClient.newHttpClient();

    BoxProcess(Path jar, boolean simulator, String heap, Map<String, String> zonesWithPasswords) throws IOException {
        home = Files.createTempDirectory("brewpi-bench");
        httpPort = freePort();
        mqttPort = freePort();
        Path conf = Files.createDirectories(home.resolve("conf"));
        for (var zone : zonesWithPasswords.entrySet()) {
            addZone(zone.getKey(), zone.getValue());
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap));
        // extra options for the box's JVM, e.g. -Dbench.jvm="-Xlog:gc:file=gc.log" (space-separated)
        for (String option : System.getProperty("bench.jvm", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                cmd.add(option);
            }
        }
        cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("box.log").toFile());
        pb.environment().put("BREWPI_HTTP_PORT", Integer.toString(httpPort));
        pb.environment().put("BREWPI_MQTT_PORT", Integer.toString(mqttPort));
        pb.environment().put("BREWPI_SIM", Boolean.toString(simulator));
        pb.environment().put("BREWPI_API_TOKEN", "bench-token");
        startedNanos = System.nanoTime();
        process = pb.start();
    }

    /** Drops a zone configuration into conf/, as an integrator would on a running box. */
    void addZone(String zone, String password) throws IOException {
        Path tmp = home.resolve("brewpi.zone-" + zone + ".tmp");
        Files.writeString(tmp, "zone = " + zone + "\ntype = generic\npassword = " + password + "\n");
        Files.move(tmp, home.resolve("conf").resolve("brewpi.zone-" + zone + ".cfg"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** @return ms from process start until /api/health answered UP */
    long awaitUp(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("box exited with " + process.exitValue() + ", see " + home.resolve("box.log"));
            }
            try {
                JsonNode health = health();
                if ("UP".equals(health.path("status").asText())) {
                    return (System.nanoTime() - startedNanos) / 1_000_000;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("box not UP within " + timeout + ", see " + home.resolve("box.log"));
    }

    JsonNode health() throws IOException, InterruptedException {
        return get("/api/health");
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
