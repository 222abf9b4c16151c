package org.brewpi.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.brewpi.sim.plc.ZonePlc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Emulated PLCs on the real Mosquitto (127.0.0.1:1883), each test under a topic root of its own,
 * at 60x: what the SCADA sees on the wire.
 */
@Timeout(60)
class SimulatorMqttTest {

    private BrokerObserver scada;
    private Simulator simulator;
    private ScheduledExecutorService heartbeats;

    @BeforeEach
    void start() throws Exception {
        scada = new BrokerObserver();
        simulator = new Simulator(new Simulator.Settings(BrokerObserver.BROKER, scada.root, 60.0, 5_000));
    }

    @AfterEach
    void stop() throws Exception {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        simulator.stop();
        scada.assertAllPayloadsValid();
        scada.close();
    }

    private void sendHeartbeats() throws Exception {
        scada.scadaOnline();
        heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleAtFixedRate(() -> {
            try {
                scada.heartbeat();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aZoneAnnouncesItselfThenReportsEveryPeriod() throws Exception {
        sendHeartbeats();
        simulator.addZone(new ZoneSpec("fv1", "fermenter", null));
        JsonNode birth = scada.await("fv1", "birth", b -> true, 5_000).json();
        JsonNode status = scada.await("fv1", "status", s -> "online".equals(s.path("state").textValue()), 5_000).json();
        long boot = birth.get("boot").longValue();
        assertThat(status.get("boot").longValue()).isEqualTo(boot);
        assertThat(birth.get("period_ms").longValue()).isEqualTo(Simulator.MIN_PERIOD_MS); // 1 s of plant time at 60x
        assertThat(birth.get("failsafe").textValue()).isEqualTo("hold_last");

        scada.await("fv1", "tele", t -> true, 5_000);
        Thread.sleep(2_000);
        List<BrokerObserver.Message> tele = scada.of("fv1", "tele");
        assertThat(tele).hasSizeBetween(6, 10);
        long seq = tele.get(0).json().get("seq").longValue();
        for (BrokerObserver.Message t : tele) {
            assertThat(t.json().get("boot").longValue()).isEqualTo(boot);
            assertThat(t.json().get("seq").longValue()).isEqualTo(seq++);
            assertThat(t.qos()).isZero();
        }
        // order on the wire: birth, then status, then telemetry
        List<String> order = scada.messages.stream().filter(m -> m.zone().equals("fv1")).map(BrokerObserver.Message::kind)
                .toList();
        assertThat(order).startsWith("birth", "status", "tele");
        // birth and status are retained for whoever subscribes later
        assertThat(scada.retained("fv1", "birth")).contains("\"boot\":" + boot);
        assertThat(scada.retained("fv1", "status")).contains("\"state\":\"online\"");
    }

    @Test
    void commandsAreAnsweredOnceAndActedOnOnce() throws Exception {
        sendHeartbeats();
        simulator.addZone(new ZoneSpec("fv1", "fermenter", null));
        scada.await("fv1", "status", s -> "online".equals(s.path("state").textValue()), 5_000);

        String first = "{\"v\":1,\"id\":\"c-1\",\"op\":\"write\",\"tag\":\"sv\",\"value\":20}";
        scada.command("fv1", first);
        JsonNode ack1 = scada.await("fv1", "ack", a -> "c-1".equals(a.path("id").textValue()), 3_000).json();
        assertThat(ack1.get("ok").booleanValue()).isTrue();
        scada.command("fv1", "{\"v\":1,\"id\":\"c-2\",\"op\":\"write\",\"tag\":\"sv\",\"value\":21}");
        scada.await("fv1", "ack", a -> "c-2".equals(a.path("id").textValue()), 3_000);

        // the same id again (a QoS 1 redelivery): answered as before, not applied again
        scada.command("fv1", first);
        long deadline = System.currentTimeMillis() + 3_000;
        while (scada.of("fv1", "ack").stream().filter(a -> a.payload().contains("\"c-1\"")).count() < 2
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        List<BrokerObserver.Message> c1 = scada.of("fv1", "ack").stream().filter(a -> a.payload().contains("\"c-1\"")).toList();
        assertThat(c1).hasSize(2);
        assertThat(c1.get(1).payload()).isEqualTo(c1.get(0).payload());
        assertThat(c1.get(0).qos()).isEqualTo(1);
        int acksBefore = scada.of("fv1", "ack").size();
        Thread.sleep(600); // a few telemetry periods
        JsonNode tele = scada.of("fv1", "tele").get(scada.of("fv1", "tele").size() - 1).json();
        assertThat(tele.get("tags").get("sv").doubleValue()).isEqualTo(21.0);
        assertThat(simulator.call(() -> simulator.plc("fv1").map(ZonePlc::sv).orElseThrow())).isEqualTo(21.0);

        // out of range, and malformed: refused with the right code, nothing changes
        scada.command("fv1", "{\"v\":1,\"id\":\"c-3\",\"op\":\"write\",\"tag\":\"sv\",\"value\":45}");
        JsonNode refused = scada.await("fv1", "ack", a -> "c-3".equals(a.path("id").textValue()), 3_000).json();
        assertThat(refused.get("err").textValue()).isEqualTo("out_of_range");
        assertThat(refused.get("msg").textValue()).isEqualTo("sv 45 > max 30");
        scada.command("fv1", "{\"v\":1,\"id\":\"c-4\",\"op\":\"explode\"}");
        JsonNode bad = scada.await("fv1", "ack", a -> "c-4".equals(a.path("id").textValue()), 3_000).json();
        assertThat(bad.get("err").textValue()).isEqualTo("bad_request");
        assertThat(scada.of("fv1", "ack").size()).isEqualTo(acksBefore + 2);
        assertThat(simulator.call(() -> simulator.plc("fv1").map(ZonePlc::sv).orElseThrow())).isEqualTo(21.0);
    }

    @Test
    void anAbruptStopLeavesTheWillAndARestartIsANewBoot() throws Exception {
        sendHeartbeats();
        simulator.addZone(new ZoneSpec("hlt", "hlt", null));
        long boot = scada.await("hlt", "birth", b -> true, 5_000).json().get("boot").longValue();
        scada.await("hlt", "status", s -> "online".equals(s.path("state").textValue()), 5_000);

        simulator.removeZone("hlt");
        BrokerObserver.Message will = scada.await("hlt", "status", s -> "offline".equals(s.path("state").textValue()), 5_000);
        assertThat(will.payload()).isEqualTo("{\"v\":1,\"state\":\"offline\"}");
        assertThat(scada.retained("hlt", "status")).isEqualTo("{\"v\":1,\"state\":\"offline\"}");

        simulator.addZone(new ZoneSpec("hlt", "hlt", null));
        JsonNode reborn = scada.await("hlt", "birth", b -> b.get("boot").longValue() != boot, 5_000).json();
        assertThat(reborn.get("boot").longValue()).isNotEqualTo(boot);
        scada.await("hlt", "status", s -> "online".equals(s.path("state").textValue())
                && s.get("boot").longValue() == reborn.get("boot").longValue(), 5_000);

        // stopping the whole simulator drops every connection the same way
        int mark = scada.of("hlt", "status").size();
        simulator.stop();
        scada.awaitAfter(mark, "hlt", "status", s -> "offline".equals(s.path("state").textValue()), 5_000);
        assertThat(scada.retained("hlt", "status")).isEqualTo("{\"v\":1,\"state\":\"offline\"}");
    }

    @Test
    void withoutHeartbeatsTheZoneGoesFailSafe() throws Exception {
        scada.scadaOnline();
        simulator.addZone(new ZoneSpec("hlt", "hlt", null));
        BrokerObserver.Message online = scada.await("hlt", "status", s -> "online".equals(s.path("state").textValue()), 5_000);
        BrokerObserver.Message failsafe = scada.await("hlt", "status",
                s -> "failsafe".equals(s.path("state").textValue()), 8_000);
        assertThat(failsafe.json().get("reason").textValue()).isEqualTo("heartbeat_timeout");
        // real-time protocol timer: about 5 s after the link came up, whatever the time scale
        assertThat(failsafe.at() - online.at()).isBetween(4_500L, 6_000L);
        JsonNode event = scada.await("hlt", "event", e -> "failsafe".equals(e.path("kind").textValue()), 2_000).json();
        assertThat(event.get("code").textValue()).isEqualTo("heartbeat_timeout");
        assertThat(event.get("active").booleanValue()).isTrue();
        assertThat(scada.retained("hlt", "status")).contains("\"state\":\"failsafe\"");

        // a reset without heartbeats is refused; with heartbeats back it brings the zone online
        scada.command("hlt", "{\"v\":1,\"id\":\"r-1\",\"op\":\"reset\"}");
        assertThat(scada.await("hlt", "ack", a -> "r-1".equals(a.path("id").textValue()), 3_000).json()
                .get("err").textValue()).isEqualTo("failsafe");
        sendHeartbeats();
        Thread.sleep(300);
        int mark = scada.of("hlt", "status").size();
        scada.command("hlt", "{\"v\":1,\"id\":\"r-2\",\"op\":\"reset\"}");
        assertThat(scada.await("hlt", "ack", a -> "r-2".equals(a.path("id").textValue()), 3_000).json()
                .get("ok").booleanValue()).isTrue();
        scada.awaitAfter(mark, "hlt", "status", s -> "online".equals(s.path("state").textValue()), 3_000);
    }

    @Test
    void theScadaWillPutsZonesInFailSafeAtOnce() throws Exception {
        sendHeartbeats();
        simulator.addZone(new ZoneSpec("fv2", "fermenter", null));
        scada.await("fv2", "status", s -> "online".equals(s.path("state").textValue()), 5_000);
        scada.publish("scada/status", "{\"v\":1,\"state\":\"offline\"}", 1, true);
        JsonNode failsafe = scada.await("fv2", "status", s -> "failsafe".equals(s.path("state").textValue()), 2_000).json();
        assertThat(failsafe.get("reason").textValue()).isEqualTo("scada_offline");
    }
}
