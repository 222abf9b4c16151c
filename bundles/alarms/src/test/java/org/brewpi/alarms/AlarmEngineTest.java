package org.brewpi.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.brewpi.alarms.PlantFeed.Zone;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine as the framework runs it, without the framework: its own threads, driver callbacks from
 * another thread, zone definitions bound, and the real H2 audit trail.
 */
class AlarmEngineTest {

    @TempDir
    Path dir;
    private final PlantFeed plant = new PlantFeed();
    private AlarmEngine engine;
    private H2AuditTrail trail;

    @AfterEach
    void close() throws Exception {
        if (engine != null) {
            engine.stop();
        }
    }

    private H2AuditTrail trail() throws Exception {
        String dataDir = dir.toString();
        return new H2AuditTrail(new AuditConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            @Override
            public String data_dir() {
                return dataDir;
            }
        });
    }

    @Test
    void driverCallbacksAreEvaluatedOnTheEngineThreadAndAudited() throws Exception {
        engine = new AlarmEngine(Settings.standard(), plant.clock::get, dir);
        assertThat(engine.status()).as("no audit trail yet").isEqualTo(Status.DEGRADED);
        trail = trail();
        engine.setAuditTrail(trail);
        engine.addZone(Zone.of("fv1", "fermenter"));
        engine.addZone(Zone.of("hlt", "hlt"));
        assertThat(engine.drain(5_000)).isTrue();
        assertThat(engine.alarms()).extracting(a -> a.id()).containsExactlyInAnyOrder("fv1.comm", "fv1.pv.dev",
                "hlt.comm", "hlt.pv.hihi", "system.alarms", "system.bundles");

        Thread driver = new Thread(() -> {
            engine.zoneChanged(plant.zone("hlt", ZoneState.ONLINE, Map.of("pv", 70.0, "sv", 75.0)));
            engine.zoneChanged(plant.zone("fv1", ZoneState.OFFLINE, Map.of("pv", 18.0)));
            engine.tagsChanged(List.of(plant.good("hlt", "pv", 97.0)));
        }, "driver");
        driver.start();
        driver.join();
        assertThat(engine.drain(5_000)).isTrue();
        plant.advance(5_000); // both on-delays (2 s comm loss, 5 s HLT HIHI) are over at the next tick
        // the engine's own tick sees the delays are over
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(
                () -> engine.alarm("fv1.comm").orElseThrow().state() == AlarmState.UNACK_ACTIVE
                        && engine.alarm("hlt.pv.hihi").orElseThrow().state() == AlarmState.UNACK_ACTIVE);
        assertThat(engine.drain(5_000)).isTrue();

        assertThat(engine.alarm("fv1.comm").orElseThrow().state()).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(engine.alarm("hlt.pv.hihi").orElseThrow().state()).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(engine.alarm("hlt.comm").orElseThrow().state()).isEqualTo(AlarmState.NORMAL);
        assertThat(engine.alarms().get(0).id()).as("critical first").isEqualTo("hlt.pv.hihi");

        engine.acknowledge("hlt.pv.hihi", "ana", "hmi", "heater off");
        List<AuditEntry> audited = trail.entries(0, 0, Long.MAX_VALUE, null, null, 100);
        assertThat(audited).extracting(AuditEntry::action).containsExactlyInAnyOrder("alarm.activate",
                "alarm.activate", "alarm.ack");
        assertThat(trail.verify().ok()).isTrue();
        assertThat(engine.status()).isEqualTo(Status.UP);
        assertThat(engine.details()).containsEntry("droppedUpdates", 0L).containsEntry("auditTrail", true);
        assertThat(engine.name()).isEqualTo("alarms");

        // the audit trail goes away: acts are refused, the process still moves
        engine.unsetAuditTrail(trail);
        assertThatThrownBy(() -> engine.acknowledge("fv1.comm", "ana", "hmi", null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no audit trail");
    }

    @Test
    void zonesAndAlarmsComeAndGoLive() throws Exception {
        engine = new AlarmEngine(Settings.standard(), plant.clock::get, dir);
        Zone fv1 = Zone.of("fv1", "fermenter");
        engine.addZone(fv1);
        PlantFeed.Source extra = new PlantFeed.Source(ConfiguredAlarm.parse(
                DefinitionsTest.config("fv1", "pv", "HI", 25, "low", "")), true);
        engine.addAlarm(extra);
        assertThat(engine.drain(5_000)).isTrue();
        assertThat(engine.alarms()).extracting(a -> a.id()).containsExactlyInAnyOrder("fv1.comm", "fv1.pv.dev",
                "fv1.pv.hi", "system.alarms", "system.bundles");
        engine.removeAlarm(extra);
        engine.removeZone(fv1);
        assertThat(engine.drain(5_000)).isTrue();
        assertThat(engine.alarms()).extracting(a -> a.id()).as("the system alarms stay")
                .containsExactlyInAnyOrder("system.alarms", "system.bundles");
    }
}
