package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandGate;
import org.brewpi.api.interlock.Interlock;
import org.brewpi.api.interlock.InterlockService;
import org.brewpi.api.interlock.InterlockState;
import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.api.security.Sessions;
import org.brewpi.api.security.UserAdmin;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneState;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The plant-wide interlocks end to end in the running box: the demo plant's rules on the simulator, rules added
 * through ConfigurationAdmin, writes over REST as logged-in users, and a PLC played over MQTT for what the
 * simulator cannot do on demand (go STALE, break two rules in one message).
 */
class InterlocksTest {

    private static final String PIN = "731946";

    @InjectBundleContext
    BundleContext context;
    Box box;
    InterlockService interlocks;
    Plant plant;

    @BeforeEach
    void box() {
        box = new Box(context);
        interlocks = box.service(InterlockService.class);
        plant = box.plant();
    }

    private Interlock interlock(String id) {
        return interlocks.interlock(id).orElseThrow(() -> new AssertionError("no interlock " + id));
    }

    private Object value(String zone, String tag) {
        return plant.zone(zone).map(z -> z.tags().get(tag)).map(TagValue::value).orElse(null);
    }

    /**
     * Waits for a simulated zone to be online. On a loaded machine a PLC may start before the box sends heartbeats
     * and enter fail-safe; a hot zone then waits for a reset, as a real one does.
     */
    private void online(String zone) throws Exception {
        await().atMost(Box.WAIT).until(() -> plant.zone(zone).map(z -> z.state() != ZoneState.OFFLINE).orElse(false));
        if (plant.zone(zone).orElseThrow().state() == ZoneState.FAILSAFE) {
            box.service(CommandGate.class).submit(new Command(null, zone, Command.RESET, null, null, "internal", "itest"))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        box.awaitZone(zone, ZoneState.ONLINE);
    }

    /** A user with a PIN, logged in: the session token. Names are new per run: the data folder may be reused. */
    private String login(Role role) {
        Principal admin = box.service(Authenticator.class).authenticate("Bearer " + Box.TOKEN).orElseThrow();
        String user = role.id().substring(0, 3) + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        box.service(UserAdmin.class).createUser(admin, user, "IT " + role.id(), role, "first-" + user);
        Sessions sessions = box.service(Sessions.class);
        sessions.changePin(user, "first-" + user, PIN, "hmi");
        return sessions.login(user, PIN, "hmi").token();
    }

    private HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + box.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return box.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Configuration rule(String id, Map<String, Object> settings) throws Exception {
        Configuration config = box.service(ConfigurationAdmin.class).getFactoryConfiguration("brewpi.interlock", id, "?");
        Dictionary<String, Object> props = new Hashtable<>(settings);
        props.put("id", id);
        props.put("text", "IT rule " + id);
        config.update(props);
        await().atMost(Box.WAIT).until(() -> interlocks.interlock(id).isPresent());
        return config;
    }

    @Test
    void aBlockedWriteIsRefusedWithTheIdAndABypassNeedsASignatureThenTheTripForcesTheOutputOff() throws Exception {
        online("fv1");
        await().atMost(Box.WAIT).untilAsserted(() -> assertThat(interlocks.interlocks()).extracting(Interlock::id)
                .contains("kettle-level", "hlt-level-switch", "mash-transfer", "fv1-cip", "fv2-cip", "glycol-chiller"));
        await().atMost(Box.WAIT).until(() -> interlock("fv1-cip").state() == InterlockState.HEALTHY);
        String operator = login(Role.OPERATOR);
        String supervisor = login(Role.SUPERVISOR);

        // CIP starts on fv1: then its product valve must not open
        HttpResponse<String> cip = call("PUT", "/api/zones/fv1/tags/cip", "{\"value\":true}", operator);
        assertThat(cip.statusCode()).as(cip.body()).isEqualTo(200);
        await().atMost(Box.WAIT).until(() -> Boolean.TRUE.equals(value("fv1", "cip")));
        HttpResponse<String> refused = call("PUT", "/api/zones/fv1/tags/product_valve", "{\"value\":true}", operator);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        JsonNode body = Box.JSON.readTree(refused.body());
        assertThat(body.get("error").asText()).isEqualTo("interlocked");
        assertThat(body.get("source").asText()).isEqualTo("fv1-cip");
        assertThat(body.get("message").asText()).isEqualTo("CIP running on fv1 blocks its product valve");

        // no bypass without a supervisor's signature
        String bypass = "/api/interlocks/fv1-cip/bypass";
        assertThat(call("POST", bypass, "{\"pin\":\"" + PIN + "\",\"reason\":\"valve test\",\"minutes\":5}", operator)
                .statusCode()).isEqualTo(403);
        assertThat(call("POST", bypass, "{\"reason\":\"valve test\",\"minutes\":5}", supervisor).statusCode())
                .isEqualTo(400);
        assertThat(call("POST", bypass, "{\"pin\":\"000000\",\"reason\":\"valve test\",\"minutes\":5}", supervisor)
                .statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> interlocks.bypass("fv1-cip", null, 300_000, "internal"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(interlock("fv1-cip").bypass()).isNull();

        // with it, the blocked write goes through and the interlock trips without forcing
        HttpResponse<String> signed = call("POST", bypass, "{\"pin\":\"" + PIN + "\",\"reason\":\"valve test\","
                + "\"minutes\":5}", supervisor);
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(Box.JSON.readTree(signed.body()).get("bypass").get("reason").asText()).isEqualTo("valve test");
        HttpResponse<String> open = call("PUT", "/api/zones/fv1/tags/product_valve", "{\"value\":true}", operator);
        assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
        await().atMost(Box.WAIT).until(() -> interlock("fv1-cip").state() == InterlockState.TRIPPED);
        assertThat(value("fv1", "product_valve")).isEqualTo(true);

        // the bypass ends: the trip forces the valve shut through the gate, and the simulated PLC does it
        assertThat(call("POST", "/api/interlocks/fv1-cip/unbypass", "{\"reason\":\"test over\"}", supervisor)
                .statusCode()).isEqualTo(200);
        await().atMost(Box.WAIT).until(() -> Boolean.FALSE.equals(value("fv1", "product_valve")));
        List<AuditEntry> audited = box.service(AuditTrail.class).entries(0, 0, Long.MAX_VALUE, null, null, 100_000);
        assertThat(audited).filteredOn(e -> "interlock:fv1-cip".equals(e.actor()) && e.action().equals("command.write"))
                .extracting(AuditEntry::target, AuditEntry::newValue).contains(org.assertj.core.groups.Tuple.tuple(
                        "fv1.product_valve", "false"));
        assertThat(audited).filteredOn(e -> "interlock:fv1-cip".equals(e.target())).extracting(AuditEntry::action)
                .contains("interlock.bypass", "interlock.trip", "interlock.bypass.end");

        assertThat(call("PUT", "/api/zones/fv1/tags/cip", "{\"value\":false}", operator).statusCode()).isEqualTo(200);
        await().atMost(Box.WAIT).until(() -> interlock("fv1-cip").state() == InterlockState.HEALTHY);
    }

    @Test
    void aTemperatureRisingPastALimitSwitchesTheSimulatedHeaterOff() throws Exception {
        online("mash");
        String operator = login(Role.OPERATOR);
        await().atMost(Box.WAIT).until(() -> value("mash", "pv") instanceof Double);
        double limit = Math.round((Double) value("mash", "pv") + 2.0);
        String id = "it-mash-temperature";
        Configuration config = rule(id, Map.of("conditions", "mash.mode == off, mash.pv < " + limit, "match", "any",
                "blocks", "mash.mode != off", "forces", "mash.mode = off", "latched", true));
        try {
            // on a loaded machine telemetry may be late (STALE) for a moment and trip it: write once it is healthy
            await().atMost(Box.WAIT).until(() -> interlock(id).state() == InterlockState.HEALTHY
                    && call("PUT", "/api/zones/mash/tags/mode", "{\"value\":\"manual\"}", operator).statusCode() == 200);
            HttpResponse<String> heat = call("PUT", "/api/zones/mash/tags/heater", "{\"value\":true}", operator);
            assertThat(heat.statusCode()).as(heat.body()).isEqualTo(200);
            // at 60x the 9 kW element gains about 0.8 K per second: the limit is seconds away
            // latched: once the forced mode off makes it safe again it waits for a reset, cause kept
            await().atMost(Duration.ofSeconds(30)).until(() -> interlock(id).state() == InterlockState.RESET_NEEDED);
            assertThat(interlock(id).trippedAt()).isPositive();
            assertThat(interlock(id).cause()).contains("mash.pv < " + (long) limit);
            await().atMost(Box.WAIT).untilAsserted(() -> {
                assertThat(value("mash", "mode")).isEqualTo("off");
                assertThat(value("mash", "heater")).isEqualTo(false);
            });
            List<AuditEntry> forced = box.service(AuditTrail.class).entries(0, 0, Long.MAX_VALUE, "interlock:" + id,
                    "mash.mode", 10);
            assertThat(forced).extracting(AuditEntry::action, AuditEntry::newValue)
                    .contains(org.assertj.core.groups.Tuple.tuple("command.write", "off"));
            assertThat(call("PUT", "/api/zones/mash/tags/mode", "{\"value\":\"auto\"}", operator).statusCode())
                    .as("blocked until an operator resets it").isEqualTo(409);
        } finally {
            config.delete();
        }
        await().atMost(Box.WAIT).until(() -> interlocks.interlock(id).isEmpty());
    }

    @Test
    void staleInputTripsAndOfTwoCausesInOneMessageTheFirstIsFlagged() throws Exception {
        String zone = "ilk" + Long.toString(System.nanoTime() % 100_000, 36);
        String password = "it-password-" + zone;
        Configuration zoneConfig = box.configureZone(zone, "generic", password, false, "mqtt");
        Configuration level = rule("it-" + zone + "-a-level", Map.of("conditions", zone + ".level > 20",
                "blocks", zone + ".valve = true", "forces", zone + ".valve = false"));
        Configuration pressure = rule("it-" + zone + "-b-pressure", Map.of("conditions", zone + ".pressure < 3",
                "forces", zone + ".valve = false"));
        MqttClient plc = null;
        try {
            await().atMost(Box.WAIT).until(() -> plant.zone(zone).isPresent());
            plc = connect(zone, password);
            List<JsonNode> commands = new CopyOnWriteArrayList<>();
            MqttClient answering = plc;
            plc.subscribe("brewpi/v1/" + zone + "/cmd", 1, (topic, message) -> {
                JsonNode cmd = Box.JSON.readTree(message.getPayload());
                commands.add(cmd);
                answering.publish("brewpi/v1/" + zone + "/ack",
                        ("{\"v\":1,\"id\":\"" + cmd.get("id").asText() + "\",\"ok\":true}").getBytes(), 1, false);
            });
            String birth = "{\"v\":1,\"zone\":\"" + zone + "\",\"type\":\"generic\",\"fw\":\"it\",\"hw\":\"it\",\"boot\":7,"
                    + "\"failsafe\":\"off\",\"period_ms\":1000,\"tags\":[{\"name\":\"level\",\"kind\":\"analog\",\"rw\":false},"
                    + "{\"name\":\"pressure\",\"kind\":\"analog\",\"rw\":false},{\"name\":\"valve\",\"kind\":\"bool\",\"rw\":true}]}";
            plc.publish("brewpi/v1/" + zone + "/birth", birth.getBytes(), 1, true);
            plc.publish("brewpi/v1/" + zone + "/status", "{\"v\":1,\"state\":\"online\",\"boot\":7}".getBytes(), 1, true);
            tele(plc, zone, 1, 50, 1, true);
            String a = "it-" + zone + "-a-level";
            String b = "it-" + zone + "-b-pressure";
            await().atMost(Box.WAIT).until(() -> interlock(a).state() == InterlockState.HEALTHY
                    && interlock(b).state() == InterlockState.HEALTHY);

            // one message breaks both rules: both trip together, one is first out
            tele(plc, zone, 2, 10, 5, true);
            await().atMost(Box.WAIT).until(() -> interlock(a).state() == InterlockState.TRIPPED
                    && interlock(b).state() == InterlockState.TRIPPED);
            assertThat(List.of(interlock(a).firstOut(), interlock(b).firstOut())).containsExactlyInAnyOrder(true, false);
            assertThat(interlock(a).firstOut()).as("judged in id order within one message").isTrue();
            assertThat(interlock(a).cause()).isEqualTo(zone + ".level > 20 (is 10)");
            assertThat(interlock(b).cause()).isEqualTo(zone + ".pressure < 3 (is 5)");
            await().atMost(Box.WAIT).until(() -> !commands.isEmpty());
            assertThat(commands.get(0).get("tag").asText()).isEqualTo("valve");
            assertThat(commands.get(0).get("value").asBoolean()).isFalse();
            List<AuditEntry> trips = box.service(AuditTrail.class).entries(0, 0, Long.MAX_VALUE, "interlock",
                    "interlock:it-" + zone, 100).stream().filter(e -> e.action().equals("interlock.trip")).toList();
            assertThat(trips).hasSize(2);
            assertThat(trips).filteredOn(e -> e.reason().contains("first out")).singleElement()
                    .satisfies(e -> assertThat(e.target()).isEqualTo("interlock:" + a));

            // good again: both clear (not latched)
            tele(plc, zone, 3, 50, 1, false);
            await().atMost(Box.WAIT).until(() -> interlock(a).state() == InterlockState.HEALTHY
                    && interlock(b).state() == InterlockState.HEALTHY);

            // then the PLC stops reporting: after three periods its data is STALE, and an interlock cannot see
            // (once the rule's 15 s start-up grace is over)
            await().atMost(Duration.ofSeconds(30)).until(() -> interlock(a).state() == InterlockState.TRIPPED);
            assertThat(interlock(a).cause()).isEqualTo(zone + ".level > 20 (STALE)");
        } finally {
            if (plc != null) {
                plc.disconnectForcibly(100, 100);
                plc.close();
            }
            level.delete();
            pressure.delete();
            zoneConfig.delete();
        }
    }

    private MqttClient connect(String zone, String password) throws Exception {
        MqttClient[] client = new MqttClient[1];
        // the broker takes the new zone's password within a second of its configuration
        await().atMost(Box.WAIT).ignoreExceptions().until(() -> {
            client[0] = box.plc(zone, password);
            return true;
        });
        return client[0];
    }

    private static void tele(MqttClient plc, String zone, int seq, double level, double pressure, boolean valve)
            throws Exception {
        plc.publish("brewpi/v1/" + zone + "/tele", ("{\"v\":1,\"boot\":7,\"seq\":" + seq + ",\"t\":1,\"tags\":{\"level\":"
                + level + ",\"pressure\":" + pressure + ",\"valve\":" + valve + "}}").getBytes(), 0, false);
    }
}
