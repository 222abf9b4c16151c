package org.brewpi.rest.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.rest.Fixtures;
import org.brewpi.rest.Fixtures.TestPlant;
import org.brewpi.rest.ZoneDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The per-client queue on a hand-driven clock: coalescing, pacing, back-pressure, overflow, stalls, pings. */
class LiveClientTest {

    static final LiveHub.Limits LIMITS = new LiveHub.Limits(25, 2_000, 10, 10_000);

    /** Runs scheduled tasks when the test moves the clock. */
    static final class ManualScheduler implements LiveHub.Scheduler {
        record Task(long at, long seq, Runnable task) {
        }

        final List<Task> tasks = new ArrayList<>();
        long now = 1_000_000;
        long seq;

        @Override
        public void schedule(Runnable task, long delayMs) {
            tasks.add(new Task(now + delayMs, seq++, task));
        }

        /** Moves the clock by {@code ms}, running each task due on the way at its own time. */
        void advance(long ms) {
            long target = now + ms;
            while (true) {
                Task due = tasks.stream().filter(t -> t.at() <= target)
                        .min(Comparator.comparingLong(Task::at).thenComparingLong(Task::seq)).orElse(null);
                if (due == null) {
                    break;
                }
                tasks.remove(due);
                now = Math.max(now, due.at());
                due.task().run();
            }
            now = target;
        }
    }

    /** A connection whose sends complete when the test says so (or at once). */
    static final class TestSink implements LiveClient.Sink {
        final List<JsonNode> sent = new ArrayList<>();
        final List<Consumer<Throwable>> unfinished = new ArrayList<>();
        boolean completeAtOnce = true;
        boolean aborted;
        Integer closedWith;

        @Override
        public void send(String text, Consumer<Throwable> done) {
            try {
                sent.add(new ObjectMapper().readTree(text));
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + text, e);
            }
            if (completeAtOnce) {
                done.accept(null);
            } else {
                unfinished.add(done);
            }
        }

        void finishSends() {
            List<Consumer<Throwable>> done = new ArrayList<>(unfinished);
            unfinished.clear();
            done.forEach(d -> d.accept(null));
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }

        @Override
        public void abort() {
            aborted = true;
        }

        @Override
        public String remote() {
            return "test";
        }

        List<String> types() {
            return sent.stream().map(m -> m.get("type").asText()).toList();
        }

