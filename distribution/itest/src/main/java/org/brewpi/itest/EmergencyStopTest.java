package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmService;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.interlock.EmergencyStop;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;

/**
 * The hardware layer in the running box, on the Pi4J mock (this machine has no GPIO): the E-stop input
 * holds the real simulated plant off through the real gate, and beacon and horn follow the real alarm engine.
 */
class EmergencyStopTest {

    @InjectBundleContext
    BundleContext context;
    Box box;

    @BeforeEach
    void box() {
        box = new Box(context);
    }

    private Context gpio() {
        return box.service(Context.class);
    }

    private boolean high(String pin) {
        DigitalOutput out = gpio().registry().get(pin);
        return out.state() == DigitalState.HIGH;
    }

    private static String mode(Plant plant, String zone) {
        TagValue v = plant.zone(zone).orElseThrow().tags().get("mode");
        return v == null ? null : String.valueOf(v.value());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + box.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Box.TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return box.http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits for a zone to be online. A hot zone whose PLC missed the SCADA's first heartbeats (a slow start on a
     * loaded machine) sits in fail-safe until reset: reset it, as an operator would.
     */
    private void online(Plant plant, String zone) throws Exception {
        await().atMost(Box.WAIT).until(() -> plant.zone(zone).map(z -> z.state() != ZoneState.OFFLINE).orElse(false));
        if (plant.zone(zone).orElseThrow().state() == ZoneState.FAILSAFE) {
            var reset = post("/api/zones/" + zone + "/reset", "{}");
            assertThat(reset.statusCode()).as(zone + " reset: " + reset.body()).isIn(200, 409);
        }
        box.awaitZone(zone, ZoneState.ONLINE);
    }

    private String error(HttpResponse<String> response) throws Exception {
        return Box.JSON.readTree(response.body()).path("error").asText();
    }

