package org.brewpi.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.brewpi.sim.physics.Plant;
import org.brewpi.sim.physics.Vessel;
import org.brewpi.sim.plc.MqttLink;
import org.brewpi.sim.plc.ZonePlc;
import org.brewpi.sim.plc.ZoneProfile;
import org.brewpi.sim.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual plant: one {@link Plant} and an emulated PLC per zone, each with its own MQTT
 * connection. A single loop thread steps the physics every {@value #TICK_MS} ms of real time and
 * scans every PLC; MQTT callbacks are handed to the same thread, so PLC state needs no locks.
 *
 * <p>Time: the physics runs {@code timeScale} times faster than the wall clock, and so does the
 * telemetry period (one reading per second of plant time, but never more than 4 per second of
 * real time). The protocol's own timers stay in real time: the heartbeat timeout, the broker
 * keep-alive, and the {@code period_ms} announced in the birth (the real interval between
 * readings), so the SCADA's stale and fail-safe detection work unchanged at any time scale.
 */
public final class Simulator {

    /** How often the loop runs, real ms. */
    public static final long TICK_MS = 100;
    /** Shortest telemetry period, real ms, whatever the time scale. */
    public static final long MIN_PERIOD_MS = 250;
    public static final long DEFAULT_HEARTBEAT_TIMEOUT_MS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

    /**
     * @param timeScale plant seconds per real second (1 = real time, 60 = an hour a minute)
     * @param heartbeatTimeoutMs the PLCs' fail-safe timeout, real ms
     * @param socketFactory for {@code ssl://} brokers: TLS sockets trusting the broker's certificate; {@code null}
     *        for the JVM's defaults
     */
    public record Settings(String brokerUrl, String topicRoot, double timeScale, long heartbeatTimeoutMs,
            javax.net.SocketFactory socketFactory) {

        public Settings(String brokerUrl, String topicRoot, double timeScale, long heartbeatTimeoutMs) {
            this(brokerUrl, topicRoot, timeScale, heartbeatTimeoutMs, null);
        }

        public Settings {
            if (brokerUrl == null || brokerUrl.isBlank()) {
                throw new IllegalArgumentException("broker URL is empty");
            }
            if (!Topics.isValidRoot(topicRoot)) {
                throw new IllegalArgumentException("topic root '" + topicRoot + "' is not a plain topic path");
            }
            if (!(timeScale > 0) || timeScale > 10_000) {
                throw new IllegalArgumentException("time scale " + timeScale + " must be > 0 and <= 10000");
            }
            if (heartbeatTimeoutMs <= 0) {
                throw new IllegalArgumentException("heartbeat timeout must be > 0 ms");
            }
        }

        /** Real ms between two periodic readings. */
        public long periodMs() {
            return Math.max(MIN_PERIOD_MS, Math.round(1000.0 / timeScale));
        }
    }

    private final Settings settings;
    private final ScheduledExecutorService loop;
    private final Plant plant = new Plant();
    // loop thread only
    private final Map<String, Zone> zones = new LinkedHashMap<>();
    private long lastTick;

    public Simulator(Settings settings) {
        this.settings = settings;
        this.loop = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "brewpi-sim");
            thread.setDaemon(true);
            return thread;
        });
        lastTick = now();
        loop.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        LOG.info("simulator started: broker {}, topic root {}, time scale {}x, telemetry every {} ms",
                settings.brokerUrl(), settings.topicRoot(), settings.timeScale(), settings.periodMs());
    }

    public Settings settings() {
        return settings;
    }

    /** Powers up an emulated PLC for the zone (replacing one already running under that id). */
    public void addZone(ZoneSpec spec) {
        loop.execute(() -> startZone(spec));
    }

    /** Powers a zone's PLC off: its connection drops and the broker publishes its will. */
    public void removeZone(String id) {
        loop.execute(() -> stopZone(id));
    }

    /** Ids of the zones running now. */
    public List<String> zones() {
        return call(() -> new ArrayList<>(zones.keySet()));
    }

    /** Runs {@code work} on the loop thread (where plant and PLCs may be touched) and waits for it. */
    public <T> T call(Callable<T> work) {
        Future<T> result = loop.submit(work);
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the simulator loop did not answer in 10 s", e);
        }
    }

    /** The PLC of a running zone; touch it only inside {@link #call}. */
    public Optional<ZonePlc> plc(String id) {
        Zone zone = zones.get(id);
        return zone == null ? Optional.empty() : Optional.of(zone.plc);
    }

    /** The plant; touch it only inside {@link #call}. */
    public Plant plant() {
        return plant;
    }

    /** Powers every PLC off abruptly (their wills mark them offline) and stops the loop; idempotent. */
    public void stop() {
        if (loop.isShutdown()) {
            return;
        }
        try {
            call(() -> {
                new ArrayList<>(zones.keySet()).forEach(this::stopZone);
                return null;
            });
        } catch (IllegalStateException e) {
            LOG.warn("simulator stop: {}", e.getMessage());
        } finally {
            loop.shutdownNow();
        }
        LOG.info("simulator stopped");
    }

    private void startZone(ZoneSpec spec) {
        if (zones.containsKey(spec.id())) {
            stopZone(spec.id());
        }
        Optional<ZoneProfile> profile = ZoneProfile.forZone(spec.id(), spec.type());
        if (profile.isEmpty()) {
            LOG.warn("zone {}: type '{}' cannot be simulated (types: {})", spec.id(), spec.type(), ZoneProfile.TYPES);
            return;
        }
        if (!Topics.isValidZoneId(spec.id())) {
            LOG.warn("zone '{}': not a valid zone id ([a-z0-9][a-z0-9-]{{0,31}}), not simulated", spec.id());
            return;
        }
        Topics topics = new Topics(settings.topicRoot(), spec.id());
        ZoneProfile p = profile.get();
        double temperature = Double.isNaN(p.startTemperature()) ? plant.ambient() : p.startTemperature();
        Zone zone = new Zone();
        try {
            zone.link = new MqttLink(settings.brokerUrl(), topics, spec.id() + "-sim", spec.password(), loop, zone,
                    settings.socketFactory());
        } catch (IllegalArgumentException e) {
            LOG.error("zone {}: {}", spec.id(), e.getMessage());
            return;
        }
        Vessel vessel = plant.add(spec.id(), p.vessel(), temperature, p.levelStart(), p.fermentationAgeSeconds());
        zone.plc = new ZonePlc(spec.id(), p, vessel, topics, zone.link, settings.periodMs(),
                settings.heartbeatTimeoutMs(), now(), System::currentTimeMillis, new Random());
        zones.put(spec.id(), zone);
        LOG.info("zone {} ({}) powered up: boot {}, mode {}, sv {}", spec.id(), p.type(), zone.plc.boot(),
                zone.plc.mode().wire(), zone.plc.sv());
        zone.link.start();
    }

    private void stopZone(String id) {
        Zone zone = zones.remove(id);
        if (zone == null) {
            return;
        }
        zone.link.dropAbruptly();
        plant.remove(id);
        LOG.info("zone {} powered off", id);
    }

    private void tick() {
        long now = now();
        // a stalled loop (GC, suspended laptop) must not make the plant jump hours ahead
        long elapsed = Math.min(now - lastTick, 1_000);
        lastTick = now;
        double plantSeconds = elapsed / 1000.0 * settings.timeScale();
        try {
            plant.step(plantSeconds);
        } catch (RuntimeException e) {
            LOG.error("plant step failed", e);
        }
        for (Zone zone : zones.values()) {
            try {
                zone.plc.scan(now, plantSeconds);
            } catch (RuntimeException e) {
                // one PLC's bug must not stop the others (an exception here would cancel the loop)
                LOG.error("zone {}: scan failed", zone.plc.zone(), e);
            }
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** A running zone: its PLC and the PLC's connection, wired to each other. */
    private final class Zone implements MqttLink.Listener {
        private ZonePlc plc;
        private MqttLink link;

        @Override
        public void linkUp() {
            plc.linkUp(now());
        }

        @Override
        public void linkDown() {
            plc.linkDown(now());
        }

        @Override
        public void message(String topic, byte[] payload) {
            plc.onMessage(topic, payload, now());
        }
    }
}
