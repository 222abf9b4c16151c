package org.brewpi.rest.live;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed's clients: fans every plant change out to each client's own queue and keeps the
 * pacing, ping and stall rules of {@link LiveClient}. All sending happens on the scheduler's thread.
 */
final class LiveHub {

    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);

    /**
     * @param minFlushIntervalMs the shortest time between two updates to one client: changes within it are coalesced
     * @param pingIntervalMs a ping this often lets a client tell a live but quiet feed from a lost one
     * @param maxPending pending changes per client beyond which its backlog is replaced by a snapshot
     * @param stallMs a send stuck this long drops the client
     */
    record Limits(long minFlushIntervalMs, long pingIntervalMs, int maxPending, long stallMs) {
        static final Limits DEFAULTS = new Limits(25, 2_000, 5_000, 10_000);
    }

    @FunctionalInterface
    interface Scheduler {
        void schedule(Runnable task, long delayMs);
    }

    /** What happened on the feed since start, for the health report. */
    static final class Counters {
        final LongAdder connects = new LongAdder();
        final LongAdder disconnects = new LongAdder();
        final LongAdder messages = new LongAdder();
        final LongAdder overflows = new LongAdder();
        final LongAdder stalled = new LongAdder();
        final LongAdder sendFailures = new LongAdder();
    }

    private final LiveEncoder encoder;
    private final Scheduler scheduler;
    private final LongSupplier monotonicMs;
    private final LongSupplier wallMs;
    private final Limits limits;
    private final Counters counters = new Counters();
    private final List<LiveClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    LiveHub(LiveEncoder encoder, Scheduler scheduler, LongSupplier monotonicMs, LongSupplier wallMs, Limits limits) {
        this.encoder = encoder;
        this.scheduler = scheduler;
        this.monotonicMs = monotonicMs;
        this.wallMs = wallMs;
        this.limits = limits;
    }

    LiveClient connect(LiveClient.Sink sink) {
        LiveClient client = new LiveClient(this, ids.incrementAndGet(), sink);
        clients.add(client);
        counters.connects.increment();
        LOG.info("live client {} connected from {} ({} connected)", client.id(), sink.remote(), clients.size());
        client.start();
        return client;
    }

    void removed(LiveClient client) {
        if (clients.remove(client)) {
            counters.disconnects.increment();
            LOG.info("live client {} ({}) gone ({} connected)", client.id(), client.remote(), clients.size());
        }
    }

    void tagsChanged(List<TagValue> values) {
        if (values.isEmpty()) {
            return;
        }
        for (LiveClient client : clients) {
            client.offerTags(values);
        }
    }

    void zoneChanged(ZoneSnapshot zone) {
        for (LiveClient client : clients) {
            client.offerZone(zone);
        }
    }

    void event(ZoneEvent event) {
        for (LiveClient client : clients) {
            client.offerEvent(event);
        }
    }

    /** The set of zones changed: everyone starts over from a snapshot. */
    void resnapshotAll() {
        for (LiveClient client : clients) {
            client.resnapshot();
        }
    }

    /** Pings, and drops stalled clients. */
    void tick() {
        for (LiveClient client : clients) {
            client.tick();
        }
    }

    void closeAll(int code, String reason) {
        for (LiveClient client : clients) {
            client.close(code, reason);
        }
    }

    int clientCount() {
        return clients.size();
    }

    Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("clients", clients.size());
        stats.put("connects", counters.connects.sum());
        stats.put("disconnects", counters.disconnects.sum());
        stats.put("messages", counters.messages.sum());
        stats.put("resnapshots", counters.overflows.sum());
        stats.put("stalledDropped", counters.stalled.sum());
        stats.put("sendFailures", counters.sendFailures.sum());
        return stats;
    }

    LiveEncoder encoder() {
        return encoder;
    }

    Limits limits() {
        return limits;
    }

    Counters counters() {
        return counters;
    }

    long nowMs() {
        return monotonicMs.getAsLong();
    }

    long wallMs() {
        return wallMs.getAsLong();
    }

    void schedule(Runnable task, long delayMs) {
        scheduler.schedule(task, delayMs);
    }
}