    @Test
    void theEstopHoldsEverySimulatedZoneOffUntilReleasedAndReset() throws Exception {
        EmergencyStop estop = box.service(EmergencyStop.class);
        Plant plant = box.plant();
        for (String zone : SimulatedPlantTest.DEMO) {
            online(plant, zone);
        }
        JsonNode hardware = box.getJson("/api/health").path("components").path("hardware");
        assertThat(hardware.path("provider").asText()).as("no GPIO on this machine").isEqualTo("mock");
        assertThat(estop.state()).isEqualTo(EmergencyStop.State.CLEAR);

        // the kettle heats by hand, the fermenters and the glycol regulate: outputs are energised
        assertThat(box.put("/api/zones/kettle/tags/mode", "{\"value\":\"manual\"}", Box.TOKEN).statusCode()).isEqualTo(200);
        assertThat(box.put("/api/zones/kettle/tags/heater", "{\"value\":true}", Box.TOKEN).statusCode()).isEqualTo(200);
        Map<String, String> before = new HashMap<>();
        for (String zone : SimulatedPlantTest.DEMO) {
            await().atMost(Box.WAIT).until(() -> mode(plant, zone) != null);
            before.put(zone, mode(plant, zone));
        }
        assertThat(before).containsEntry("kettle", "manual").containsEntry("fv1", "auto");

        MockDigitalInput button = gpio().registry().get("brewpi-estop");
        button.mockState(DigitalState.HIGH); // the normally-closed loop opens
        await().atMost(Duration.ofSeconds(2)).until(() -> estop.state() == EmergencyStop.State.PRESSED);
        JsonNode shown = box.getJson("/api/estop");
        assertThat(shown.get("state").asText()).isEqualTo("PRESSED");
        assertThat(shown.get("pressedAt").asLong()).isPositive();

        await().atMost(Box.WAIT).untilAsserted(() -> {
            for (String zone : SimulatedPlantTest.DEMO) {
                assertThat(mode(plant, zone)).as(zone).isEqualTo("off");
            }
        });
        assertThat(plant.zone("kettle").orElseThrow().tags().get("heater").value()).isEqualTo(false);

        var heater = box.put("/api/zones/kettle/tags/mode", "{\"value\":\"manual\"}", Box.TOKEN);
        assertThat(heater.statusCode()).as(heater.body()).isEqualTo(409);
        assertThat(error(heater)).isEqualTo("estop");
        assertThat(box.put("/api/zones/kettle/tags/heater", "{\"value\":true}", Box.TOKEN).statusCode()).isEqualTo(409);
        assertThat(box.put("/api/zones/kettle/tags/sv", "{\"value\":98}", Box.TOKEN).statusCode())
                .as("a setpoint may be prepared while held").isEqualTo(200);

        var tooEarly = post("/api/estop/reset", "{}");
        assertThat(tooEarly.statusCode()).as(tooEarly.body()).isEqualTo(409);
        assertThat(error(tooEarly)).isEqualTo("estop_pressed");

        button.mockState(DigitalState.LOW);
        await().atMost(Duration.ofSeconds(2)).until(() -> estop.state() == EmergencyStop.State.RESET_NEEDED);
        assertThat(box.put("/api/zones/kettle/tags/mode", "{\"value\":\"auto\"}", Box.TOKEN).statusCode())
                .as("released is not reset").isEqualTo(409);

        var reset = post("/api/estop/reset", "{}");
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        assertThat(Box.JSON.readTree(reset.body()).get("state").asText()).isEqualTo("CLEAR");
        assertThat(estop.state()).isEqualTo(EmergencyStop.State.CLEAR);

        List<AuditEntry> audited = box.service(AuditTrail.class).entries(0, 0, Long.MAX_VALUE, null, "estop", 1000);
        assertThat(audited).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::entryPoint).containsSubsequence(
                org.assertj.core.groups.Tuple.tuple("estop.press", "estop", "internal"),
                org.assertj.core.groups.Tuple.tuple("estop.release", "estop", "internal"),
                org.assertj.core.groups.Tuple.tuple("estop.reset", "api", "rest"));
        List<AuditEntry> forced = box.service(AuditTrail.class).entries(0, 0, Long.MAX_VALUE, "estop", "kettle.mode", 1000);
        assertThat(forced).extracting(AuditEntry::action).contains("command.write");

