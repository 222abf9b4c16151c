package org.brewpi.zone.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneDefinition;
import org.brewpi.api.zone.ZoneListener;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MqttZoneDriverTest {

    private final LoopbackTransport transport = new LoopbackTransport();
    private final List<TagValue> samples = new CopyOnWriteArrayList<>();
    private MqttZoneDriver driver;

    static DriverConfig config(long timeoutMs) {
        return new DriverConfig() {
            public Class<? extends Annotation> annotationType() { return DriverConfig.class; }
            public String topic_root() { return "brewpi/v1"; }
            public long heartbeat_ms() { return 100; }
            public long command_timeout_ms() { return timeoutMs; }
        };
    }

    static ZoneDefinition zone(String id) {
        return new ZoneDefinition() {
            public String id() { return id; }
            public String type() { return "fermenter"; }
            public String label() { return id; }
            public String driver() { return "mqtt"; }
            public boolean simulated() { return false; }
        };
    }

    static final String BIRTH = "{\"v\":1,\"zone\":\"fv1\",\"type\":\"fermenter\",\"fw\":\"1.0.0\",\"hw\":\"esp32-s3\",\"boot\":5,"
            + "\"failsafe\":\"hold_last\",\"period_ms\":1000,\"tags\":[{\"name\":\"pv\",\"kind\":\"analog\",\"rw\":false},"
            + "{\"name\":\"sv\",\"kind\":\"analog\",\"min\":-2,\"max\":30,\"rw\":true}]}";

    @BeforeEach
    void start() {
        driver = new MqttZoneDriver(transport, config(300));
        driver.addZone(zone("fv1"));
        driver.addListener(new ZoneListener() {
            @Override
            public void tagsChanged(List<TagValue> values) {
                samples.addAll(values);
            }
        });
        transport.fromPlc("brewpi/v1/fv1/birth", BIRTH);
        transport.fromPlc("brewpi/v1/fv1/status", "{\"v\":1,\"state\":\"online\",\"boot\":5}");
    }

    @AfterEach
    void stop() {
        driver.deactivate();
    }

    @Test
    void announcesItselfAndSendsHeartbeatsThenSaysGoodbye() {
        assertThat(transport.published.get(0).topic()).isEqualTo("brewpi/v1/scada/status");
        assertThat(transport.published.get(0).text()).isEqualTo("{\"v\":1,\"state\":\"online\"}");
        assertThat(transport.published.get(0).retained()).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> transport.published.stream()
                .filter(p -> p.topic().equals("brewpi/v1/scada/heartbeat")).count() >= 3);
        driver.deactivate();
        var last = transport.published.stream().filter(p -> p.topic().equals("brewpi/v1/scada/status")).reduce((a, b) -> b);
        assertThat(last.orElseThrow().text()).isEqualTo("{\"v\":1,\"state\":\"offline\"}");
    }

    @Test
    void aZoneWhoseFileIsRewrittenKeepsItsOnlinePlc() {
        transport.fromPlc("brewpi/v1/fv1/tele", "{\"v\":1,\"boot\":5,\"seq\":1,\"t\":1,\"tags\":{\"pv\":18.5,\"sv\":18}}");
        // the broker hashes the password in conf/: the configuration is re-created, the PLC stays connected
        driver.removeZone(zone("fv1"));
        driver.addZone(zone("fv1"));
        var fv1 = driver.zone("fv1").orElseThrow();
        assertThat(fv1.state()).isEqualTo(ZoneState.ONLINE);
        assertThat(fv1.info()).as("the birth is kept").isNotNull();
        transport.fromPlc("brewpi/v1/fv1/tele", "{\"v\":1,\"boot\":5,\"seq\":2,\"t\":2,\"tags\":{\"pv\":18.6,\"sv\":18}}");
        assertThat(driver.zone("fv1").orElseThrow().tags().get("pv").value()).isEqualTo(18.6);
    }

    /** Switching a zone from simulated to external re-creates it and drops the simulated PLC, whose will comes in between. */
    @Test
    void whatThePlcSaysWhileItsZoneIsReCreatedIsKept() {
        driver.removeZone(zone("fv1"));
        transport.fromPlc("brewpi/v1/fv1/status", "{\"v\":1,\"state\":\"offline\"}");
        driver.addZone(zone("fv1"));
        assertThat(driver.zone("fv1").orElseThrow().state()).isEqualTo(ZoneState.OFFLINE);
        assertThat(driver.details().get("unknownZones")).isEqualTo(Map.of());
    }

    @Test
    void telemetryFillsTheLiveTable() {
        transport.fromPlc("brewpi/v1/fv1/tele", "{\"v\":1,\"boot\":5,\"seq\":1,\"t\":1,\"tags\":{\"pv\":18.5,\"sv\":18}}");
        var fv1 = driver.zone("fv1").orElseThrow();
        assertThat(fv1.state()).isEqualTo(ZoneState.ONLINE);
        assertThat(fv1.tags().get("pv").value()).isEqualTo(18.5);
        assertThat(samples).hasSize(2);
    }

    @Test
    void commandIsDoneOnlyWithTheAck() throws Exception {
        CompletableFuture<CommandResult> result = driver.send(Command.write("fv1", "sv", 19.0, "test", "t").withId("c-1"))
                .toCompletableFuture();
        var cmd = transport.published.stream().filter(p -> p.topic().equals("brewpi/v1/fv1/cmd")).findFirst().orElseThrow();
        assertThat(cmd.text()).isEqualTo("{\"v\":1,\"id\":\"c-1\",\"op\":\"write\",\"tag\":\"sv\",\"value\":19.0}");
        assertThat(cmd.qos()).isEqualTo(1);
        assertThat(result).isNotDone();
        transport.fromPlc("brewpi/v1/fv1/ack", "{\"v\":1,\"id\":\"c-1\",\"ok\":true}");
        assertThat(result.get(1, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.DONE);
    }

    @Test
    void refusedAndTimedOutCommandsAreNeverDone() throws Exception {
        var refused = driver.send(Command.write("fv1", "sv", 19.0, "test", "t").withId("c-2")).toCompletableFuture();
        transport.fromPlc("brewpi/v1/fv1/ack", "{\"v\":1,\"id\":\"c-2\",\"ok\":false,\"err\":\"interlocked\",\"msg\":\"lid open\"}");
        assertThat(refused.get(1, TimeUnit.SECONDS)).extracting(CommandResult::outcome, CommandResult::error)
                .containsExactly(Outcome.REFUSED, "interlocked");
        var silent = driver.send(Command.write("fv1", "sv", 19.0, "test", "t").withId("c-3")).toCompletableFuture();
        assertThat(silent.get(2, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.TIMEOUT);
        transport.fromPlc("brewpi/v1/fv1/ack", "{\"v\":1,\"id\":\"c-3\",\"ok\":true}");
        assertThat(silent.get().outcome()).as("a late ack changes nothing").isEqualTo(Outcome.TIMEOUT);
        assertThat(driver.details().get("lateAcks")).isEqualTo(1L);
    }

    @Test
    void offlineZonesGetNothingSent() throws Exception {
        transport.fromPlc("brewpi/v1/fv1/status", "{\"v\":1,\"state\":\"offline\"}");
        var result = driver.send(Command.write("fv1", "sv", 19.0, "test", "t").withId("c-4")).toCompletableFuture();
        assertThat(result.get(1, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.NOT_SENT);
        assertThat(transport.published).noneMatch(p -> p.topic().endsWith("/cmd"));
    }

    @Test
    void malformedPayloadsOnlyMoveTheRejectCounters() {
        transport.fromPlc("brewpi/v1/fv1/tele", "{\"v\":1,\"boot\":5,\"seq\":1,\"t\":1,\"tags\":{\"pv\":18.5}}");
        var before = driver.zone("fv1").orElseThrow();
        for (int i = 0; i < 250; i++) {
            transport.fromPlc("brewpi/v1/fv1/tele", "{not json");
            transport.fromPlc("brewpi/v1/fv1/tele", "{\"v\":2}");
            transport.fromPlc("brewpi/v1/fv1/tele", "{\"v\":1,\"boot\":5,\"seq\":\"x\",\"t\":1,\"tags\":{}}");
            transport.fromPlc("brewpi/v1/ghost/tele", "{\"v\":1,\"boot\":5,\"seq\":1,\"t\":1,\"tags\":{}}");
        }
        transport.fromPlc("brewpi/v1/scada/status", "{\"v\":1,\"state\":\"online\"}"); // our own echo: not a reject
        var after = driver.zone("fv1").orElseThrow();
        assertThat(after.tags()).isEqualTo(before.tags());
        assertThat(after.state()).isEqualTo(before.state());
        assertThat(after.counters().rejects()).containsExactlyInAnyOrderEntriesOf(
                Map.of("not_json", 250L, "wrong_version", 250L, "bad_type", 250L));
        assertThat(driver.details().get("unknownZones")).isEqualTo(Map.of("ghost", 250L));
        assertThat(driver.details().get("rejectsTotal")).isEqualTo(1000L);
    }
}
