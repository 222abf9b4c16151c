package org.brewpi.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.batch.BatchAction;
import org.brewpi.api.batch.BatchEvent;
import org.brewpi.api.batch.BatchRecord;
import org.brewpi.api.batch.BatchRefusal;
import org.brewpi.api.batch.BatchState;
import org.brewpi.api.batch.CcpResult;
import org.brewpi.api.batch.CcpStatus;
import org.brewpi.api.history.StreamRows;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch from start to release, every wrong step refused, the record durable and shipped. */
class BatchLifecycleTest {

    @TempDir
    Path dir;
    Box box;
    Principal qa;
    Principal operator;
    Principal supervisor;

    @BeforeEach
    void open() throws Exception {
        box = new Box(dir);
        qa = box.person("quinn", Role.QUALITY);
        operator = box.person("olga", Role.OPERATOR);
        supervisor = box.person("sam", Role.SUPERVISOR);
        box.recipe("ipa", Box.recipe("ipa", 1, Box.BOIL + "," + Box.FERMENTATION));
    }

    @AfterEach
    void close() throws Exception {
        box.close();
    }

    private static BatchRefusal refused(Runnable act) {
        try {
            act.run();
        } catch (BatchRefusal e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aDraftCannotStartAndLotsAreUniqueAndZonesNotShared() {
        assertThat(refused(() -> box.manager.start("ipa", null, operator, null)).getMessage())
                .contains("is a DRAFT", "QA must approve it");
        assertThat(refused(() -> box.manager.start("ipa", null, qa, null)).code())
                .as("quality does not run the plant").isEqualTo("forbidden");
        box.manager.approve("ipa", null, qa, Box.PIN, "reviewed");

        BatchRecord first = box.manager.start("ipa", null, operator, "first of the day");
        String day = java.time.LocalDate.ofInstant(java.time.Instant.ofEpochMilli(Box.T0), java.time.ZoneOffset.UTC).toString();
        assertThat(first.lot()).isEqualTo(day + "-01");
        assertThat(first.state()).isEqualTo(BatchState.RUNNING);
        assertThat(first.zones()).containsExactly("kettle", "fv1");
        assertThat(first.recipe().approval().printedName()).isEqualTo("Printed quinn");

        assertThat(refused(() -> box.manager.start("ipa", "L-2", operator, null)).getMessage())
                .contains("zone kettle is in use by batch " + first.lot());
        box.manager.act(first.lot(), BatchAction.ABORT, supervisor, "test run");
        assertThat(box.manager.start("ipa", null, operator, null).lot()).isEqualTo(day + "-02");
        box.manager.act(day + "-02", BatchAction.ABORT, supervisor, "test run");
        assertThat(refused(() -> box.manager.start("ipa", first.lot(), operator, null)).getMessage())
                .contains("already exists");
        BatchRefusal badLot = refused(() -> box.manager.start("ipa", "lot with spaces", operator, null));
        assertThat(badLot.code()).isEqualTo("bad_request");
        assertThat(refused(() -> box.manager.start(null, null, operator, null)).code()).isEqualTo("bad_request");
        assertThat(refused(() -> box.manager.start("porter", null, operator, null)).code()).isEqualTo("not_found");
    }

    @Test
    void theStateMachineAllowsOnlyItsTransitionsEachByItsRole() {
        box.manager.approve("ipa", null, qa, Box.PIN, "reviewed");
        String lot = box.manager.start("ipa", "L-100", operator, null).lot();

        assertThat(refused(() -> box.manager.act(lot, BatchAction.HOLD, operator, "why not")).code()).isEqualTo("forbidden");
        assertThat(box.audit.entries(0, 0, Long.MAX_VALUE, "olga", "batch:" + lot, 10)).extracting(AuditEntry::action)
                .containsExactly("batch.start", "access.refused");
        assertThat(refused(() -> box.manager.act(lot, BatchAction.HOLD, supervisor, null)).getMessage())
                .contains("'reason' is required");
        assertThat(refused(() -> box.manager.act(lot, BatchAction.RESUME, supervisor, "r")).getMessage())
                .contains("is RUNNING: it cannot resume");
        box.minutes(5);
        assertThat(box.manager.act(lot, BatchAction.HOLD, supervisor, "glycol chiller alarm").state()).isEqualTo(BatchState.HELD);
        assertThat(refused(() -> box.manager.act(lot, BatchAction.COMPLETE, operator, null)).getMessage())
                .contains("is HELD", "resume it first");
        box.minutes(5);
        assertThat(box.manager.act(lot, BatchAction.RESUME, supervisor, "chiller back").state()).isEqualTo(BatchState.RUNNING);
        box.minutes(5);
        BatchRecord complete = box.manager.act(lot, BatchAction.COMPLETE, operator, null);
        assertThat(complete.state()).isEqualTo(BatchState.COMPLETE);
        assertThat(complete.endedAt()).isEqualTo(box.now.get());
        assertThat(complete.ccp()).extracting(CcpResult::status).containsOnly(CcpStatus.NO_DATA);
        assertThat(refused(() -> box.manager.act(lot, BatchAction.ABORT, supervisor, "late")).code()).isEqualTo("conflict");
        assertThat(refused(() -> box.manager.act("L-999", BatchAction.HOLD, supervisor, "x")).code()).isEqualTo("not_found");

        // release: QA only, signed, from COMPLETE only, a deviation needed with CCPs not met
        assertThat(refused(() -> box.manager.release(lot, supervisor, Box.PIN, "ok", null)).code()).isEqualTo("forbidden");
        assertThat(refused(() -> box.manager.release(lot, qa, null, "ok", null)).getMessage()).contains("'pin' is required");
        assertThat(refused(() -> box.manager.release(lot, qa, Box.PIN, null, null)).getMessage()).contains("'reason' is required");
        BatchRefusal noDeviation = refused(() -> box.manager.release(lot, qa, Box.PIN, "lab results fine", null));
        assertThat(noDeviation.code()).isEqualTo("conflict");
        assertThat(noDeviation.getMessage()).contains("boil NO_DATA", "fermentation NO_DATA", "'deviation'");
        assertThat(box.audited("batch:" + lot)).extracting(AuditEntry::action).doesNotContain("signature");

        box.minutes(60);
        BatchRecord released = box.manager.release(lot, qa, Box.PIN, "lab results fine",
                "historian was off for this test batch; boil checked on the paper log");
        assertThat(released.state()).isEqualTo(BatchState.RELEASED);
        assertThat(released.deviation()).startsWith("historian was off");
        assertThat(released.release().printedName()).isEqualTo("Printed quinn");
        assertThat(released.release().meaning()).isEqualTo("batch release");
        assertThat(released.release().target()).isEqualTo("batch:" + lot);
        assertThat(released.release().reason()).contains("lab results fine", "deviation accepted: historian was off");
        assertThat(refused(() -> box.manager.release(lot, qa, Box.PIN, "again", "x")).getMessage())
                .contains("only a COMPLETE batch can be released");

        List<BatchEvent> history = released.history();
        assertThat(history).extracting(BatchEvent::event).containsExactly("start", "hold", "resume", "complete", "release");
        assertThat(history).extracting(BatchEvent::actor).containsExactly("olga", "sam", "sam", "olga", "quinn");
        assertThat(history.get(1).reason()).isEqualTo("glycol chiller alarm");
        assertThat(history.get(1).time()).isEqualTo(Box.T0 + 5 * 60_000);
        assertThat(history.get(4).signature()).isEqualTo(released.release());
        assertThat(history.subList(0, 4)).allSatisfy(e -> assertThat(e.signature()).isNull());

        // every act audited with actor, entry point and reason; the release with its meaning
        List<AuditEntry> audited = box.audited("batch:" + lot);
        assertThat(audited).extracting(AuditEntry::action).containsSubsequence("batch.start", "batch.hold", "batch.resume",
                "batch.complete", "signature", "batch.release");
        AuditEntry release = audited.stream().filter(e -> e.action().equals("batch.release")).findFirst().orElseThrow();
        assertThat(release.signature()).isEqualTo("batch release");
        assertThat(release.actor()).isEqualTo("quinn");
        assertThat(release.oldValue()).isEqualTo("COMPLETE");
        assertThat(release.newValue()).isEqualTo("RELEASED");

        // durable: a restart reads the same record
        box.restart();
        assertThat(box.manager.batch(lot)).contains(released);
        assertThat(box.manager.batches(10)).extracting(BatchRecord::lot).containsExactly(lot);
    }

    @Test
    void ccpsAreJudgedFromTheHistoriansSamplesAndAMetBatchNeedsNoDeviation() {
        box.manager.approve("ipa", null, qa, Box.PIN, "reviewed");
        String lot = box.manager.start("ipa", "L-7", operator, null).lot();
        long start = box.now.get();
        List<TagValue> samples = new ArrayList<>();
        for (int s = 0; s <= 90 * 60; s += 30) { // a sample every 30 s for 90 min
            long t = start + s * 1000L;
            double kettle = s < 20 * 60 ? 60 + s / 60.0 : 99.2;
            samples.add(new TagValue("kettle", "pv", kettle, Quality.GOOD, t, t));
            samples.add(new TagValue("fv1", "pv", 18.4, Quality.GOOD, t, t));
        }
        box.historian.tagsChanged(samples);
        await().atMost(Duration.ofSeconds(20)).until(() -> box.historian.history("fv1", "pv", start, start + 91 * 60_000, 1000)
                .size() == samples.size() / 2);

        box.minutes(45);
        BatchRecord running = box.manager.batch(lot).orElseThrow();
        assertThat(running.ccp()).as("live while running").extracting(CcpResult::status)
                .containsExactly(CcpStatus.NOT_MET, CcpStatus.MET);

        box.minutes(45);
        BatchRecord complete = box.manager.act(lot, BatchAction.COMPLETE, operator, "all steps done");
        assertThat(complete.ccp()).extracting(CcpResult::status).containsExactly(CcpStatus.MET, CcpStatus.MET);
        assertThat(complete.ccp().get(0).lowest()).isEqualTo(60.0);
        assertThat(complete.ccpEvaluatedAt()).isEqualTo(box.now.get());

        assertThat(refused(() -> box.manager.release(lot, qa, Box.PIN, "fine", "nothing to accept")).getMessage())
                .contains("there is no deviation to accept");
        BatchRecord released = box.manager.release(lot, qa, Box.PIN, "CCPs met, lab fine", null);
        assertThat(released.deviation()).isNull();
        assertThat(released.ccp()).extracting(CcpResult::status).containsOnly(CcpStatus.MET);
    }

    @Test
    void theJournalIsTheSyncStreamBatches() {
        box.manager.approve("ipa", null, qa, Box.PIN, "reviewed");
        String lot = box.manager.start("ipa", "L-9", operator, null).lot();
        box.manager.act(lot, BatchAction.ABORT, supervisor, "spilled");
        assertThat(box.manager.streams()).containsExactly("batches");
        StreamRows rows = box.manager.read("batches", 0, 100);
        assertThat(rows.columns()).startsWith("seq", "ts").contains("subject", "event", "actor", "meaning", "detail");
        assertThat(rows.rows()).hasSize(3);
        int event = rows.columns().indexOf("event");
        assertThat(rows.rows()).extracting(r -> r[event]).containsExactly("approve", "start", "abort");
        int meaning = rows.columns().indexOf("meaning");
        assertThat(rows.rows().get(0)[meaning]).isEqualTo("recipe approval");
        assertThat(box.manager.backlog("batches").waiting()).isEqualTo(3);
        box.manager.markSynced("batches", 2);
        assertThat(box.manager.backlog("batches").waiting()).isEqualTo(1);
        assertThat(box.manager.read("batches", 2, 100).rows()).hasSize(1);
        assertThatThrownBy(() -> box.manager.read("samples", 0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
