package org.brewpi.historian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.history.HistoryPoint;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.junit.jupiter.api.Test;

/** What the historian takes in: a full queue, bad records, health, configuration and throughput. */
class HistorianIntakeTest extends HistorianTestBase {

    @Test
    void aFullQueueMakesCallersWaitInsteadOfDropping() throws Exception {
        // a tiny queue: the producers outrun the writer and must be held back, not dropped
        H2Historian h = open(new Settings(historyDir(), 5, 500, 100, 10_000));
        int perThread = 25_000;
        runProducers(h, 4, perThread);
        awaitCommitted(h, Stream.SAMPLES, 4L * perThread);
        assertThat(h.details()).containsEntry("dropped", 0L);
        assertThat(h.status()).isEqualTo(Status.UP);
    }

    @Test
    void badRecordsAreRefusedCountedAndHarmless() {
        H2Historian h = open();
        h.tagsChanged(List.of(analog("fv1", "pv", 1, T0), analog(null, "pv", 2, T0), analog("fv1", "t".repeat(200), 3, T0),
                new TagValue("fv1", "pv", 4.0, null, 0, T0), analog("fv1", "", 5, T0),
                new TagValue("fv1", "note", "y".repeat(5000), Quality.GOOD, 0, T0 + 1), analog("fv1", "pv", 6, T0 + 2)));
        h.tagsChanged(Collections.singletonList(null));
        h.tagsChanged(null);
        h.event(new ZoneEvent("fv1", 1, 1, 1, T0, "info", null, true, "no code"));
        h.event(null);
        h.zoneChanged(zone("fv1", null, null, 1));
        h.zoneChanged(null);
        awaitCommitted(h, Stream.SAMPLES, 3);

        assertThat(h.history("fv1", "pv", T0, T0 + 10, 10)).extracting(HistoryPoint::last).containsExactly(1.0, 6.0);
        assertThat((String) h.history("fv1", "note", T0, T0 + 10, 10).get(0).last()).hasSize(HistoryStore.TEXT_MAX);
        assertThat(h.details()).containsEntry("rejected", 9L).containsEntry("dropped", 0L);
        assertThat(h.status()).isEqualTo(Status.UP);
        assertThatThrownBy(() -> h.history("fv1", "pv", T0, T0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.history(null, "pv", T0, T0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void healthTellsWhatWasWritten() {
        H2Historian h = open();
        h.tagsChanged(List.of(analog("hlt", "pv", 70, T0), analog("hlt", "sv", 72, T0)));
        h.event(new ZoneEvent("hlt", 1, 1, 1, T0, "info", "hello", true, null));
        awaitCommitted(h, Stream.EVENTS, 1);
        awaitCommitted(h, Stream.SAMPLES, 2);

        assertThat(h.name()).isEqualTo("historian");
        assertThat(h.status()).isEqualTo(Status.UP);
        Map<String, Object> d = h.details();
        assertThat(d).containsEntry("state", "open").containsEntry("schema.version", 2)
                .containsEntry("rows.samples", 2L).containsEntry("rows.events", 1L)
                .containsEntry("rows.zone_states", 0L).containsEntry("dropped", 0L).containsEntry("rejected", 0L)
                .containsEntry("queue.depth", 0).containsEntry("flush.ms", 20L).containsEntry("batch.size", 5000)
                .containsKeys("rows.per_s", "last.flush.ms", "last.batch.rows", "batches").doesNotContainKey("error");
        assertThat(Path.of((String) d.get("file"))).exists().hasFileName("history.mv.db").startsWith(dataDir);
    }

    @Test
    void configurationMapsToSettingsWithSafeFallbacks() {
        Settings s = Settings.from(config("/srv/brewpi", 50, 1000, 10, 5));
        assertThat(s).isEqualTo(new Settings(Path.of("/srv/brewpi", "history"), 50, 1000, 10, 5));
        Settings fallback = Settings.from(config(" ", 0, -1, 0, -5));
        assertThat(fallback).isEqualTo(Settings.defaults(Path.of("data", "history")));
    }

    /**
     * Prints the rate; the benchmark command, not this test, holds the numbers to reach. The
     * producers run flat out, so a long offer timeout keeps a disk stall on a busy build machine
     * from turning into drops (the drop policy has its own tests).
     */
    @Test
    void throughputMicroCheck() throws Exception {
        H2Historian h = open(new Settings(historyDir(), 200, 5000, 100_000, 60_000));
        int threads = 4;
        int perThread = 100_000;
        long started = System.nanoTime();
        runProducers(h, threads, perThread);
        awaitCommitted(h, Stream.SAMPLES, (long) threads * perThread);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> d = h.details();
        System.out.printf("historian ingest: %d samples committed in %.2f s = %.0f rows/s"
                + " (last batch %s rows in %s ms, %s batches)%n", threads * perThread, seconds,
                threads * perThread / seconds, d.get("last.batch.rows"), d.get("last.flush.ms"), d.get("batches"));
        assertThat(d).containsEntry("dropped", 0L).containsEntry("rows.samples", (long) threads * perThread);
    }

    /** Like a driver: many PLCs, ten tags per telemetry message, on several threads at once. */
    private static void runProducers(H2Historian h, int threads, int samplesPerThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < threads; n++) {
                String zone = "z" + n;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < samplesPerThread / 10; i++) {
                        List<TagValue> message = new ArrayList<>(10);
                        long t = T0 + i;
                        for (int tag = 0; tag < 10; tag++) {
                            message.add(new TagValue(zone, "t" + tag, i + tag / 10.0, Quality.GOOD, t, t));
                        }
                        h.tagsChanged(message);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static HistorianConfig config(String dataDir, long flushMs, int batchSize, int capacity, long offerMs) {
        return new HistorianConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HistorianConfig.class;
            }

            @Override
            public String data_dir() {
                return dataDir;
            }

            @Override
            public long flush_ms() {
                return flushMs;
            }

            @Override
            public int batch_size() {
                return batchSize;
            }

            @Override
            public int queue_capacity() {
                return capacity;
            }

            @Override
            public long offer_timeout_ms() {
                return offerMs;
            }

            @Override
            public long retention_days() {
                return 30;
            }

            @Override
            public long disk_min_free_mb() {
                return 512;
            }

            @Override
            public long disk_check_s() {
                return 60;
            }
        };
    }
}
