package org.brewpi.rest.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneDefinition;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneListener;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.rest.Json;
import org.brewpi.rest.Views;
import org.brewpi.rest.ZoneDirectory;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /api/live}: a WebSocket that sends a snapshot of every zone on connect, then the changes
 * ({@code tags}, {@code zone}, {@code event}) and a {@code ping} every 2 s. It listens to the plant as
 * a {@link ZoneListener}; see {@link LiveClient} for coalescing and slow clients.
 * <p>
 * Needs Felix HTTP's Jetty WebSocket support ({@code org.apache.felix.jetty.websocket.enable=true}
 * and the Jetty 12 ee10 websocket bundles).
 */
@Component(service = { Servlet.class, ZoneListener.class, HealthContributor.class })
@HttpWhiteboardServletPattern("/api/live")
@HttpWhiteboardServletName("brewpi-api-live")
public class LiveServlet extends JettyWebSocketServlet implements ZoneListener, HealthContributor {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LiveServlet.class);

    /** Clients send nothing but control frames; anything bigger is refused. */
    static final int MAX_INCOMING_TEXT = 1024;
    /** Pings keep a healthy connection busy every 2 s; this only ends connections that are gone. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final transient ZoneDirectory zones;
    private final transient ScheduledExecutorService executor;
    private final transient Json json = new Json();
    private final transient LiveHub hub;

    @Activate
    public LiveServlet(@Reference Plant plant) {
        this(plant, LiveHub.Limits.DEFAULTS);
    }

    LiveServlet(Plant plant, LiveHub.Limits limits) {
        zones = new ZoneDirectory(() -> plant);
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "brewpi-live");
            t.setDaemon(true);
            return t;
        });
        hub = new LiveHub(new LiveEncoder(zones), this::schedule, () -> System.nanoTime() / 1_000_000,
                System::currentTimeMillis, limits);
        executor.scheduleAtFixedRate(() -> guarded(hub::tick), limits.pingIntervalMs(), limits.pingIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        hub.closeAll(StatusCode.SHUTDOWN, "server stopping");
        executor.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDefinition(ZoneDefinition definition) {
        zones.addDefinition(definition);
        hub.resnapshotAll();
    }

    void removeDefinition(ZoneDefinition definition) {
        zones.removeDefinition(definition);
        hub.resnapshotAll();
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(IDLE_TIMEOUT);
        factory.setMaxTextMessageSize(MAX_INCOMING_TEXT);
        factory.setCreator((request, response) -> new LiveSocket(hub));
    }

    /** A plain GET (no WebSocket upgrade) gets a JSON answer saying what to do instead. */
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(426); // Upgrade Required
        resp.setHeader("Upgrade", "websocket");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getOutputStream().write(json.write(new Views.Error("websocket_required",
                "/api/live is a WebSocket: connect with ws:// and an Upgrade request")).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void tagsChanged(List<TagValue> values) {
        hub.tagsChanged(values);
    }

    @Override
    public void zoneChanged(ZoneSnapshot zone) {
        hub.zoneChanged(zone);
    }

    @Override
    public void event(ZoneEvent event) {
        hub.event(event);
    }

    @Override
    public String name() {
        return "live";
    }

    @Override
    public Status status() {
        return Status.UP;
    }

    @Override
    public Map<String, Object> details() {
        return hub.stats();
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            executor.schedule(() -> guarded(task), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping: nothing more is sent
        }
    }

    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("live feed task failed: {}", e.toString(), e);
        }
    }
}
