package org.brewpi.sync;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;

/**
 * "A 24-hour backlog of the demo plant drains in under 5 minutes while the plant keeps running."
 * <p>
 * The demo plant is six zones sending telemetry every second (period_ms 1000 at time scale 1), and
 * the historian records every tag of every telemetry message (measured on the running box: 34 rows
 * a second, one per tag, for the 34 tags below). So 24 hours are 34 x 86,400 = 2,937,600 samples,
 * plus events and zone state transitions. The benchmark writes exactly that, with times spread
 * over the last 24 hours, into the real historian while no PostgreSQL is configured; then it
 * starts the sync engine (default batch size) while a live plant keeps adding one telemetry period
 * a second, and measures the time until the whole backlog is in PostgreSQL, and until the sync has
 * caught up with the live plant.
 */
final class BacklogBenchmark {

    /** The demo plant's zones and the tags each one reports (as seen in /api/zones). */
    static final Map<String, List<String>> PLANT = new LinkedHashMap<>();

    static {
        PLANT.put("hlt", List.of("pv", "sv", "out", "mode", "heater", "level"));
        PLANT.put("mash", List.of("pv", "sv", "out", "mode", "heater", "level", "pump"));
        PLANT.put("kettle", List.of("pv", "sv", "out", "mode", "heater", "level"));
        PLANT.put("fv1", List.of("pv", "sv", "out", "mode", "glycol_valve"));
        PLANT.put("fv2", List.of("pv", "sv", "out", "mode", "glycol_valve"));
        PLANT.put("glycol", List.of("pv", "sv", "out", "mode", "compressor"));
    }

    static final long PERIOD_MS = 1000;
    static final int PERIODS_PER_DAY = 86_400;
    /** Events and state changes of a busy brewing day: an event per zone every 10 minutes, two transitions an hour. */
    static final int EVENT_EVERY_PERIODS = 600;
    static final int STATE_EVERY_PERIODS = 1800;

    private BacklogBenchmark() {
    }

    static void run(Path dir) throws Exception {
        long now = System.currentTimeMillis();
        long start = now - PERIODS_PER_DAY * PERIOD_MS;
        int tags = PLANT.values().stream().mapToInt(List::size).sum();
        System.out.printf("%n24-hour backlog of the demo plant: %d zones, %d tags at one telemetry a second = %,d samples%n",
                PLANT.size(), tags, (long) tags * PERIODS_PER_DAY);
        try (TestPostgres pg = new TestPostgres(); LocalHistory box = new LocalHistory(dir)) {
            long filling = System.nanoTime();
            Counts backlog = new Counts();
            for (int p = 0; p < PERIODS_PER_DAY; p++) {
                period(box, p, start + p * PERIOD_MS, backlog);
            }
            box.awaitCommitted(backlog.samples, 600_000);
            double fillSeconds = (System.nanoTime() - filling) / 1e9;
            System.out.printf("Backlog written to H2: %,d samples, %,d events, %,d zone states in %.1f s"
                    + " (%,.0f rows/s at the historian's batch size of 5000)%n", backlog.samples, backlog.events,
                    backlog.states, fillSeconds, backlog.total() / fillSeconds);

            // the plant keeps running: one telemetry period a second, in real time
            Counts live = new Counts();
            AtomicLong period = new AtomicLong(PERIODS_PER_DAY);
            Thread plant = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        long p = period.getAndIncrement();
                        period(box, (int) p, System.currentTimeMillis(), live);
                        Thread.sleep(PERIOD_MS);
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            }, "live-plant");
            plant.setDaemon(true);
            plant.start();

