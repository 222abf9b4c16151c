package org.brewpi.historian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.brewpi.api.history.HistoryPoint;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.Test;

/** Writing records and querying them back: raw, bucketed, by minute summaries, events, zone states. */
class H2HistorianTest extends HistorianTestBase {

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
}
