package org.brewpi.rest.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.rest.EmbeddedJetty;
import org.brewpi.rest.Fixtures;
import org.brewpi.rest.Fixtures.Definition;
import org.brewpi.rest.Fixtures.TestPlant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code /api/live} on a real Jetty, with the JDK's WebSocket client. */
class LiveServletTest {

    private static final Logger LOG = LoggerFactory.getLogger(LiveServletTest.class);
    private static final LiveHub.Limits LIMITS = new LiveHub.Limits(25, 300, 5_000, 10_000);

    private final TestPlant plant = new TestPlant();
    private final ObjectMapper mapper = new ObjectMapper();
    private LiveServlet live;
    private EmbeddedJetty jetty;
    private final List<WebSocket> sockets = new ArrayList<>();

    /** Collects what the server sends. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }

    @BeforeEach
    void start() throws Exception {
        plant.put(Fixtures.fermenter("fv1", ZoneState.ONLINE, 18.25));
        live = new LiveServlet(plant, LIMITS);
        live.addDefinition(Definition.of("fv1", "fermenter", "Fermentador 1"));
        live.addDefinition(Definition.of("hlt", "hlt", "Licor caliente"));
        jetty = new EmbeddedJetty().add(live, false, "/api/live").start();
    }

    @AfterEach
    void stop() throws Exception {
        sockets.forEach(WebSocket::abort);
        live.deactivate();
        jetty.close();
    }

    private Client connect() throws Exception {
        Client client = new Client();
        sockets.add(HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(jetty.ws("/api/live"), client).get(5, TimeUnit.SECONDS));
        return client;
    }

    private JsonNode next(Client client, String type) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String text = client.messages.poll(100, TimeUnit.MILLISECONDS);
            if (text != null) {
                JsonNode message = mapper.readTree(text);
                if (message.get("type").asText().equals(type)) {
                    return message;
                }
            }
        }
        throw new AssertionError("no '" + type + "' message within 5 s");
    }

    @Test
    void snapshotFirstThenChanges() throws Exception {
        Client client = connect();

        JsonNode snapshot = mapper.readTree(client.messages.poll(5, TimeUnit.SECONDS));
        assertThat(snapshot.get("type").asText()).isEqualTo("snapshot");
        assertThat(snapshot.get("zones")).extracting(z -> z.get("id").asText() + ":" + z.get("state").asText())
                .containsExactly("fv1:online", "hlt:offline");
        assertThat(snapshot.get("zones").get(0).get("label").asText()).isEqualTo("Fermentador 1");

        live.tagsChanged(List.of(new TagValue("fv1", "pv", 18.5, Quality.GOOD, 77, Fixtures.T0)));
        JsonNode tags = next(client, "tags");
        assertThat(tags.get("values").get(0).get("zone").asText()).isEqualTo("fv1");
        assertThat(tags.get("values").get(0).get("tag").asText()).isEqualTo("pv");
        assertThat(tags.get("values").get(0).get("value").asDouble()).isEqualTo(18.5);
        assertThat(tags.get("values").get(0).get("quality").asText()).isEqualTo("GOOD");
        assertThat(tags.get("values").get(0).get("plcTime").asLong()).isEqualTo(77);

        live.zoneChanged(Fixtures.fermenter("fv1", ZoneState.FAILSAFE, 18.5));
        assertThat(next(client, "zone").get("zone").get("state").asText()).isEqualTo("failsafe");

        live.event(new ZoneEvent("fv1", 1, 2, 3, Fixtures.T0, "failsafe", "enter", true, "heartbeat lost"));
        JsonNode event = next(client, "event").get("event");
        assertThat(event.get("kind").asText()).isEqualTo("failsafe");
        assertThat(event.get("active").asBoolean()).isTrue();

        assertThat(next(client, "ping").get("time").asLong()).isPositive();
        assertThat(live.details()).containsEntry("clients", 1);
    }

    @Test
    void aNewZoneConfigurationSendsAFreshSnapshot() throws Exception {
        Client client = connect();
        next(client, "snapshot");

        live.addDefinition(Definition.of("kettle", "kettle", "Olla"));

        assertThat(next(client, "snapshot").get("zones")).extracting(z -> z.get("id").asText())
                .containsExactly("fv1", "hlt", "kettle");
    }

    @Test
    void everyClientGetsEveryChangeAndStoppingClosesThemCleanly() throws Exception {
        Client a = connect();
        Client b = connect();
        next(a, "snapshot");
        next(b, "snapshot");

        live.tagsChanged(List.of(new TagValue("fv1", "sv", 19.0, Quality.GOOD, 1, Fixtures.T0)));
        assertThat(next(a, "tags").get("values").get(0).get("value").asDouble()).isEqualTo(19.0);
        assertThat(next(b, "tags").get("values").get(0).get("value").asDouble()).isEqualTo(19.0);

        live.deactivate();
        assertThat(a.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(b.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
    }

    @Test
    void aPlainGetIsToldToUseAWebSocket() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(jetty.http("/api/live")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(426);
        assertThat(mapper.readTree(response.body()).get("error").asText()).isEqualTo("websocket_required");
    }

    /** Not a benchmark (that is the lead's latency command), a sanity check that nothing adds big delays. */
    @Test
    void changesArriveQuickly() throws Exception {
        Client client = connect();
        next(client, "snapshot");
        List<Long> latenciesMicros = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long sent = System.nanoTime();
            live.tagsChanged(List.of(new TagValue("fv1", "pv", i, Quality.GOOD, i, System.currentTimeMillis())));
            JsonNode tags = next(client, "tags");
            latenciesMicros.add((System.nanoTime() - sent) / 1_000);
            assertThat(tags.get("values").get(0).get("value").asInt()).isEqualTo(i);
            Thread.sleep(30); // the demo plant's pace is far slower; this keeps each change its own update
        }
        Collections.sort(latenciesMicros);
        long p99 = latenciesMicros.get(98);
        LOG.info("listener -> WebSocket client latency: median {} us, p99 {} us", latenciesMicros.get(50), p99);
        assertThat(Duration.ofNanos(p99 * 1_000)).isLessThan(Duration.ofMillis(500));
    }
}
