package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.brewpi.api.alarm.AlarmService;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

import com.fasterxml.jackson.databind.JsonNode;

/** The alarm engine in the running box: communication-loss alarms from the simulated plant. */
class AlarmsTest {

    @InjectBundleContext
    BundleContext context;
    Box box;

    @BeforeEach
    void box() {
        box = new Box(context);
    }

    private AlarmState state(AlarmService alarms, String id) {
        return alarms.alarm(id).orElseThrow(() -> new AssertionError("no alarm " + id)).state();
    }

    @Test
    void stoppingTheSimulatorRaisesCommLossAlarmsWithinSeconds() throws Exception {
        AlarmService alarms = box.service(AlarmService.class);
        // the data folder (and its audit trail) outlives a run: look only at what this test did
        long testStarted = System.currentTimeMillis();
        for (String zone : SimulatedPlantTest.DEMO) {
            box.awaitZone(zone, ZoneState.ONLINE);
        }
        // every zone of the demo plant has its default communication-loss alarm, not active while online
        await().atMost(Box.WAIT).untilAsserted(() -> {
            for (String zone : SimulatedPlantTest.DEMO) {
                assertThat(state(alarms, zone + ".comm").active()).as(zone).isFalse();
            }
        });
        assertThat(alarms.alarm("fv1.pv.dev")).isPresent();
        assertThat(alarms.alarm("hlt.pv.hihi")).isPresent();

        Bundle sim = Arrays.stream(context.getBundles()).filter(b -> "org.brewpi.sim".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        long stopped = System.nanoTime();
        sim.stop();
        try {
            // the will marks the zones offline at once; the 2 s on-delay then raises the alarms
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (String zone : SimulatedPlantTest.DEMO) {
                    assertThat(state(alarms, zone + ".comm")).as(zone).isEqualTo(AlarmState.UNACK_ACTIVE);
                }
            });
            long seconds = Duration.ofNanos(System.nanoTime() - stopped).toSeconds();
            assertThat(seconds).as("seconds to raise the alarms").isLessThan(10);

            JsonNode list = box.getJson("/api/alarms");
            assertThat(list.get("unacknowledged").asInt()).isGreaterThanOrEqualTo(SimulatedPlantTest.DEMO.size());
            JsonNode first = list.get("alarms").get(0);
            assertThat(first.get("state").asText()).isEqualTo("UNACK_ACTIVE");

            HttpResponse<String> noToken = post("/api/alarms/fv1.comm/ack", "{\"user\":\"itest\"}", null);
            assertThat(noToken.statusCode()).isEqualTo(401);
            HttpResponse<String> ack = post("/api/alarms/fv1.comm/ack",
                    "{\"user\":\"itest\",\"comment\":\"simulator stopped on purpose\"}", Box.TOKEN);
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            assertThat(Box.JSON.readTree(ack.body()).get("state").asText()).isEqualTo("ACK_ACTIVE");
        } finally {
            sim.start();
        }
        for (String zone : SimulatedPlantTest.DEMO) {
            box.awaitZone(zone, ZoneState.ONLINE);
        }
        // acknowledged and returned: normal; the others returned unacknowledged
        await().atMost(Box.WAIT).untilAsserted(() -> {
            assertThat(state(alarms, "fv1.comm")).isEqualTo(AlarmState.NORMAL);
            assertThat(state(alarms, "hlt.comm")).isEqualTo(AlarmState.UNACK_RETURNED);
        });

        List<AuditEntry> audited = box.service(AuditTrail.class).entries(0, testStarted, Long.MAX_VALUE, null, "fv1.comm", 1000);
        assertThat(audited).extracting(AuditEntry::action).contains("alarm.activate", "alarm.ack", "alarm.return");
        // the actor is who the token says, not what the body claims: the bootstrap token acts as "api"
        assertThat(audited).filteredOn(e -> e.action().equals("alarm.ack")).extracting(AuditEntry::actor)
                .containsOnly("api");

        JsonNode journal = box.getJson("/api/alarms/journal?limit=50");
        assertThat(journal.get("transitions").findValuesAsText("alarm")).contains("fv1.comm", "hlt.comm");
        JsonNode metrics = box.getJson("/api/alarms/metrics");
        assertThat(metrics.get("activations").asLong()).isGreaterThanOrEqualTo(SimulatedPlantTest.DEMO.size());
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + box.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return box.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
