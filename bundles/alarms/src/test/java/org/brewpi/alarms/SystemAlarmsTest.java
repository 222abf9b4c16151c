package org.brewpi.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmPriority;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.alarm.AlarmTransition;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * System alarms: the engine follows the box's health components and raises {@code system.<name>} while one is
 * DOWN, or DEGRADED and saying {@code alarm} (at once) or DEGRADED for longer than the configured time; each
 * such alarm has the whole ISA-18.2 life of any other.
 */
class SystemAlarmsTest {

    @TempDir
    Path dir;
    private final PlantFeed plant = new PlantFeed();
    private AlarmEngine engine;
    private H2AuditTrail trail;

    /** A component whose health the test sets, as the sync or the historian would report it. */
    static final class Component implements HealthContributor {
        final String name;
        volatile Status status = Status.UP;
        volatile Map<String, Object> details = Map.of();
        volatile RuntimeException failure;

        Component(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Status status() {
            if (failure != null) {
                throw failure;
            }
            return status;
        }

        @Override
        public Map<String, Object> details() {
            return details;
        }
    }

    @BeforeEach
    void start() throws Exception {
        engine = new AlarmEngine(Settings.standard().withHealthPoll(60_000, 5 * Settings.MINUTE), plant.clock::get, dir);
        String dataDir = dir.toString();
        trail = new H2AuditTrail(new AuditConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            @Override
            public String data_dir() {
                return dataDir;
            }
        });
        engine.setAuditTrail(trail);
    }

    @AfterEach
    void stop() {
        engine.stop();
    }

    /** One look at the health as the health thread takes it, evaluated on the engine thread. */
    private void poll() throws InterruptedException {
        engine.pollHealth();
        assertThat(engine.drain(5_000)).isTrue();
    }

    private Alarm alarm(String id) {
        return engine.alarm(id).orElseThrow();
    }

    @Test
    void aSyncBacklogOverItsLimitRaisesSystemSyncWithTheFullModel() throws Exception {
        Component sync = new Component("sync");
        engine.addHealth(sync);
        poll();
        Alarm defined = alarm("system.sync");
        assertThat(defined.definition().kind()).isEqualTo(AlarmKind.SYSTEM);
        assertThat(defined.definition().zone()).isEqualTo("system");
        assertThat(defined.priority()).isEqualTo(AlarmPriority.HIGH);
        assertThat(defined.state()).isEqualTo(AlarmState.NORMAL);

        sync.status = HealthContributor.Status.DEGRADED;
        sync.details = Map.of("rows.waiting", 12_000, "alarm",
                "sync backlog: the oldest row has waited 3700 s for PostgreSQL (limit 3600 s); unreachable");
        poll();
        assertThat(alarm("system.sync").state()).as("on-delay").isEqualTo(AlarmState.NORMAL);
        plant.advance(10_000);
        poll();
        Alarm active = alarm("system.sync");
        assertThat(active.state()).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(active.value()).isEqualTo(
                "DEGRADED: sync backlog: the oldest row has waited 3700 s for PostgreSQL (limit 3600 s); unreachable");

        assertThat(active.definition().message()).isEqualTo("System: sync: DEGRADED: sync backlog: the oldest row"
                + " has waited 3700 s for PostgreSQL (limit 3600 s); unreachable");

        engine.acknowledge("system.sync", "ana", "hmi", "IT is on it");
        assertThat(alarm("system.sync").state()).isEqualTo(AlarmState.ACK_ACTIVE);
        engine.shelve("system.sync", "bob", "hmi", "server maintenance", 30 * Settings.MINUTE);
        assertThat(alarm("system.sync").shelf()).isNotNull();

        sync.status = HealthContributor.Status.UP;
        sync.details = Map.of();
        poll();
        plant.advance(10_000);
        poll();
        assertThat(alarm("system.sync").state()).as("back after the off-delay").isEqualTo(AlarmState.NORMAL);

        assertThat(engine.journal(10)).extracting(AlarmTransition::transition).containsExactly("return", "shelve", "ack",
                "activate");
        assertThat(engine.read("alarm_journal", 0, 10).rows()).extracting(r -> r[3]).contains("activate", "ack",
                "shelve", "return");
        assertThat(trail.entries(0, 0, Long.MAX_VALUE, null, "system.sync", 10)).extracting(AuditEntry::action)
                .containsExactly("alarm.activate", "alarm.ack", "alarm.shelve", "alarm.return");
        assertThat(engine.metrics().top10()).extracting(c -> c.alarm()).containsExactly("system.sync");
    }

    @Test
    void degradedWithoutAnAlarmDetailMustLastDownAndFailingChecksAlarmAtOnce() throws Exception {
        Component historian = new Component("historian");
        Component broker = new Component("broker");
        engine.addHealth(historian);
        engine.addHealth(broker);
        historian.status = HealthContributor.Status.DEGRADED;
        historian.details = Map.of("dropped", 120, "error", "disk below 200 MB: oldest samples dropped");
        broker.failure = new IllegalStateException("broker stopped");
        poll();
        plant.advance(10_000);
        poll();
        assertThat(alarm("system.historian").state()).as("a retry or a short outage is no alarm")
                .isEqualTo(AlarmState.NORMAL);
        assertThat(alarm("system.broker").state()).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(alarm("system.broker").value()).contains("health check failed").contains("broker stopped");

        plant.advance(5 * Settings.MINUTE);
        poll();
        plant.advance(10_000);
        poll();
        assertThat(alarm("system.historian").state()).isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(alarm("system.historian").value())
                .isEqualTo("DEGRADED: disk below 200 MB: oldest samples dropped");

        // a component that goes away returns its alarm, which stays to be acknowledged
        engine.removeHealth(broker);
        poll();
        plant.advance(10_000);
        poll();
        assertThat(alarm("system.broker").state()).isEqualTo(AlarmState.UNACK_RETURNED);
    }

    @Test
    void aConfiguredAlarmReplacesTheDefaultOfASystemComponent() throws Exception {
        engine.addHealth(new Component("sync"));
        engine.addAlarm(new PlantFeed.Source(ConfiguredAlarm.parse(
                DefinitionsTest.config("system", "sync", "SYSTEM", 0, "critical", "")), true));
        assertThat(engine.drain(5_000)).isTrue();
        assertThat(alarm("system.sync").priority()).isEqualTo(AlarmPriority.CRITICAL);
        assertThat(alarm("system.sync").definition().source()).isEqualTo("config");
        assertThat(List.of(engine.alarms().stream().map(Alarm::id).toArray())).contains("system.bundles");
    }
}