        // running again: the kettle takes its heater, then every zone goes back to what it was doing
        assertThat(box.put("/api/zones/kettle/tags/mode", "{\"value\":\"manual\"}", Box.TOKEN).statusCode()).isEqualTo(200);
        var on = box.put("/api/zones/kettle/tags/heater", "{\"value\":true}", Box.TOKEN);
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        before.put("kettle", "off");
        for (var zone : before.entrySet()) {
            assertThat(box.put("/api/zones/" + zone.getKey() + "/tags/mode", "{\"value\":\"" + zone.getValue() + "\"}",
                    Box.TOKEN).statusCode()).as(zone.getKey()).isEqualTo(200);
        }
    }

    @Test
    void beaconAndHornFollowAnAlarmRaisedAndAcknowledged() throws Exception {
        EmergencyStop estop = box.service(EmergencyStop.class);
        AlarmService alarms = box.service(AlarmService.class);
        box.awaitZone("fv1", ZoneState.ONLINE);
        await().atMost(Box.WAIT).until(() -> estop.state() == EmergencyStop.State.CLEAR);
        // a quiet start: whatever earlier tests left unacknowledged is acknowledged
        for (Alarm a : alarms.alarms()) {
            if (!a.state().acknowledged()) {
                alarms.acknowledge(a.id(), "itest", "internal", "baseline of the beacon test");
            }
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> !high("brewpi-horn"));

        ConfigurationAdmin cm = box.service(ConfigurationAdmin.class);
        Configuration config = cm.getFactoryConfiguration("brewpi.alarm", "itest-beacon", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("id", "itest.beacon");
        props.put("zone", "fv1");
        props.put("tag", "pv");
        props.put("kind", "HI");
        props.put("limit", -100.0); // always above: active at once
        props.put("priority", "critical");
        props.put("message", "beacon test");
        config.update(props);
        try {
            await().atMost(Box.WAIT).until(() -> alarms.alarm("itest.beacon").map(a -> a.state().active()).orElse(false));
            await().atMost(Duration.ofSeconds(2)).until(() -> high("brewpi-horn"));
            // unacknowledged critical: the beacon flashes fast (both levels within a period)
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(() -> high("brewpi-beacon"));
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(() -> !high("brewpi-beacon"));
            assertThat(box.getJson("/api/health").at("/components/hardware/beacon/pattern").asText()).isEqualTo("FAST");

            var ack = post("/api/alarms/itest.beacon/ack", "{\"comment\":\"beacon test\"}");
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(2)).until(() -> !high("brewpi-horn"));
            // acknowledged, still active: steady
            await().atMost(Duration.ofSeconds(3)).during(Duration.ofMillis(800)).pollInterval(Duration.ofMillis(20))
                    .until(() -> high("brewpi-beacon") && !high("brewpi-horn"));
        } finally {
            config.delete();
        }
        await().atMost(Box.WAIT).until(() -> alarms.alarm("itest.beacon").isEmpty());
        if (alarms.alarms().stream().noneMatch(a -> a.annunciated() && (a.state().active() || !a.state().acknowledged()))) {
            await().atMost(Duration.ofSeconds(2)).until(() -> !high("brewpi-beacon"));
        }
    }

    @Test
    void withTheHardwareBundleStoppedTheGateLetsNoWriteThrough() throws Exception {
        Plant plant = box.plant();
        online(plant, "fv1");
        Bundle hardware = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "org.brewpi.hardware".equals(b.getSymbolicName())).findFirst().orElseThrow();
        String body = "{\"value\":" + plant.zone("fv1").orElseThrow().tags().get("sv").value() + "}";
        hardware.stop();
        try {
            HttpResponse<String> refused = put("/api/zones/fv1/tags/sv", body);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(error(refused)).isEqualTo("guard_missing");
            assertThat(refused.body()).contains("estop");
        } finally {
            hardware.start();
        }
        await().atMost(Box.WAIT).until(() -> put("/api/zones/fv1/tags/sv", body).statusCode() == 200);
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + box.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Box.TOKEN).PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        return box.http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theWatchdogPulsesOnlyWhileTheGuardsItNeedsArePresent() throws Exception {
        ConfigurationAdmin cm = box.service(ConfigurationAdmin.class);
        Configuration hardware = cm.getConfiguration("brewpi.hardware", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("watchdog.required.guards", "itest");
        props.put("watchdog.period.ms", "100");
        hardware.update(props); // applied live: the pins are opened again with the new settings
        ServiceRegistration<CommandGuard> guard = null;
        try {
            await().atMost(Box.WAIT).until(() -> "no itest guard".equals(
                    box.getJson("/api/health").at("/components/hardware/watchdog/stoppedBecause").asText()));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !high("brewpi-watchdog"));

            Hashtable<String, Object> name = new Hashtable<>();
            name.put(CommandGuard.GUARD_NAME, "itest");
            guard = context.registerService(CommandGuard.class, command -> Optional.empty(), name);
            // pulses: both levels seen, again and again
            for (int i = 0; i < 3; i++) {
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> high("brewpi-watchdog"));
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> !high("brewpi-watchdog"));
            }
            assertThat(box.getJson("/api/health").at("/components/hardware/watchdog/running").asBoolean()).isTrue();

            guard.unregister();
            guard = null;
            await().atMost(Duration.ofSeconds(2)).until(() -> !high("brewpi-watchdog"));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !high("brewpi-watchdog"));
        } finally {
            if (guard != null) {
                guard.unregister();
            }
            hardware.delete();
        }
    }
}
