package org.brewpi.historian;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.history.HistoryPoint;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention and the free-space floor on a real H2 file. The free-space reading is the test's: a
 * disk that is low until a given number of samples has been dropped (as if each freed its share of
 * space), so a small configured threshold is crossed without filling a disk, and the outcome does
 * not depend on how many checks a loaded machine needs.
 */
class DiskGuardTest {

    private static final long DAY = 86_400_000L;
    private static final long PLENTY = 1L << 40;

    @TempDir
    Path dataDir;

    private final List<H2Historian> opened = new ArrayList<>();
    /** The disk reads as low until this many samples were dropped for space (0: never low). */
    private volatile long lowUntilDropped;
    private final AtomicReference<H2Historian> current = new AtomicReference<>();

    @AfterEach
    void close() {
        opened.forEach(H2Historian::close);
    }

    @Test
    void syncedSamplesOlderThanTheRetentionAreRemovedAndNothingElse() {
        long now = System.currentTimeMillis();
        H2Historian h = open(new DiskGuard.Policy(DAY, 0, 50, 100));
        samples(h, "fv1", now - 3 * DAY, 60_000, 1000); // 1000 samples three days old, a minute apart
        samples(h, "fv2", now - 3_600_000, 1000, 500); // 500 of the last hour
        h.event(new ZoneEvent("fv1", 1, 1, now - 3 * DAY, now - 3 * DAY, "alarm", "overtemp", true, "old event"));
        awaitSamples(h, 1500);
        List<Long> seqs = seqs(h);
        long syncedUpTo = seqs.get(799); // 800 of the old ones are in the central database, none of the new
        h.markSynced("samples", syncedUpTo);

        await("retention ran", () -> (Long) h.details().get("removed.retention") == 800L);
        assertThat(seqs(h)).containsExactlyElementsOf(seqs.subList(800, 1500));
        assertThat(h.events(null, 0, now, 10)).hasSize(1);
        // the tag index and the minute summaries went with them: queries see exactly what is left
        List<HistoryPoint> raw = h.history("fv1", "pv", 0, now, 1000);
        assertThat(raw).hasSize(200);
        List<HistoryPoint> buckets = h.history("fv1", "pv", 0, now, 10);
        assertThat(buckets.stream().mapToInt(HistoryPoint::count).sum()).isEqualTo(200);
        assertThat(h.details()).containsEntry("dropped.synced", 0L).containsEntry("dropped.unsynced", 0L);
        assertThat(h.status()).isEqualTo(Status.UP);
    }

    @Test
    void aLowDiskDropsTheOldestSyncedSamplesFirstThenTheOldestUnsyncedAndNeverEvents() {
        H2Historian h = open(new DiskGuard.Policy(0, 100L << 20, 50, 500));
        long t = System.currentTimeMillis() - 3_600_000;
        samples(h, "fv1", t, 100, 3000);
        for (int i = 0; i < 10; i++) {
            h.event(new ZoneEvent("fv1", 1, i, t, t, "alarm", "overtemp", i % 2 == 0, null));
        }
        h.zoneChanged(new ZoneSnapshot("fv1", "mqtt", null, ZoneState.FAILSAFE, "test", t, Map.of(),
                new ZoneCounters(0, 0, 0, 0, 0, 0, Map.of())));
        awaitSamples(h, 3000);
        await("events committed", () -> h.backlog("events").localRows() == 10
                && h.backlog("zone_states").localRows() == 1);
        List<Long> seqs = seqs(h);
        h.markSynced("samples", seqs.get(1999));

        // room comes back once 2500 samples have gone: the 2000 synced ones, then the oldest 500 unsynced
        lowUntilDropped = 2500;
        await("the drops", () -> droppedForSpace(h) >= 2500 && !h.details().containsKey("disk.alarm"));
        assertThat(h.details()).containsEntry("dropped.synced", 2000L).containsEntry("dropped.unsynced", 500L)
                .containsEntry("removed.retention", 0L).containsEntry("dropped", 0L);
        assertThat(seqs(h)).containsExactlyElementsOf(seqs.subList(2500, 3000));
        assertThat(h.backlog("events").localRows()).isEqualTo(10);
        assertThat(h.backlog("zone_states").localRows()).isEqualTo(1);
        assertThat(h.backlog("samples").waiting()).isEqualTo(500);
        assertThat(h.status()).as("unsynced samples were lost").isEqualTo(Status.DEGRADED);
    }

    @Test
    void whenOnlyOtherRecordsAreLeftTheyAreKeptAndTheLowDiskShows() {
        H2Historian h = open(new DiskGuard.Policy(0, 100L << 20, 50, 400));
        long t = System.currentTimeMillis();
        samples(h, "kettle", t, 10, 1000);
        h.event(new ZoneEvent("kettle", 1, 1, t, t, "info", "boil", true, "kept"));
        awaitSamples(h, 1000);
        await("event committed", () -> h.backlog("events").localRows() == 1);

        lowUntilDropped = Long.MAX_VALUE; // the disk stays low
        await("every sample dropped", () -> h.backlog("samples").localRows() == 0);
        await("the alarm", () -> h.details().containsKey("disk.alarm"));
        assertThat(h.details()).containsEntry("dropped.unsynced", 1000L).containsEntry("dropped.synced", 0L);
        assertThat(h.backlog("events").localRows()).isEqualTo(1);
        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat((String) h.details().get("disk.alarm")).contains("disk low").contains("minimum 100 MB");

        // the historian keeps recording while the disk is low; new samples are dropped in turn
        samples(h, "kettle", t + 10_000, 10, 10);
        await("recorded", () -> (Long) h.details().get("rows.samples") == 1010L);
        lowUntilDropped = 0;
        await("the disk has room again", () -> !h.details().containsKey("disk.alarm"));
    }

    // --- helpers ------------------------------------------------------------------------------

    private H2Historian open(DiskGuard.Policy policy) {
        Settings settings = new Settings(dataDir.resolve("history"), 20, 5000, 100_000, 1000).withIndexing(10_000, 20)
                .withDisk(policy);
        H2Historian h = new H2Historian(settings,
                dir -> current.get() != null && droppedForSpace(current.get()) < lowUntilDropped ? 0 : PLENTY);
        current.set(h);
        opened.add(h);
        return h;
    }

    private static long droppedForSpace(H2Historian h) {
        Map<String, Object> d = h.details();
        return (Long) d.get("dropped.synced") + (Long) d.get("dropped.unsynced");
    }

    private static void samples(H2Historian h, String zone, long from, long step, int n) {
        for (int i = 0; i < n; i++) {
            long ts = from + i * step;
            h.tagsChanged(List.of(new TagValue(zone, "pv", 20.0 + i % 7, Quality.GOOD, ts, ts)));
        }
    }

    private static List<Long> seqs(H2Historian h) {
        return h.read("samples", 0, Integer.MAX_VALUE).rows().stream().map(r -> (Long) r[0]).toList();
    }

    private static void awaitSamples(H2Historian h, long n) {
        // read() gives the rows on disk, which the sync may ship: the ones the test marks synced
        await(n + " samples on disk", () -> seqs(h).size() == n);
    }

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
