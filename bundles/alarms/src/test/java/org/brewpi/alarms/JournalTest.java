package org.brewpi.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.brewpi.alarms.PlantFeed.alarm;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.alarm.AlarmTransition;
import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable alarm journal: in H2, across restarts, as the stream {@code alarm_journal}, and through a disk outage. */
class JournalTest {

    @TempDir
    Path dir;
    private final PlantFeed plant = new PlantFeed();
    private final List<AlarmEngine> engines = new ArrayList<>();
    private H2AuditTrail trail;

    @AfterEach
    void close() throws Exception {
        engines.forEach(AlarmEngine::stop);
    }

    private AlarmEngine start() throws Exception {
        AlarmEngine engine = new AlarmEngine(Settings.standard(), plant.clock::get, dir);
        engines.add(engine);
        if (trail == null) {
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
        }
        engine.setAuditTrail(trail);
        engine.addAlarm(new PlantFeed.Source(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0), true));
        assertThat(engine.drain(5_000)).isTrue();
        return engine;
    }

    private void pv(AlarmEngine engine, double value) throws InterruptedException {
        engine.tagsChanged(List.of(plant.good("hlt", "pv", value)));
        assertThat(engine.drain(5_000)).isTrue();
    }

    private void stop(AlarmEngine engine) {
        engine.stop();
        engines.remove(engine);
    }

    @Test
    void journalSurvivesARestartAndCarriesOnItsSequence() throws Exception {
        AlarmEngine first = start();
        pv(first, 85);
        plant.advance(1_000);
        first.acknowledge("hlt.hi", "ana", "hmi", "lowering sv");
        plant.advance(1_000);
        pv(first, 70);
        List<AlarmTransition> before = first.journal(10);
        assertThat(before).extracting(AlarmTransition::transition).containsExactly("return", "ack", "activate");
        stop(first);

        AlarmEngine second = start();
        assertThat(second.journal(10)).as("read back from H2 after the restart").isEqualTo(before);
        pv(second, 90);
        List<AlarmTransition> after = second.journal(10);
        assertThat(after.get(0).transition()).isEqualTo("activate");
        assertThat(after.get(0).seq()).as("seq carries on").isEqualTo(before.get(0).seq() + 1);
        assertThat(after.get(0).value()).isEqualTo("90.00");
        assertThat(second.status()).isEqualTo(Status.UP);
        assertThat(second.details()).containsEntry("journalEntries", 4L).containsEntry("journalUnwritten", 0);
    }

    @Test
    void theStreamHandsOutRowsAfterASeqAndKeepsItsWatermark() throws Exception {
        AlarmEngine engine = start();
        assertThat(engine.streams()).containsExactly("alarm_journal");
        assertThat(engine.backlog("alarm_journal")).isEqualTo(new StreamBacklog("alarm_journal", 0, 0, 0, null));
        long firstTs = plant.now();
        pv(engine, 85);
        plant.advance(1_000);
        long secondTs = plant.now();
        pv(engine, 70);
        plant.advance(1_000);
        engine.acknowledge("hlt.hi", "ana", "rest", "seen");

        StreamRows rows = engine.read("alarm_journal", 0, 100);
        assertThat(rows.stream()).isEqualTo("alarm_journal");
        assertThat(rows.columns()).containsExactly("seq", "ts", "alarm", "transition", "from_state", "to_state", "actor",
                "reason", "value");
        assertThat(rows.rows()).hasSize(3);
        assertThat(rows.rows().get(0)).containsExactly(1L, firstTs, "hlt.hi", "activate", "NORMAL", "UNACK_ACTIVE",
                "alarms", "hlt.hi message", "85.00");
        assertThat(rows.rows().get(2)).containsExactly(3L, plant.now(), "hlt.hi", "ack", "UNACK_RETURNED", "NORMAL",
                "ana", "seen", "70.00");
        assertThat(engine.read("alarm_journal", 1, 1).rows()).hasSize(1).first()
                .satisfies(r -> assertThat(r[0]).isEqualTo(2L));
        assertThat(rows.lastSeq(0)).isEqualTo(3);

        engine.markSynced("alarm_journal", 1);
        assertThat(engine.backlog("alarm_journal")).isEqualTo(new StreamBacklog("alarm_journal", 3, 1, 2, secondTs));
        engine.markSynced("alarm_journal", 0);
        assertThat(engine.backlog("alarm_journal").syncedSeq()).as("never backwards").isEqualTo(1);
        stop(engine);

        AlarmEngine again = start();
        assertThat(again.backlog("alarm_journal").syncedSeq()).as("durable").isEqualTo(1);
        again.markSynced("alarm_journal", 3);
        assertThat(again.backlog("alarm_journal")).isEqualTo(new StreamBacklog("alarm_journal", 3, 3, 0, null));
        assertThat(again.read("alarm_journal", 3, 10).rows()).isEmpty();

        assertThatThrownBy(() -> again.read("samples", 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> again.read("alarm_journal", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> again.markSynced("audit", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJournalThatCannotBeWrittenKeepsTransitionsInOrderUntilItCan() {
        List<AlarmTransition> written = new CopyOnWriteArrayList<>();
        boolean[] diskGone = { true };
        AlarmBook book = new AlarmBook(plant.clock::get, Settings.standard(), plant.audit, transitions -> {
            if (diskGone[0]) {
                throw new java.sql.SQLException("No space left on device");
            }
            written.addAll(transitions);
        }, List.of());
        book.define(List.of(alarm("hlt.hi", "hlt", "pv", AlarmKind.HI, 80, 0, 0, 0)));
        book.tags(List.of(plant.good("hlt", "pv", 85.0)));
        book.tags(List.of(plant.good("hlt", "pv", 75.0)));
        assertThat(book.unjournaled()).isEqualTo(2);
        assertThat(book.counts()).containsEntry("journalUnwritten", 2)
                .containsEntry("lastJournalError", "No space left on device");
        assertThat(book.journal(10)).as("still shown").hasSize(2);

        diskGone[0] = false;
        book.tick();
        assertThat(written).extracting(AlarmTransition::seq).containsExactly(1L, 2L);
        assertThat(written).extracting(AlarmTransition::to).containsExactly(AlarmState.UNACK_ACTIVE,
                AlarmState.UNACK_RETURNED);
        assertThat(book.unjournaled()).isZero();
        assertThat(book.counts()).doesNotContainKey("lastJournalError");
    }

    @Test
    void aDamagedJournalFileIsSetAsideAndANewOneStarted() throws Exception {
        Path alarms = Files.createDirectories(dir.resolve("alarms"));
        Files.write(alarms.resolve("alarms.mv.db"), new byte[] { 'n', 'o', 't', ' ', 'h', '2', 0, 1, 2, 3 });
        AlarmEngine engine = start();
        try (var files = Files.list(alarms)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("alarms.damaged-") && n.endsWith(".mv.db"));
        }
        assertThat(engine.status()).as("loud until the next start").isEqualTo(Status.DEGRADED);
        assertThat(String.valueOf(engine.details().get("alarm"))).contains("moved aside");
        engine.pollHealth();
        assertThat(engine.drain(5_000)).isTrue();
        plant.advance(10_000);
        engine.pollHealth();
        assertThat(engine.drain(5_000)).isTrue();
        assertThat(engine.alarm("system.alarms").orElseThrow().state()).as("the operator hears of it")
                .isEqualTo(AlarmState.UNACK_ACTIVE);
        assertThat(engine.alarm("system.alarms").orElseThrow().value()).contains("moved aside to");
        pv(engine, 85);
        assertThat(engine.read("alarm_journal", 0, 10).rows()).extracting(r -> r[2]).containsExactly("system.alarms",
                "hlt.hi");
    }
}
