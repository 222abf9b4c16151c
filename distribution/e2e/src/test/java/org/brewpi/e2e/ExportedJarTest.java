package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The exported jar, started as its own process on free ports: what a newcomer's first command does. */
class ExportedJarTest {

    static final List<String> DEMO = List.of("fv1", "fv2", "glycol", "hlt", "kettle", "mash");

    @Test
    void healthAndZonesAnswerOverHttp() throws Exception {
        try (Box box = new Box("exported-jar").start()) {
            JsonNode health = box.http.get("/api/health").json();
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.path("bundles").path("total").asInt()).isGreaterThan(30);
            assertThat(health.path("bundles").path("notActive")).isEmpty();
            assertThat(health.path("components").path("box").path("httpPort").asInt()).isEqualTo(box.httpPort);
            assertThat(health.path("components").path("broker").path("port").asInt()).isEqualTo(box.mqttPort);
            box.waitForZonesOnline(DEMO, java.time.Duration.ofSeconds(30));
            JsonNode zones = box.http.get("/api/zones").json();
            assertThat(zones).extracting(z -> z.path("id").asText()).containsExactlyElementsOf(DEMO);
            for (JsonNode zone : zones) {
                assertThat(zone.path("state").asText()).as(zone.path("id").asText()).isEqualTo("online");
                assertThat(zone.path("tags").path("pv").path("quality").asText()).isIn("GOOD", "STALE");
            }
            assertThat(box.http.get("/api/zones/nope").status()).isEqualTo(404);
            // the hardening filter sits in front of the real whiteboard: headers, and a write from another site refused
            Http.Answer answer = box.http.get("/api/zones");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
            assertThat(answer.header("Strict-Transport-Security")).as("plain HTTP: no HSTS").isNull();
            assertThat(box.http.get("/hmi/").header("X-Frame-Options")).isEqualTo("DENY");
            RawHttp.Answer crossSite = new RawHttp("127.0.0.1", box.httpPort).send("PUT", "/api/zones/hlt/tags/sv",
                    java.util.Map.of("Authorization", "Bearer " + box.token, "Content-Type", "application/json",
                            "Origin", "https://evil.example"), "{\"value\": 60}".getBytes());
            assertThat(crossSite.status()).isEqualTo(403);
            assertThat(crossSite.body()).contains("cross_site");
            // The demo plant's passwords left conf/ as hashes.
            for (String zone : DEMO) {
                String cfg = Files.readString(box.home.resolve("conf").resolve("brewpi.zone-" + zone + ".cfg"));
                assertThat(cfg).contains("password.hash = $pbkdf2-sha256$").doesNotContainPattern("(?m)^password\\s*=");
            }
        }
    }

    @Test
    void aPortInUseStopsTheBoxWithOneLineNamingPortAndSetting(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", E2e.boxJar().toString()).directory(home.toFile()).redirectErrorStream(true);
            pb.environment().put("BREWPI_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            pb.environment().put("BREWPI_MQTT_PORT", "0");
            Process box = pb.start();
            assertThat(box.waitFor(60, TimeUnit.SECONDS)).as("the box gives up").isTrue();
            String output = new String(box.getInputStream().readAllBytes());
            assertThat(box.exitValue()).isNotZero();
            assertThat(output.lines().filter(l -> l.contains("port " + taken.getLocalPort())))
                    .containsExactly("BrewPi: port " + taken.getLocalPort()
                            + " is already in use; set BREWPI_HTTP_PORT (or -Dbrewpi.http.port) to a free port");
        }
    }
}
