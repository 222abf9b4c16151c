package org.brewpi.sync;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.historian.H2Historian;
import org.brewpi.historian.HistorianConfig;

/**
 * The real historian on a real H2 file, fed with plant-like records: every tag of a few zones
 * changing each period, an event now and then, zone state transitions.
 */
final class LocalHistory implements AutoCloseable {

    static final String[] ZONES = { "hlt", "mash", "kettle", "fv1", "fv2", "glycol" };
    static final String[] TAGS = { "pv", "sv", "out", "mode", "heater" };

    final H2Historian historian;
    private long periods;

    LocalHistory(Path dataDir) {
        this.historian = new H2Historian(config(dataDir.toString()));
    }

    /**
     * Records {@code n} periods of the plant starting at {@code startMs}, one period per
     * {@code stepMs}; returns the samples recorded.
     */
    long produce(long startMs, long stepMs, int n) {
        long samples = 0;
        for (int i = 0; i < n; i++) {
            long t = startMs + i * stepMs;
            long p = periods++;
            for (String zone : ZONES) {
                List<TagValue> values = new ArrayList<>();
                values.add(new TagValue(zone, "pv", 20 + Math.sin(p / 10.0) * 5, Quality.GOOD, t - 3, t));
                values.add(new TagValue(zone, "sv", 20.0, Quality.GOOD, t - 3, t));
                values.add(new TagValue(zone, "out", p % 7 == 0 ? Double.NaN : (p % 100) / 1.0, Quality.GOOD, t - 3, t));
                values.add(new TagValue(zone, "mode", p % 2 == 0 ? "auto" : "man\tual\\x\n", Quality.GOOD, t - 3, t));
                values.add(new TagValue(zone, "heater", p % 3 == 0, p % 11 == 0 ? Quality.STALE : Quality.GOOD, t - 3, t));
                historian.tagsChanged(values);
                samples += values.size();
            }
            if (p % 50 == 0) {
                historian.event(new ZoneEvent("fv1", 1, p, t - 3, t, "alarm", "overtemp", p % 100 == 0,
                        p % 100 == 0 ? "pv \"high\"\nñ" : null));
                historian.zoneChanged(new ZoneSnapshot("fv1", "mqtt", null,
                        p % 100 == 0 ? ZoneState.FAILSAFE : ZoneState.ONLINE, "test " + p, t, Map.of(),
                        new ZoneCounters(p, 0, 0, 0, 0, 0, Map.of())));
            }
        }
        return samples;
    }

    /** Waits until the historian has committed everything queued. */
    void awaitCommitted(long samples) {
        awaitCommitted(samples, 30_000);
    }

    void awaitCommitted(long samples, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (historian.backlog("samples").localRows() < samples) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("historian did not commit " + samples + " samples");
            }
            sleep(20);
        }
    }

    StreamBacklog backlog(String stream) {
        return historian.backlog(stream);
    }

    long waitingTotal() {
        long n = 0;
        for (String s : historian.streams()) {
            n += historian.backlog(s).waiting();
        }
        return n;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        historian.close();
    }

    private static HistorianConfig config(String dataDir) {
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
                return 20;
            }

            @Override
            public int batch_size() {
                return 5000;
            }

            @Override
            public int queue_capacity() {
                return 200_000;
            }

            @Override
            public long offer_timeout_ms() {
                return 5000;
            }

            @Override
            public long retention_days() {
                return 0; // the sync tests compare every row ever written; the historian tests cover retention
            }

            @Override
            public long disk_min_free_mb() {
                return 0;
            }

            @Override
            public long disk_check_s() {
                return 60;
            }
        };
    }
}
