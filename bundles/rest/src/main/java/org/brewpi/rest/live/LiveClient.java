package org.brewpi.rest.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live-feed connection and what it has yet to be sent.
 * <p>
 * Changes are coalesced: a tag or zone that changes again before the next flush is sent once, with
 * its latest value; events are kept in order. Flushes are paced (at most one per
 * {@link LiveHub.Limits#minFlushIntervalMs()}) and a flush waits until the previous one has left,
 * so a slow client just gets fewer, bigger updates. If its backlog still outgrows
 * {@link LiveHub.Limits#maxPending()}, the backlog is dropped and the client gets a fresh snapshot;
 * if a send does not complete for {@link LiveHub.Limits#stallMs()}, the connection is dropped.
 * Nothing here ever blocks the caller: drivers only add to maps under a short lock.
 */
final class LiveClient {

    private static final Logger LOG = LoggerFactory.getLogger(LiveClient.class);

    /** The connection, as the client sees it. */
    interface Sink {
        /** Sends one text message; {@code done} gets {@code null} once sent, or the failure. */
        void send(String text, Consumer<Throwable> done);

        /** Closes with a close frame. */
        void close(int code, String reason);

        /** Drops the connection at once, without a close handshake (it is stuck). */
        void abort();

        String remote();
    }

    private final LiveHub hub;
    private final long id;
    private final Sink sink;

    // Everything below is guarded by this.
    private final Map<String, TagValue> tags = new LinkedHashMap<>();
    private final Map<String, ZoneSnapshot> zones = new LinkedHashMap<>();
    private final ArrayDeque<ZoneEvent> events = new ArrayDeque<>();
    private boolean snapshotDue = true;
    private boolean pingDue;
    private boolean flushScheduled;
    private boolean flushing;
    private int inFlight;
    private long lastFlushAt = Long.MIN_VALUE / 2;
    private long sendingSince;
    private long overflows;
    private boolean closed;

    LiveClient(LiveHub hub, long id, Sink sink) {
        this.hub = hub;
        this.id = id;
        this.sink = sink;
    }

    long id() {
        return id;
    }

    String remote() {
        return sink.remote();
    }

    /** Schedules the first message, the snapshot. */
    synchronized void start() {
        scheduleIfReady();
    }

    synchronized void offerTags(List<TagValue> values) {
        if (closed) {
            return;
        }
        if (!snapshotDue) { // a due snapshot will carry them anyway
            for (TagValue v : values) {
                tags.put(v.zone() + '/' + v.tag(), v);
            }
        }
        afterOffer();
    }

    synchronized void offerZone(ZoneSnapshot zone) {
        if (closed) {
            return;
        }
        if (!snapshotDue) {
            zones.put(zone.id(), zone);
        }
        afterOffer();
    }

    synchronized void offerEvent(ZoneEvent event) {
        if (closed) {
            return;
        }
        events.add(event); // a snapshot does not carry events: keep them even when one is due
        afterOffer();
    }

    /** Replaces whatever is pending with a fresh snapshot (the set of zones changed). */
    synchronized void resnapshot() {
        if (closed) {
            return;
        }
        tags.clear();
        zones.clear();
        snapshotDue = true;
        scheduleIfReady();
    }

    /**
     * Called every ping interval: asks for a ping, or drops the client if its last send has been
     * stuck for longer than the stall limit.
     */
    void tick() {
        long stuckFor;
        synchronized (this) {
            if (closed) {
                return;
            }
            stuckFor = inFlight > 0 ? hub.nowMs() - sendingSince : 0;
            if (stuckFor <= hub.limits().stallMs()) {
                pingDue = true;
                scheduleIfReady();
                return;
            }
        }
        hub.counters().stalled.increment();
        LOG.warn("live client {} ({}) has not taken a message for {} ms: dropped", id, sink.remote(), stuckFor);
        abort();
    }

    private void afterOffer() {
        int pending = tags.size() + zones.size() + events.size();
        if (pending > hub.limits().maxPending()) {
            tags.clear();
            zones.clear();
            events.clear();
            snapshotDue = true;
            hub.counters().overflows.increment();
            if (overflows++ == 0) {
                LOG.warn("live client {} ({}) fell {} changes behind: its backlog is replaced by a snapshot", id,
                        sink.remote(), pending);
            }
        }
        scheduleIfReady();
    }

    private void scheduleIfReady() {
        if (closed || flushScheduled || flushing || inFlight > 0 || !hasWork()) {
            return;
        }
        flushScheduled = true;
        long delay = Math.max(0, lastFlushAt + hub.limits().minFlushIntervalMs() - hub.nowMs());
        hub.schedule(this::flush, delay);
    }

    private boolean hasWork() {
        return snapshotDue || pingDue || !tags.isEmpty() || !zones.isEmpty() || !events.isEmpty();
    }

    /** Sends everything pending, as few messages as the protocol allows. Runs on the hub's thread. */
    void flush() {
        boolean snapshot;
        boolean ping;
        List<ZoneSnapshot> zoneChanges;
        List<TagValue> tagChanges;
        List<ZoneEvent> newEvents;
        synchronized (this) {
            flushScheduled = false;
            if (closed || flushing || inFlight > 0 || !hasWork()) {
                return;
            }
            snapshot = snapshotDue;
            ping = pingDue;
            zoneChanges = snapshot ? List.of() : new ArrayList<>(zones.values());
            tagChanges = snapshot ? List.of() : new ArrayList<>(tags.values());
            newEvents = new ArrayList<>(events);
            snapshotDue = false;
            pingDue = false;
            zones.clear();
            tags.clear();
            events.clear();
            flushing = true;
            lastFlushAt = hub.nowMs();
        }
        List<String> messages;
        try {
            messages = encode(snapshot, zoneChanges, tagChanges, newEvents, ping);
        } catch (RuntimeException e) {
            LOG.error("live client {}: cannot build its update, closing: {}", id, e.toString(), e);
            close(1011, "server error");
            return;
        }
        synchronized (this) {
            flushing = false;
            if (closed) {
                return;
            }
            inFlight = messages.size();
            sendingSince = hub.nowMs();
        }
        for (String message : messages) {
            sink.send(message, this::sent);
        }
    }

    private List<String> encode(boolean snapshot, List<ZoneSnapshot> zoneChanges, List<TagValue> tagChanges,
            List<ZoneEvent> newEvents, boolean ping) {
        LiveEncoder encoder = hub.encoder();
        long time = hub.wallMs();
        List<String> messages = new ArrayList<>();
        if (snapshot) {
            messages.add(encoder.snapshot(time));
        }
        // Zone changes first: a zone going offline explains the qualities in the tag changes after it.
        for (ZoneSnapshot zone : zoneChanges) {
            messages.add(encoder.zone(zone, time));
        }
        if (!tagChanges.isEmpty()) {
            messages.add(encoder.tags(tagChanges, time));
        }
        for (ZoneEvent event : newEvents) {
            messages.add(encoder.event(event, time));
        }
        if (ping) {
            messages.add(encoder.ping(time));
        }
        return messages;
    }

    private void sent(Throwable failure) {
        if (failure != null) {
            hub.counters().sendFailures.increment();
            LOG.debug("live client {}: send failed: {}", id, failure.toString());
            abort();
            return;
        }
        hub.counters().messages.increment();
        synchronized (this) {
            if (inFlight > 0 && --inFlight == 0) {
                scheduleIfReady();
            }
        }
    }

    /** Closes the connection with a close frame. */
    void close(int code, String reason) {
        if (markClosed()) {
            sink.close(code, reason);
        }
    }

    void abort() {
        if (markClosed()) {
            sink.abort();
        }
    }

    /** The peer closed the connection, or it failed. */
    void closedByPeer() {
        markClosed();
    }

    private boolean markClosed() {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            tags.clear();
            zones.clear();
            events.clear();
        }
        hub.removed(this);
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
