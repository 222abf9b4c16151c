package org.brewpi.rest.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.rest.Fixtures;
import org.brewpi.rest.Fixtures.TestPlant;
import org.brewpi.rest.ZoneDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Several "drivers" change tags at full speed while a slow, jittery client takes its updates: every
 * tag must end at its last value, no tag may ever go backwards, and no event may be lost or reordered.
 */
class LiveHubConcurrencyTest {

    private static final int DRIVERS = 4;
    private static final int TAGS_PER_DRIVER = 25;
    private static final int UPDATES = 2_000;

    private final ScheduledExecutorService hubThread = Executors.newSingleThreadScheduledExecutor();
    private final ScheduledExecutorService network = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        hubThread.shutdownNow();
        network.shutdownNow();
    }

    /** Completes each send after a random short delay, one at a time like a socket. */
    final class JitterySink implements LiveClient.Sink {
        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        public void send(String text, Consumer<Throwable> done) {
            received.add(text);
            network.schedule(() -> done.accept(null), ThreadLocalRandom.current().nextInt(0, 3),
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public void abort() {
        }

        @Override
        public String remote() {
            return "jittery";
        }
    }

    @Test
    void lastValuesArriveAndNothingGoesBackwards() throws Exception {
        TestPlant plant = new TestPlant().put(Fixtures.fermenter("fv1", ZoneState.ONLINE, 1));
        LiveHub hub = new LiveHub(new LiveEncoder(new ZoneDirectory(() -> plant)),
                (task, delay) -> hubThread.schedule(task, delay, TimeUnit.MILLISECONDS),
                () -> System.nanoTime() / 1_000_000, System::currentTimeMillis,
                new LiveHub.Limits(5, 2_000, 1_000_000, 60_000));
        JitterySink sink = new JitterySink();
        hub.connect(sink);

        CountDownLatch go = new CountDownLatch(1);
        List<Thread> drivers = new ArrayList<>();
        for (int d = 0; d < DRIVERS; d++) {
            String zone = "z" + d;
            Thread driver = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < UPDATES; i++) {
                    List<TagValue> batch = new ArrayList<>();
                    for (int t = 0; t < TAGS_PER_DRIVER; t++) {
                        batch.add(new TagValue(zone, "t" + t, (double) i, Quality.GOOD, i, i));
                    }
                    hub.tagsChanged(batch);
                    if (i % 100 == 0) {
                        hub.event(new ZoneEvent(zone, 1, i, i, i, "info", "n" + i, true, null));
                    }
                }
            });
            driver.start();
            drivers.add(driver);
        }
        go.countDown();
        for (Thread driver : drivers) {
            driver.join(30_000);
        }

        ObjectMapper mapper = new ObjectMapper();
        Map<String, Integer> last = new ConcurrentHashMap<>();
        Map<String, List<Integer>> events = new ConcurrentHashMap<>();
        int read = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<String> received = sink.received;
            for (; read < received.size(); read++) {
                JsonNode message = mapper.readTree(received.get(read));
                switch (message.get("type").asText()) {
                    case "tags" -> message.get("values").forEach(v -> {
                        String key = v.get("zone").asText() + "." + v.get("tag").asText();
                        int value = v.get("value").asInt();
                        Integer before = last.put(key, value);
                        assertThat(before == null || before < value).as("%s went from %s to %s", key, before, value)
                                .isTrue();
                    });
                    case "event" -> events.computeIfAbsent(message.get("event").get("zone").asText(),
                            z -> new ArrayList<>()).add(Integer.parseInt(
                                    message.get("event").get("code").asText().substring(1)));
                    default -> {
                    }
                }
            }
            // done when every tag's last value and every event have arrived (events travel in their own messages)
            if (last.size() == DRIVERS * TAGS_PER_DRIVER
                    && last.values().stream().allMatch(v -> v == UPDATES - 1)
                    && events.size() == DRIVERS
                    && events.values().stream().allMatch(list -> list.size() >= (UPDATES + 99) / 100)) {
                break;
            }
            Thread.sleep(20);
        }

        assertThat(last).hasSize(DRIVERS * TAGS_PER_DRIVER);
        assertThat(last.values()).allMatch(v -> v == UPDATES - 1);
        List<Integer> expectedEvents = new ArrayList<>();
        for (int i = 0; i < UPDATES; i += 100) {
            expectedEvents.add(i);
        }
        for (int d = 0; d < DRIVERS; d++) {
            assertThat(events.get("z" + d)).isEqualTo(expectedEvents);
        }
        // Coalescing did its job: far fewer messages than changes.
        assertThat(sink.received.size()).isLessThan(DRIVERS * UPDATES);
    }
}