        JsonNode last() {
            return sent.get(sent.size() - 1);
        }
    }

    private final TestPlant plant = new TestPlant();
    private final ManualScheduler scheduler = new ManualScheduler();
    private LiveHub hub;

    @BeforeEach
    void setUp() {
        plant.put(Fixtures.fermenter("fv1", ZoneState.ONLINE, 18.0));
        plant.put(Fixtures.fermenter("fv2", ZoneState.ONLINE, 12.0));
        hub = new LiveHub(new LiveEncoder(new ZoneDirectory(() -> plant)), scheduler, () -> scheduler.now,
                () -> Fixtures.T0, LIMITS);
    }

    private static TagValue pv(String zone, double value) {
        return new TagValue(zone, "pv", value, Quality.GOOD, 1, Fixtures.T0);
    }

    private static TagValue tag(String zone, String tag, double value) {
        return new TagValue(zone, tag, value, Quality.GOOD, 1, Fixtures.T0);
    }

    private TestSink connected() {
        TestSink sink = new TestSink();
        hub.connect(sink);
        scheduler.advance(0);
        return sink;
    }

    @Test
    void firstMessageIsASnapshotOfEveryZone() {
        TestSink sink = connected();

        assertThat(sink.types()).containsExactly("snapshot");
        JsonNode snapshot = sink.last();
        assertThat(snapshot.get("time").asLong()).isEqualTo(Fixtures.T0);
        assertThat(snapshot.get("zones")).extracting(z -> z.get("id").asText()).containsExactly("fv1", "fv2");
        assertThat(snapshot.get("zones").get(0).get("tags").get("pv").get("value").asDouble()).isEqualTo(18.0);
    }

    @Test
    void aChangeAfterAQuietSpellGoesOutAtOnce() {
        TestSink sink = connected();
        scheduler.advance(1_000);

        hub.tagsChanged(List.of(pv("fv1", 18.5)));
        scheduler.advance(0);

        assertThat(sink.types()).containsExactly("snapshot", "tags");
        assertThat(sink.last().get("values").get(0).get("value").asDouble()).isEqualTo(18.5);
    }

    @Test
    void changesWithinTheFlushIntervalAreCoalescedToTheLatestValue() {
        TestSink sink = connected();

        hub.tagsChanged(List.of(pv("fv1", 1)));
        hub.tagsChanged(List.of(pv("fv1", 2), tag("fv1", "sv", 3)));
        hub.tagsChanged(List.of(pv("fv2", 4), pv("fv1", 5)));
        scheduler.advance(24);
        assertThat(sink.types()).containsExactly("snapshot");

        scheduler.advance(1);
        assertThat(sink.types()).containsExactly("snapshot", "tags");
        JsonNode values = sink.last().get("values");
        assertThat(values).extracting(v -> v.get("zone").asText() + "." + v.get("tag").asText() + "="
                + v.get("value").asInt()).containsExactly("fv1.pv=5", "fv1.sv=3", "fv2.pv=4");
    }

    @Test
    void aClientThatHasNotTakenItsLastUpdateGetsTheNextOneAfterwardsCoalesced() {
        TestSink sink = connected();
        sink.completeAtOnce = false;
        scheduler.advance(100);
        hub.tagsChanged(List.of(pv("fv1", 1)));
        scheduler.advance(0);
        assertThat(sink.types()).containsExactly("snapshot", "tags");

        for (int i = 2; i <= 50; i++) {
            hub.tagsChanged(List.of(pv("fv1", i)));
            scheduler.advance(30);
        }
        assertThat(sink.sent).hasSize(2); // nothing more while the last send is unfinished

        sink.finishSends();
        scheduler.advance(0);
        assertThat(sink.types()).containsExactly("snapshot", "tags", "tags");
        assertThat(sink.last().get("values")).hasSize(1);
        assertThat(sink.last().get("values").get(0).get("value").asInt()).isEqualTo(50);
    }

    @Test
    void aBacklogBeyondTheLimitIsReplacedByASnapshot() {
        TestSink sink = connected();
        sink.completeAtOnce = false;
        hub.tagsChanged(List.of(pv("fv1", 1)));
        scheduler.advance(25);
        assertThat(sink.types()).containsExactly("snapshot", "tags");

        List<TagValue> many = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxPending() + 1; i++) {
            many.add(tag("fv1", "t" + i, i));
        }
        hub.tagsChanged(many);
        assertThat(hub.stats()).containsEntry("resnapshots", 1L);

        sink.finishSends();
        scheduler.advance(25);
        assertThat(sink.types()).containsExactly("snapshot", "tags", "snapshot");
    }

    @Test
    void zonesComeBeforeTagsAndEventsKeepTheirOrder() {
        TestSink sink = connected();
        scheduler.advance(100);

        hub.tagsChanged(List.of(new TagValue("fv1", "pv", 18.0, Quality.OFFLINE, 1, Fixtures.T0)));
        hub.event(new ZoneEvent("fv1", 1, 1, 10, Fixtures.T0, "failsafe", "enter", true, "heartbeat lost"));
        hub.zoneChanged(Fixtures.fermenter("fv1", ZoneState.OFFLINE, 18.0));
        hub.event(new ZoneEvent("fv1", 1, 2, 20, Fixtures.T0, "info", "second", false, null));
        scheduler.advance(0);

        assertThat(sink.types()).containsExactly("snapshot", "zone", "tags", "event", "event");
        assertThat(sink.sent.get(1).get("zone").get("state").asText()).isEqualTo("offline");
        assertThat(sink.sent.get(3).get("event").get("code").asText()).isEqualTo("enter");
        assertThat(sink.sent.get(4).get("event").get("code").asText()).isEqualTo("second");
    }

    @Test
    void pingsEveryTickAndDropsAClientStuckLongerThanTheStallLimit() {
        TestSink sink = connected();
        hub.tick();
        scheduler.advance(LIMITS.minFlushIntervalMs());
        assertThat(sink.types()).containsExactly("snapshot", "ping");
        assertThat(sink.last().get("time").asLong()).isEqualTo(Fixtures.T0);

        sink.completeAtOnce = false;
        hub.tick();
        scheduler.advance(2_000);
        hub.tick(); // the ping is still unsent, but not for long enough
        assertThat(sink.aborted).isFalse();

        scheduler.advance(LIMITS.stallMs());
        hub.tick();
        assertThat(sink.aborted).isTrue();
        assertThat(hub.clientCount()).isZero();
        assertThat(hub.stats()).containsEntry("stalledDropped", 1L).containsEntry("disconnects", 1L);
    }

    @Test
    void aSlowClientDoesNotHoldBackTheOthers() {
        TestSink slow = connected();
        TestSink fast = connected();
        slow.completeAtOnce = false;
        scheduler.advance(100);

        for (int i = 0; i < 20; i++) {
            hub.tagsChanged(List.of(pv("fv1", i)));
            scheduler.advance(25);
        }

        assertThat(slow.types()).containsExactly("snapshot", "tags");
        assertThat(fast.types()).hasSize(21).allMatch(t -> t.equals("snapshot") || t.equals("tags"));
        assertThat(fast.last().get("values").get(0).get("value").asInt()).isEqualTo(19);
    }

    @Test
    void aFailedSendRemovesTheClient() {
        TestSink sink = connected();
        sink.completeAtOnce = false;
        hub.tagsChanged(List.of(pv("fv1", 1)));
        scheduler.advance(25);

        sink.unfinished.get(0).accept(new java.io.IOException("broken pipe"));

        assertThat(hub.clientCount()).isZero();
        assertThat(hub.stats()).containsEntry("sendFailures", 1L);
        hub.tagsChanged(List.of(pv("fv1", 2)));
        scheduler.advance(100);
        assertThat(sink.sent).hasSize(2);
    }

    @Test
    void resnapshotReplacesPendingChanges() {
        TestSink sink = connected();
        hub.tagsChanged(List.of(pv("fv1", 1)));
        hub.resnapshotAll();
        scheduler.advance(25);

        assertThat(sink.types()).containsExactly("snapshot", "snapshot");
    }

    @Test
    void closeAllSendsACloseFrame() {
        TestSink sink = connected();
        hub.closeAll(1001, "server stopping");

        assertThat(sink.closedWith).isEqualTo(1001);
        assertThat(hub.clientCount()).isZero();
    }
}
