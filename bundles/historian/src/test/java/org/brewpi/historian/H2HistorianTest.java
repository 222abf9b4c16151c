package org.brewpi.historian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.history.HistoryPoint;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.h2store.H2Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The historian outside OSGi, on a real H2 file in a temporary folder. */
class H2HistorianTest {

    /** 2025-06-15T15:06:40Z; a round number so bucket arithmetic is easy to follow. */
    private static final long T0 = 1_750_000_000_000L;

    @TempDir
    Path dataDir;

    private final List<H2Historian> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(H2Historian::close);
    }

    // --- writing and reading ----------------------------------------------------------------

    @Test
    void writesAndReadsBackRawSamples() {
        H2Historian h = open();
        for (int i = 0; i < 100; i++) {
            h.tagsChanged(List.of(analog("fv1", "pv", 18.0 + i / 100.0, T0 + i * 1000L),
                    analog("fv1", "sv", 18.0, T0 + i * 1000L)));
        }
        awaitCommitted(h, Stream.SAMPLES, 200);

        List<HistoryPoint> all = h.history("fv1", "pv", T0, T0 + 99_000, 1000);
        assertThat(all).hasSize(100);
        for (int i = 0; i < 100; i++) {
            HistoryPoint p = all.get(i);
            double expected = 18.0 + i / 100.0;
            assertThat(p.time()).isEqualTo(T0 + i * 1000L);
            assertThat(p.count()).isEqualTo(1);
            assertThat(p.last()).isEqualTo(expected);
            assertThat(p.min()).isEqualTo(expected);
            assertThat(p.max()).isEqualTo(expected);
            assertThat(p.avg()).isEqualTo(expected);
            assertThat(p.quality()).isEqualTo("GOOD");
        }
        assertThat(h.history("fv1", "pv", T0 + 10_000, T0 + 19_000, 1000)).extracting(HistoryPoint::time)
                .containsExactlyElementsOf(LongStream.rangeClosed(10, 19).mapToObj(i -> T0 + i * 1000).toList());
        assertThat(h.history("fv1", "sv", T0, T0 + 99_000, 1000)).hasSize(100)
                .allSatisfy(p -> assertThat(p.last()).isEqualTo(18.0));
        assertThat(h.history("fv2", "pv", T0, T0 + 99_000, 1000)).isEmpty();
        assertThat(h.history("fv1", "pv", T0 + 5000, T0, 10)).isEmpty();
    }

    @Test
    void downsamplingKeepsASingleSpikeInItsBucketsMax() {
        H2Historian h = open();
        int seconds = 86_400; // one day at 1 Hz
        int spikeAt = 50_017;
        List<TagValue> batch = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            double v = i == spikeAt ? 95.0 : 18.0 + 0.5 * Math.sin(i / 600.0);
            batch.add(analog("kettle", "pv", v, T0 + i * 1000L));
            if (batch.size() == 10) {
                h.tagsChanged(batch);
                batch = new ArrayList<>();
            }
        }
        awaitCommitted(h, Stream.SAMPLES, seconds);

        long started = System.nanoTime();
        h.history("kettle", "pv", T0 - 3_600_000, T0 + seconds * 1000L, 500);
        long notIndexedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        awaitIndexed(h, seconds);
        started = System.nanoTime();
        List<HistoryPoint> points = h.history("kettle", "pv", T0 - 3_600_000, T0 + seconds * 1000L, 500);
        System.out.printf("history: 1 day at 1 Hz (%d samples) into %d buckets in %d ms (%d ms before indexing)%n",
                seconds, points.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), notIndexedMs);

        assertThat(points).hasSizeBetween(450, 500);
        assertThat(points.stream().mapToInt(HistoryPoint::count).sum()).isEqualTo(seconds);
        assertThat(points).extracting(HistoryPoint::time).isSorted().doesNotHaveDuplicates();
        // buckets of whole minutes, from the minute where the data starts
        assertThat(points.get(0).time()).isBetween(T0 - 59_999, T0).isEqualTo(points.get(0).time() / 60_000 * 60_000);
        long width = points.get(1).time() - points.get(0).time();
        assertThat(width % 60_000).isZero();

        List<HistoryPoint> withSpike = points.stream().filter(p -> p.max() == 95.0).toList();
        assertThat(withSpike).hasSize(1);
        HistoryPoint spike = withSpike.get(0);
        long spikeTime = T0 + spikeAt * 1000L;
        assertThat(spikeTime).isBetween(spike.time(), spike.time() + width - 1);
        assertThat(spike.avg()).isLessThan(20.0); // the mean alone would hide it
        assertThat(points).filteredOn(p -> p != spike).allSatisfy(p -> {
            assertThat(p.max()).isLessThanOrEqualTo(18.5);
            assertThat(p.min()).isGreaterThanOrEqualTo(17.5);
            assertThat(p.min()).isLessThanOrEqualTo(p.avg());
            assertThat(p.avg()).isLessThanOrEqualTo(p.max());
            assertThat(p.quality()).isEqualTo("GOOD");
        });
        HistoryPoint lastBucket = points.get(points.size() - 1);
        assertThat((Double) lastBucket.last()).isEqualTo(18.0 + 0.5 * Math.sin((seconds - 1) / 600.0));
    }

    @Test
    void longRangesComeFromMinuteSummariesWithTheSameResult() throws SQLException {
        List<TagValue> samples = new ArrayList<>();
        for (int i = 0; i < 10_800; i++) { // 3 h at 1 Hz
            double v = i == 7_777 ? 120.0 : i == 9_001 ? -40.0 : 60 + 5 * Math.sin(i / 300.0);
            Quality q = i == 4_321 ? Quality.BAD : Quality.GOOD;
            samples.add(new TagValue("mash", "pv", v, q, i, T0 + i * 1000L + 250));
        }
        long from = T0 + 30_500; // both ends in the middle of a minute
        long to = T0 + 10_700_000 - 20_000;
        List<HistoryPoint> expected = expectedBuckets(samples, from, to, 100);

        // first run ends in the middle of a minute, and is indexed
        H2Historian h = open();
        h.tagsChanged(samples.subList(0, 5_017));
        awaitCommitted(h, Stream.SAMPLES, 5_017);
        awaitIndexed(h, 5_017);
        h.close();
        opened.remove(h);
        assertThat(query("SELECT SUM(n) || ' ' || (SELECT last_seq FROM index_state)"
                + " || ' ' || (SELECT COUNT(*) FROM samples_by_tag) FROM samples_1m")).containsExactly("5017 5017 5017");

        // second run: the query mixes summarised minutes, a minute summarised in part, and new samples
        h = open();
        h.tagsChanged(samples.subList(5_017, samples.size()));
        awaitCommitted(h, Stream.SAMPLES, samples.size() - 5_017);
        long started = System.nanoTime();
        List<HistoryPoint> mixed = h.history("mash", "pv", from, to, 100);
        System.out.printf("history: 3 h at 1 Hz into %d buckets in %d ms%n", mixed.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        assertSameBuckets(mixed, expected);
        awaitIndexed(h, samples.size() - 5_017);
        h.close();
        opened.remove(h);
        assertThat(query("SELECT SUM(n) || ' ' || COUNT(*) || ' ' || (SELECT COUNT(*) FROM samples_by_tag)"
                + " FROM samples_1m")).containsExactly("10800 181 10800");

        // third run: everything indexed
        assertSameBuckets(open().history("mash", "pv", from, to, 100), expected);
        assertThat(expected).anySatisfy(p -> assertThat(p.max()).isEqualTo(120.0))
                .anySatisfy(p -> assertThat(p.min()).isEqualTo(-40.0))
                .anySatisfy(p -> assertThat(p.quality()).isEqualTo("BAD"));
    }

    @Test
    void queriesCountEverySampleOnceWhileIndexingRuns() {
        // small slices, so that many of them commit while the queries run
        H2Historian h = open(new Settings(historyDir(), 20, 5000, 100_000, 1000).withIndexing(100, 1));
        int seconds = 20_000;
        for (int i = 0; i < seconds; i++) {
            h.tagsChanged(List.of(analog("fv2", "pv", 12.0 + (i % 7), T0 + i * 1000L)));
        }
        awaitCommitted(h, Stream.SAMPLES, seconds);
        int queries = 0;
        do {
            List<HistoryPoint> points = h.history("fv2", "pv", T0, T0 + seconds * 1000L, 100);
            queries++;
            assertThat(points.stream().mapToInt(HistoryPoint::count).sum()).as("query " + queries).isEqualTo(seconds);
        } while ((Long) h.details().get("index.rows") < seconds && queries < 10_000);
        assertThat(queries).as("queries that overlapped indexing").isGreaterThan(1);
    }

    @Test
    void booleansAreZeroOrOneAndEnumsKeepTheirText() {
        H2Historian h = open();
        String[] modes = { "off", "auto", "manual" };
        for (int i = 0; i < 1000; i++) {
            long t = T0 + i * 1000L;
            h.tagsChanged(List.of(new TagValue("fv1", "glycol_valve", i % 2 == 0, Quality.GOOD, t, t),
                    new TagValue("fv1", "mode", modes[i % 3], Quality.GOOD, t, t)));
        }
        h.tagsChanged(List.of(new TagValue("fv1", "mode", null, Quality.OFFLINE, 0, T0 + 1_000_000)));
        awaitCommitted(h, Stream.SAMPLES, 2001);

        List<HistoryPoint> rawBool = h.history("fv1", "glycol_valve", T0, T0 + 3000, 100);
        assertThat(rawBool).extracting(HistoryPoint::last).containsExactly(true, false, true, false);
        assertThat(rawBool).extracting(HistoryPoint::max).containsExactly(1.0, 0.0, 1.0, 0.0);

        List<HistoryPoint> rawEnum = h.history("fv1", "mode", T0, T0 + 2000, 100);
        assertThat(rawEnum).extracting(HistoryPoint::last).containsExactly("off", "auto", "manual");
        assertThat(rawEnum).allSatisfy(p -> {
            assertThat(p.min()).isNull();
            assertThat(p.max()).isNull();
            assertThat(p.avg()).isNull();
        });

        List<HistoryPoint> bools = h.history("fv1", "glycol_valve", T0, T0 + 999_000, 10);
        assertThat(bools).hasSizeBetween(5, 10).allSatisfy(p -> {
            assertThat(p.min()).isEqualTo(0.0);
            assertThat(p.max()).isEqualTo(1.0);
            assertThat(p.avg()).isBetween(0.4, 0.6);
            assertThat(p.last()).isInstanceOf(Boolean.class);
        });
        assertThat(bools.get(bools.size() - 1).last()).isEqualTo(false); // sample 999 is odd

        List<HistoryPoint> enums = h.history("fv1", "mode", T0, T0 + 2_000_000, 10);
        assertThat(enums.stream().mapToInt(HistoryPoint::count).sum()).isEqualTo(1001);
        assertThat(enums.get(enums.size() - 1).last()).isNull(); // the OFFLINE sample, no value
        assertThat(enums.get(enums.size() - 1).quality()).isEqualTo("OFFLINE");
        assertThat(enums.subList(0, enums.size() - 1)).isNotEmpty().allSatisfy(p -> {
            assertThat(p.last()).isIn((Object[]) modes);
            assertThat(p.quality()).isEqualTo("GOOD");
        });
    }

    @Test
    void aBucketShowsTheWorstQualityInIt() {
        H2Historian h = open();
        for (int i = 0; i < 100; i++) {
            Quality q = i == 42 ? Quality.STALE : Quality.GOOD;
            h.tagsChanged(List.of(new TagValue("hlt", "pv", 70.0, q, i, T0 + i * 1000L)));
        }
        awaitCommitted(h, Stream.SAMPLES, 100);

        List<HistoryPoint> points = h.history("hlt", "pv", T0, T0 + 99_000, 10);
        assertThat(points).hasSize(10);
        assertThat(points).filteredOn(p -> p.quality().equals("STALE")).singleElement()
                .satisfies(p -> assertThat(T0 + 42_000).isBetween(p.time(), p.time() + 9_999));
        assertThat(points).filteredOn(p -> p.quality().equals("GOOD")).hasSize(9);
    }

    @Test
    void eventsAreStoredAndQueriedNewestLast() {
        H2Historian h = open();
        for (int i = 0; i < 5; i++) {
            h.event(new ZoneEvent("fv1", 31337, 100 + i, 5000 + i, T0 + i * 1000L, "interlock", "overtemp", i % 2 == 0,
                    "pv " + i));
        }
        h.event(new ZoneEvent("hlt", 7, 1, 1, T0 + 500, "failsafe", "heartbeat_timeout", true, null));
        h.event(new ZoneEvent("hlt", 7, 2, 2, T0 + 1500, "sensor", "probe", false, "x".repeat(10_000)));
        awaitCommitted(h, Stream.EVENTS, 7);

        List<ZoneEvent> fv1 = h.events("fv1", T0, T0 + 10_000, 100);
        assertThat(fv1).hasSize(5);
        assertThat(fv1.get(3)).isEqualTo(
                new ZoneEvent("fv1", 31337, 103, 5003, T0 + 3000, "interlock", "overtemp", false, "pv 3"));
        assertThat(h.events(null, T0, T0 + 10_000, 100)).extracting(ZoneEvent::arrivalTime).isSorted().hasSize(7);
        assertThat(h.events("", T0, T0 + 1000, 100)).extracting(ZoneEvent::zone).containsExactly("fv1", "hlt", "fv1");
        assertThat(h.events("fv1", T0, T0 + 10_000, 2)).extracting(ZoneEvent::seq).containsExactly(103L, 104L);
        ZoneEvent longOne = h.events("hlt", T0 + 1500, T0 + 1500, 1).get(0);
        assertThat(longOne.message()).hasSize(HistoryStore.TEXT_MAX); // cut, not refused
        assertThat(h.events("hlt", T0, T0 + 1000, 10)).singleElement()
                .satisfies(e -> assertThat(e.message()).isNull());
        assertThatThrownBy(() -> h.events("fv1", T0, T0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyZoneStateTransitionsAreRecorded() throws SQLException {
        H2Historian h = open();
        h.zoneChanged(zone("fv1", ZoneState.ONLINE, null, 1));
        h.zoneChanged(zone("fv1", ZoneState.ONLINE, null, 2)); // counters only
        h.zoneChanged(zone("fv1", ZoneState.ONLINE, null, 3));
        h.zoneChanged(zone("fv1", ZoneState.FAILSAFE, "heartbeat_timeout", 4));
        h.zoneChanged(zone("fv1", ZoneState.FAILSAFE, "heartbeat_timeout", 5));
        h.zoneChanged(zone("hlt", ZoneState.OFFLINE, null, 0));
        h.zoneChanged(zone("fv1", ZoneState.ONLINE, null, 6));
        h.zoneChanged(zone("fv1", ZoneState.OFFLINE, null, 6));
        awaitCommitted(h, Stream.ZONE_STATES, 5);
        h.close();
        opened.remove(h);

        assertThat(query("SELECT zone || ':' || state || ':' || COALESCE(reason, '-') FROM zone_states ORDER BY seq"))
                .containsExactly("fv1:online:-", "fv1:failsafe:heartbeat_timeout", "hlt:offline:-", "fv1:online:-",
                        "fv1:offline:-");
    }

    // --- durability ---------------------------------------------------------------------------

    @Test
    void restartOnTheSameFileKeepsDataAndMigrationsRunOnce() throws SQLException {
        for (int run = 0; run < 3; run++) {
            H2Historian h = open();
            assertThat(h.history("mash", "pv", T0, T0 + 100_000, 100)).hasSize(run * 10);
            for (int i = 0; i < 10; i++) {
                long t = T0 + (run * 10 + i) * 1000L;
                h.tagsChanged(List.of(analog("mash", "pv", 65.0, t)));
            }
            h.close();
            opened.remove(h);
        }
        assertThat(query("SELECT version || ' ' || description FROM schema_version"))
                .containsExactly("1 history tables", "2 sync watermarks");
        assertThat(query("SELECT COUNT(*) || ' ' || COUNT(DISTINCT seq) || ' ' || MIN(seq) FROM samples"))
                .containsExactly("30 30 1");
        assertThat(query("SELECT name FROM qualities ORDER BY code")).containsExactly("GOOD", "BAD", "STALE", "OFFLINE");

        try (Connection c = connect()) {
            assertThat(HistoryStore.migrate(c)).isEqualTo(2); // again: nothing to do
            assertThat(H2Schema.currentVersion(c)).isEqualTo(2);
        }
        assertThat(query("SELECT COUNT(*) FROM schema_version")).containsExactly("2");
        // seq keeps rising across restarts: what a sync watermark relies on
        assertThat(query("SELECT seq FROM samples ORDER BY ts"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 30).mapToObj(String::valueOf).toList());
    }

    @Test
    void closeCommitsEverythingStillQueued() {
        // a batch this size at this interval would not be written for a minute
        H2Historian h = open(new Settings(historyDir(), 60_000, 1_000_000, 100_000, 1000));
        for (int i = 0; i < 1000; i++) {
            h.tagsChanged(List.of(analog("glycol", "pv", -2.0, T0 + i)));
        }
        h.event(new ZoneEvent("glycol", 1, 1, 1, T0, "info", "started", true, null));
        sleep(300);
        assertThat(h.committed(Stream.SAMPLES)).isZero();

        long started = System.nanoTime();
        h.close();
        opened.remove(h);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
        assertThat(h.details()).containsEntry("rows.samples", 1000L).containsEntry("rows.events", 1L)
                .containsEntry("state", "closed").containsEntry("dropped", 0L);

        H2Historian again = open();
        assertThat(again.history("glycol", "pv", T0, T0 + 999, 5000)).hasSize(1000);
        assertThat(again.events("glycol", T0, T0, 10)).hasSize(1);
    }

    // --- streams for the sync service --------------------------------------------------------

    @Test
    void streamsAreReadInSeqOrderAfterTheWatermarkWhichOnlyMovesForward() {
        H2Historian h = open();
        assertThat(h.streams()).containsExactly("events", "zone_states", "samples");
        for (int i = 0; i < 10; i++) {
            h.tagsChanged(List.of(analog("fv1", "pv", i, T0 + i)));
        }
        h.event(new ZoneEvent("hlt", 7, 1, 1, T0 + 500, "failsafe", "heartbeat_timeout", true, null));
        awaitCommitted(h, Stream.SAMPLES, 10);
        awaitCommitted(h, Stream.EVENTS, 1);

        StreamRows first = h.read("samples", 0, 4);
        assertThat(first.columns()).startsWith("seq").contains("ts", "num_value");
        assertThat(first.rows()).extracting(r -> r[0]).containsExactly(1L, 2L, 3L, 4L);
        assertThat(first.rows().get(2)[first.columns().indexOf("num_value")]).isEqualTo(2.0);
        assertThat(first.lastSeq(0)).isEqualTo(4);
        assertThat(h.read("samples", 8, 100).rows()).extracting(r -> r[0]).containsExactly(9L, 10L);
        assertThat(h.read("samples", 10, 100).lastSeq(10)).isEqualTo(10);
        StreamRows events = h.read("events", 0, 10);
        assertThat(events.rows()).hasSize(1);
        assertThat(events.rows().get(0)[events.columns().indexOf("active")]).isEqualTo(true);

        assertThat(h.backlog("samples")).isEqualTo(new StreamBacklog("samples", 10, 0, 10, T0));
        h.markSynced("samples", 4);
        h.markSynced("samples", 2); // late and stale: ignored
        assertThat(h.backlog("samples")).isEqualTo(new StreamBacklog("samples", 10, 4, 6, T0 + 4));
        h.markSynced("samples", 10);
        assertThat(h.backlog("samples")).isEqualTo(new StreamBacklog("samples", 10, 10, 0, null));
        assertThat(h.backlog("events").waiting()).isEqualTo(1);

        // the watermark is durable
        h.close();
        opened.remove(h);
        assertThat(open().backlog("samples").syncedSeq()).isEqualTo(10);
        assertThatThrownBy(() -> h.read("nope", 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDamagedFileIsMovedAsideAndANewOneStarted() throws Exception {
        Path history = dataDir.resolve("history");
        Files.createDirectories(history);
        byte[] junk = new byte[20_000];
        new java.util.Random(42).nextBytes(junk);
        Files.write(history.resolve("history.mv.db"), junk);

        H2Historian h = open();
        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        Map<String, Object> d = h.details();
        assertThat(d).containsEntry("state", "open");
        assertThat((String) d.get("alarm")).contains("damaged").contains("moved aside");
        Path aside = Path.of((String) d.get("set.aside.file"));
        assertThat(aside.getFileName().toString()).matches("history\\.corrupt-\\d{8}-\\d{6}\\.mv\\.db");
        assertThat(Files.readAllBytes(aside)).isEqualTo(junk); // kept as it was

        h.tagsChanged(List.of(analog("fv1", "pv", 1.0, T0)));
        awaitCommitted(h, Stream.SAMPLES, 1);
        assertThat(h.history("fv1", "pv", T0, T0, 10)).hasSize(1);
        // seqs of the new file start past any the damaged one can have handed out
        assertThat((Long) h.read("samples", 0, 1).rows().get(0)[0]).isGreaterThan(1_000_000_000_000_000L);

        // a healthy file is never moved: the next start opens it as it is
        h.close();
        opened.remove(h);
        H2Historian again = open();
        assertThat(again.status()).isEqualTo(Status.UP);
        assertThat(again.backlog("samples").localRows()).isEqualTo(1);
        try (var files = Files.list(history)) {
            assertThat(files.filter(f -> f.getFileName().toString().contains("corrupt")).count()).isEqualTo(1);
        }
    }

    @Test
    void aNewerSchemaIsLeftAlone() throws SQLException {
        H2Historian h = open();
        h.close();
        opened.remove(h);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version (version, description, script) VALUES (99, 'future', 'V99__future.sql')");
        }
        H2Historian old = open();
        assertThat(old.status()).isEqualTo(Status.DOWN);
        assertThat((String) old.details().get("error")).contains("version 99").contains("newer");
    }

    @Test
    void historyProbesReadTheTagIndexInOrderInsteadOfSorting() throws SQLException {
        open().close(); // creates the schema
        opened.clear();
        try (Connection c = connect()) {
            for (String sql : List.of(HistoryQueries.FIRST_SAMPLES, HistoryQueries.LAST_TIME)) {
                try (java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
                    List<Object> params = sql.contains("LIMIT ?")
                            ? List.of("fv1", "pv", T0, T0 + 1000, 501, "fv1", "pv", T0, T0 + 1000, 501)
                            : List.of("fv1", "pv", T0, T0 + 1000, "fv1", "pv", T0, T0 + 1000);
                    for (int i = 0; i < params.size(); i++) {
                        ps.setObject(i + 1, params.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getString(1)).as(sql).contains("FROM PUBLIC.SAMPLES_BY_TAG\n        /* PUBLIC.PRIMARY_KEY")
                                .contains("index sorted");
                    }
                }
            }
        }
    }

    // --- failures and bad input -------------------------------------------------------------

    @Test
    void aFileThatCannotBeOpenedGivesHealthDownAndNeverBlocksTheCaller() throws Exception {
        Files.writeString(historyDir(), "not a folder");
        H2Historian h = open(new Settings(historyDir(), 20, 5000, 50, 5000));

        assertThat(h.status()).isEqualTo(Status.DOWN);
        assertThat(h.details()).containsEntry("state", "failed");
        assertThat((String) h.details().get("error")).contains(historyDir().toString());

        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            h.tagsChanged(List.of(analog("fv1", "pv", i, T0 + i), analog("fv1", "sv", i, T0 + i),
                    analog("fv1", "out", i, T0 + i), analog("fv1", "pv2", i, T0 + i),
                    analog("fv1", "sv2", i, T0 + i), analog("fv1", "out2", i, T0 + i),
                    analog("fv1", "a", i, T0 + i), analog("fv1", "b", i, T0 + i), analog("fv1", "c", i, T0 + i),
                    analog("fv1", "d", i, T0 + i)));
        }
        // the offer timeout is 5 s, but nobody waits for a store that is down
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
        assertThat(h.details()).containsEntry("dropped", 150L).containsEntry("queue.depth", 50);
        assertThatThrownBy(() -> h.history("fv1", "pv", T0, T0 + 100, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("history unavailable");

        h.close();
        opened.remove(h);
        assertThat(h.details()).containsEntry("dropped", 200L).containsEntry("rows.samples", 0L);
    }

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

    // --- health, configuration, migrations ---------------------------------------------------

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

    @Test
    void everyMigrationScriptIsListedInOrder() throws Exception {
        Path folder = Path.of("src/main/resources/org/brewpi/historian/migrations");
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(HistoryStore.MIGRATIONS);
        }
        assertThat(H2Schema.scripts(HistoryStore.MIGRATIONS)).extracting(H2Schema.Script::version).containsExactly(1, 2);
        assertThat(H2Schema.statements("-- a comment\nCREATE TABLE a (x INT);\n\n-- b\nCREATE TABLE b (y INT);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)");
    }

    // --- throughput ---------------------------------------------------------------------------

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

    // --- helpers ------------------------------------------------------------------------------

    private Path historyDir() {
        return dataDir.resolve("history");
    }

    /** Quick flushes and indexing, so tests need not wait. */
    private H2Historian open() {
        return open(new Settings(historyDir(), 20, 5000, 100_000, 1000).withIndexing(10_000, 50));
    }

    private H2Historian open(Settings settings) {
        H2Historian h = new H2Historian(settings);
        opened.add(h);
        return h;
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

    /**
     * The definition, computed directly: when buckets are a minute or wider they are whole
     * minutes, counted from the minute of the first sample in range.
     */
    private static List<HistoryPoint> expectedBuckets(List<TagValue> samples, long from, long to, int maxPoints) {
        List<TagValue> in = samples.stream().filter(v -> v.arrivalTime() >= from && v.arrivalTime() <= to).toList();
        long first = in.get(0).arrivalTime();
        long last = in.get(in.size() - 1).arrivalTime();
        assertThat((last - first) / maxPoints + 1).as("the minute path is taken").isGreaterThanOrEqualTo(60_000);
        long origin = Math.floorDiv(first, 60_000) * 60_000;
        long width = ((last - origin) / maxPoints + 1 + 59_999) / 60_000 * 60_000;
        Map<Long, List<TagValue>> byBucket = new TreeMap<>(in.stream()
                .collect(Collectors.groupingBy(v -> (v.arrivalTime() - origin) / width)));
        List<HistoryPoint> points = new ArrayList<>();
        byBucket.forEach((bucket, values) -> {
            DoubleSummaryStatistics stats = values.stream().mapToDouble(v -> (Double) v.value())
                    .summaryStatistics();
            Quality worst = values.stream().map(TagValue::quality).max(Quality::compareTo).orElseThrow();
            points.add(new HistoryPoint(origin + bucket * width, values.size(), stats.getMin(), stats.getMax(),
                    stats.getAverage(), values.get(values.size() - 1).value(), worst.name()));
        });
        return points;
    }

    private static void assertSameBuckets(List<HistoryPoint> actual, List<HistoryPoint> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            HistoryPoint a = actual.get(i);
            HistoryPoint e = expected.get(i);
            assertThat(a).as("bucket " + i).usingRecursiveComparison().ignoringFields("avg").isEqualTo(e);
            assertThat(a.avg()).as("bucket " + i + " avg").isCloseTo(e.avg(), offset(1e-9));
        }
    }

    private static void awaitCommitted(H2Historian h, org.brewpi.historian.Stream stream, long rows) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (h.committed(stream) < rows && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
        assertThat(h.committed(stream)).as("rows committed to " + stream.table).isEqualTo(rows);
    }

    /** The writer indexes by tag in the background; some checks need it done. */
    private static void awaitIndexed(H2Historian h, long rows) {
        long deadline = System.currentTimeMillis() + 30_000;
        while ((Long) h.details().get("index.rows") < rows && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
        assertThat(h.details()).containsEntry("index.rows", rows);
    }

    private static TagValue analog(String zone, String tag, double value, long time) {
        return new TagValue(zone, tag, value, Quality.GOOD, time - 7, time);
    }

    private static ZoneSnapshot zone(String id, ZoneState state, String reason, long telemetry) {
        return new ZoneSnapshot(id, "mqtt", null, state, reason, T0,
                Map.of(), new ZoneCounters(telemetry, 0, 0, 0, 0, 0, Map.of()));
    }

    /** Reads the file directly, as the later sync service will. */
    private List<String> query(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        return new org.h2.Driver().connect("jdbc:h2:file:" + historyDir().resolve("history") + ";IFEXISTS=TRUE", p);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
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
