package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The real box: the exported jar started as a separate process, on free ports, with its folders
 * in a fresh directory under target/, the simulator on and a test token.
 */
final class Box implements AutoCloseable {

    static final Duration START_LIMIT = Duration.ofSeconds(60);

    final String token = "e2e-" + UUID.randomUUID();
    final Path home;
    final int httpPort;
    final int mqttPort;
    final Http http;
    private final Path log;
    private boolean degradedIsUp;
    private int starts;
    private Process process;

    /** Settings beyond the defaults, e.g. HTTPS; given before {@link #start}. */
    final Map<String, String> extraEnv = new java.util.LinkedHashMap<>();

    /** @param name names the box's folder and log, e.g. the test class */
    Box(String name) throws IOException {
        this(name, null, null);
    }

    /**
     * @param httpsPort when not null, the box is reached over HTTPS on that port (settings in {@link #extraEnv})
     * @param trust the certificates the HTTPS client trusts
     */
    Box(String name, Integer httpsPort, Http.Trust trust) throws IOException {
        this.home = E2e.targetDir().resolve("boxes").resolve(name + "-" + System.currentTimeMillis());
        for (String dir : List.of("data", "conf", "deploy")) {
            Files.createDirectories(home.resolve(dir));
        }
        this.log = home.resolve("box.log");
        this.httpPort = freePort();
        this.mqttPort = freePort();
        this.http = httpsPort == null ? new Http("http://127.0.0.1:" + httpPort, token)
                : new Http("https://127.0.0.1:" + httpsPort, token, trust);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A configuration file in the box's conf/ folder (applied live, or at the next start). */
    Box conf(String fileName, String content) throws IOException {
        Files.writeString(home.resolve("conf").resolve(fileName), content);
        return this;
    }

    /** For a box started with a part meant to fail (e.g. an unreachable database): DEGRADED counts as started. */
    Box degradedIsExpected() {
        degradedIsUp = true;
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts the jar (again, on the same ports and folders after a kill) and waits for health UP. */
    Box start() throws Exception {
        Path jar = E2e.boxJar();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = builder.environment();
        env.put("BREWPI_HTTP_PORT", Integer.toString(httpPort));
        env.put("BREWPI_MQTT_PORT", Integer.toString(mqttPort));
        env.put("BREWPI_DATA_DIR", home.resolve("data").toString());
        env.put("BREWPI_CONF_DIR", home.resolve("conf").toString());
        env.put("BREWPI_DEPLOY_DIR", home.resolve("deploy").toString());
        env.put("BREWPI_API_TOKEN", token);
        env.put("BREWPI_SIM", "true");
        env.putAll(extraEnv);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Files.writeString(log, "\n===== start " + (++starts) + " =====\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        process = builder.start();
        Process started = process;
        // Should the test JVM die first, the box must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "kill-box"));
        waitForHealth();
        return this;
    }

    private void waitForHealth() throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the box exited with code %d before /api/health was UP; log %s:%n%s", process.exitValue(), log,
                        tail());
            }
            try {
                Http.Answer answer = http.get("/api/health");
                String status = answer.status() == 200 ? answer.json().path("status").asText() : "";
                if ("UP".equals(status) || degradedIsUp && "DEGRADED".equals(status)) {
                    return;
                }
                last = answer.status() + " " + healthSummary(answer);
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        fail("/api/health not UP within %s (last: %s); log %s:%n%s", START_LIMIT, last, log, tail());
    }

    /** The overall status and the parts that are not UP, short enough for a failure message. */
    private static String healthSummary(Http.Answer answer) {
        try {
            JsonNode health = answer.json();
            StringBuilder summary = new StringBuilder(health.path("status").asText("?"));
            health.path("components").fields().forEachRemaining(c -> {
                String status = c.getValue().path("status").asText();
                if (!"UP".equals(status)) {
                    String error = c.getValue().path("error").asText("");
                    summary.append("; ").append(c.getKey()).append(' ').append(status)
                            .append(error.isEmpty() ? "" : ": " + error.substring(0, Math.min(160, error.length())));
                }
            });
            return summary.toString();
        } catch (IOException e) {
            return answer.body().substring(0, Math.min(300, answer.body().length()));
        }
    }

    /** Waits until the simulated plant's zones are online with good readings. */
    void waitForZonesOnline(List<String> zones, Duration limit) throws Exception {
        E2e.waitFor("zones " + zones + " online with GOOD pv and sv", limit, () -> {
            for (String id : zones) {
                JsonNode zone = zone(id);
                if (zone == null || !"online".equals(zone.path("state").asText())
                        || !"GOOD".equals(zone.path("tags").path("pv").path("quality").asText())
                        || !"GOOD".equals(zone.path("tags").path("sv").path("quality").asText())) {
                    return false;
                }
            }
            return true;
        });
    }

    /** GET /api/zones/{id}, or null if unknown. */
    JsonNode zone(String id) throws IOException, InterruptedException {
        Http.Answer answer = http.get("/api/zones/" + id);
        return answer.status() == 200 ? answer.json() : null;
    }

    /** GET /api/zones as a list, whether the server sends an array or {"zones": [...]}. */
    List<JsonNode> zones() throws IOException, InterruptedException {
        JsonNode body = http.get("/api/zones").json();
        JsonNode list = body.isArray() ? body : body.path("zones");
        List<JsonNode> zones = new ArrayList<>();
        list.forEach(zones::add);
        return zones;
    }

    /** An environment variable for the next starts (e.g. {@code BREWPI_PG_URL}). */
    Box env(String name, String value) {
        extraEnv.put(name, value);
        return this;
    }

    /** Stops the box as its service manager would (SIGTERM) and waits for it to exit. */
    int stop(Duration limit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            kill();
            fail("the box did not stop within %s of SIGTERM; log %s:%n%s", limit, log, tail());
        }
        return process.exitValue();
    }

    /** Kills the process at once, as a power cut or a crash would. */
    void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
    }

    /** The whole log so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    /** The log of the last start, whole. */
    String lastStartLog() throws IOException {
        String all = Files.readString(log);
        return all.substring(Math.max(0, all.lastIndexOf("===== start ")));
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