            SyncSettings settings = SyncSettings.from(SyncServiceConfigs.defaults(),
                    name -> switch (name) {
                        case "BREWPI_PG_URL" -> TestPostgres.url();
                        case "BREWPI_PG_USER" -> TestPostgres.ADMIN;
                        case "BREWPI_SITE" -> "backlog";
                        case "BREWPI_PG_SCHEMA" -> pg.schema;
                        default -> null;
                    }, name -> null);
            long started = System.nanoTime();
            try (SyncEngine sync = new SyncEngine(box.historian, settings)) {
                while (sync.shipped("samples") < backlog.samples || sync.shipped("events") < backlog.events
                        || sync.shipped("zone_states") < backlog.states) {
                    Thread.sleep(50);
                }
                double drained = (System.nanoTime() - started) / 1e9;
                long liveDuringDrain = live.samples;
                // live rows arrive every second, so "nothing waiting" is a moment, not a state: caught up
                // means the oldest row still waiting is younger than two telemetry periods
                while (oldestWaitingAgeMs(box) > 2 * PERIOD_MS) {
                    Thread.sleep(50);
                }
                double caughtUp = (System.nanoTime() - started) / 1e9;
                plant.interrupt();
                System.out.printf("Sync of the 24-hour backlog while the plant runs: backlog in PostgreSQL after %.1f s"
                        + " (%,.0f rows/s; %,d live samples arrived meanwhile; target: under 300 s); caught up with"
                        + " the live plant (oldest waiting row < %d ms old) after %.1f s%s%n", drained,
                        backlog.total() / drained, liveDuringDrain, 2 * PERIOD_MS, caughtUp,
                        sync.lastError() == null ? "" : "; last error " + sync.lastError());
                long inPg = pg.count("SELECT COUNT(*) FROM " + pg.schema + ".samples");
                if (inPg < backlog.samples) {
                    throw new IllegalStateException("PostgreSQL holds " + inPg + " samples, fewer than the backlog");
                }
            } finally {
                plant.interrupt();
            }
        }
    }

    /** Age of the oldest row waiting in any stream, 0 when none waits. */
    private static long oldestWaitingAgeMs(LocalHistory box) {
        long oldest = Long.MAX_VALUE;
        for (String stream : box.historian.streams()) {
            Long ts = box.backlog(stream).oldestWaitingTs();
            if (ts != null) {
                oldest = Math.min(oldest, ts);
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : System.currentTimeMillis() - oldest;
    }

    /** Rows written, per stream. */
    private static final class Counts {
        volatile long samples;
        volatile long events;
        volatile long states;

        long total() {
            return samples + events + states;
        }
    }

    /** One telemetry period of every zone, with an event and a state transition now and then. */
    private static void period(LocalHistory box, int p, long t, Counts counts) {
        int z = 0;
        for (var zone : PLANT.entrySet()) {
            List<TagValue> values = new ArrayList<>(zone.getValue().size());
            for (String tag : zone.getValue()) {
                Object value = switch (tag) {
                    case "pv" -> 20 + 10 * Math.sin((p + z * 100) / 600.0);
                    case "sv" -> 20.0;
                    case "out" -> (double) ((p + z) % 100);
                    case "mode" -> "auto";
                    case "level" -> 80.0 - (p % 600) / 10.0;
                    default -> (p / 30 + z) % 2 == 0;
                };
                values.add(new TagValue(zone.getKey(), tag, value, Quality.GOOD, t - 2, t));
            }
            box.historian.tagsChanged(values);
            counts.samples += values.size();
            if ((p + z * 97) % EVENT_EVERY_PERIODS == 0) {
                box.historian.event(new ZoneEvent(zone.getKey(), 1, p, t - 2, t, "alarm", "pv_high", p % 2 == 0,
                        "pv above the alarm limit"));
                counts.events++;
            }
            if ((p + z * 131) % STATE_EVERY_PERIODS == 0) {
                box.historian.zoneChanged(new ZoneSnapshot(zone.getKey(), "mqtt", null,
                        (p / STATE_EVERY_PERIODS) % 2 == 0 ? ZoneState.FAILSAFE : ZoneState.ONLINE, "benchmark " + p, t,
                        Map.of(), new ZoneCounters(p, 0, 0, 0, 0, 0, Map.of())));
                counts.states++;
            }
            z++;
        }
    }
}
