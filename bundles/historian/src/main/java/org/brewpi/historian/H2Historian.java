package org.brewpi.historian;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.history.Historian;
import org.brewpi.api.history.HistoryPoint;
import org.brewpi.api.history.HistoryStreams;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneListener;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.h2store.SyncedStreams;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The box's local historian: every tag change, zone event and zone state transition the drivers
 * report is queued on the driver's thread and committed to H2 ({@code <data.dir>/history}) in
 * batches by one writer thread. Queries read the same file.
 * <p>
 * Health details (name {@value #NAME}): {@code state} (open, failed, closed), {@code file},
 * {@code error}, {@code alarm} and {@code set.aside.file} (a damaged file was moved aside at start-up and
 * a new one started: DEGRADED until the next start), {@code queue.depth}, {@code rows.samples} / {@code rows.events} /
 * {@code rows.zone_states} (rows committed since activation: what the ingest benchmark counts),
 * {@code rows.per_s}, {@code last.flush.ms} (insert, commit and sync of the last batch; {@code last.sync.ms}
 * the sync alone), {@code index.rows} / {@code index.last.ms} (samples indexed by tag for queries
 * since activation; it lags under heavy load and catches up after), {@code dropped} (records the full
 * queue could not take: should stay 0), {@code dropped.synced} / {@code dropped.unsynced} (samples dropped
 * for disk space, see {@link DiskGuard}), {@code removed.retention}, {@code disk.free.mb}, {@code disk.alarm},
 * {@code rejected} (bad records from a driver).
 * <p>
 * A configuration change restarts the component: the queue is flushed and the file closed
 * before the new one opens.
 */
@Component(service = { ZoneListener.class, Historian.class, HistoryStreams.class, HealthContributor.class },
        configurationPid = H2Historian.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = HistorianConfig.class)
public final class H2Historian implements ZoneListener, Historian, HistoryStreams, HealthContributor {

    static final String PID = "brewpi.historian";
    static final String NAME = "historian";

    private static final Logger LOG = LoggerFactory.getLogger(H2Historian.class);
    private static final long REJECT_LOG_INTERVAL_MS = 60_000;

    private final Settings settings;
    private final HistoryStore store;
    private final HistoryQueries queries;
    private final BatchWriter writer;
    private final SyncedStreams streams;

    /** Last recorded state and reason per zone, so counter updates are not recorded as transitions. */
    private final Map<String, String> recordedStates = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong lastRejectLog = new AtomicLong();

    @Activate
    public H2Historian(HistorianConfig config) {
        this(Settings.from(config));
    }

    H2Historian(Settings settings) {
        this(settings, DiskGuard.FreeSpace.FILE_STORE);
    }

    /** With the free-space reading of a test. */
    H2Historian(Settings settings, DiskGuard.FreeSpace freeSpace) {
        this.settings = settings;
        this.store = new HistoryStore(settings.directory());
        this.queries = new HistoryQueries(store);
        this.writer = new BatchWriter(store, settings, freeSpace);
        StreamStore rows = new StreamStore(store, writer::durableSeq);
        this.streams = new SyncedStreams("the history", Arrays.stream(Stream.values()).map(s -> s.rows).toList(),
                () -> rows);
    }

    /** Commits everything queued, then closes the file. */
    @Deactivate
    public void close() {
        writer.close();
        DiskGuard disk = writer.diskGuard();
        LOG.info("History closed: {} samples, {} events, {} zone states committed since start, {} dropped from the"
                + " full queue, {} synced and {} unsynced samples dropped for disk space, {} removed by retention",
                writer.committed(Stream.SAMPLES), writer.committed(Stream.EVENTS),
                writer.committed(Stream.ZONE_STATES), writer.dropped(), disk.droppedSynced(), disk.droppedUnsynced(),
                disk.removedByRetention());
    }

    // --- ZoneListener: called on the drivers' threads, so only checks and queues ---------------

    @Override
    public void tagsChanged(List<TagValue> values) {
        if (values == null) {
            return;
        }
        long deadline = writer.deadline();
        for (TagValue v : values) {
            if (v != null && identifier(v.zone(), HistoryStore.ZONE_MAX) && identifier(v.tag(), HistoryStore.TAG_MAX)
                    && v.quality() != null) {
                writer.enqueue(v, deadline);
            } else {
                reject("tag value", v);
            }
        }
    }

    @Override
    public void event(ZoneEvent event) {
        if (event != null && identifier(event.zone(), HistoryStore.ZONE_MAX) && event.kind() != null
                && event.code() != null) {
            writer.enqueue(event, writer.deadline());
        } else {
            reject("event", event);
        }
    }

    @Override
    public void zoneChanged(ZoneSnapshot zone) {
        if (zone == null || !identifier(zone.id(), HistoryStore.ZONE_MAX) || zone.state() == null) {
            reject("zone snapshot", zone);
            return;
        }
        String stateAndReason = zone.state() + "|" + zone.reason();
        if (!stateAndReason.equals(recordedStates.put(zone.id(), stateAndReason))) {
            writer.enqueue(new StateChange(zone.id(), System.currentTimeMillis(), zone.state(), zone.reason()),
                    writer.deadline());
        }
    }

    // --- Historian --------------------------------------------------------------------------

    /**
     * Raw samples when at most {@code maxPoints} fall between {@code from} and {@code to};
     * otherwise the span holding data is cut into equal time buckets (at most {@code maxPoints})
     * with count, min, max, avg, last value and worst quality each. Buckets a minute or wider
     * are whole minutes, counted from the minute of the first sample (they come from per-minute
     * summaries). Booleans count as 0/1; enum and string tags carry {@code last} only.
     *
     * @throws IllegalArgumentException for a missing zone or tag, or {@code maxPoints < 1}
     * @throws IllegalStateException when the H2 file cannot be read
     */
    @Override
    public List<HistoryPoint> history(String zone, String tag, long from, long to, int maxPoints) {
        if (zone == null || tag == null) {
            throw new IllegalArgumentException("history needs a zone and a tag");
        }
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be at least 1, not " + maxPoints);
        }
        try {
            return queries.history(zone, tag, from, to, maxPoints);
        } catch (SQLException e) {
            throw new IllegalStateException("history unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * The newest {@code limit} events between {@code from} and {@code to}, oldest first.
     * A {@code null} or blank zone means every zone.
     */
    @Override
    public List<ZoneEvent> events(String zone, long from, long to, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        try {
            return queries.events(zone == null || zone.isBlank() ? null : zone, from, to, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("events unavailable: " + e.getMessage(), e);
        }
    }

    // --- HistoryStreams: what the sync service reads ----------------------------------------

    @Override
    public List<String> streams() {
        return streams.streams();
    }

    @Override
    public StreamRows read(String stream, long afterSeq, int maxRows) {
        return streams.read(stream, afterSeq, maxRows);
    }

    @Override
    public void markSynced(String stream, long seq) {
        streams.markSynced(stream, seq);
    }

    @Override
    public StreamBacklog backlog(String stream) {
        return streams.backlog(stream);
    }

    // --- HealthContributor ------------------------------------------------------------------

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status status() {
        if (writer.state() != BatchWriter.State.OPEN) {
            return Status.DOWN;
        }
        DiskGuard disk = writer.diskGuard();
        return writer.dropped() > 0 || store.setAside() != null || disk.low() || disk.droppedUnsynced() > 0
                || disk.error() != null ? Status.DEGRADED : Status.UP;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", writer.state().name().toLowerCase());
        d.put("file", store.file().toString());
        String error = writer.error();
        if (error != null) {
            d.put("error", error);
        }
        HistoryStore.SetAside aside = store.setAside();
        if (aside != null) {
            d.put("alarm", "history file was damaged at start-up: moved aside to " + aside.movedTo()
                    + ", a new one started (" + aside.reason() + ")");
            d.put("set.aside.file", aside.movedTo().toString());
            d.put("set.aside.at", java.time.Instant.ofEpochMilli(aside.at()).toString());
        }
        d.put("schema.version", writer.schemaVersion());
        d.put("queue.depth", writer.queueDepth());
        d.put("queue.capacity", settings.queueCapacity());
        for (Stream stream : Stream.values()) {
            d.put("rows." + stream.table, writer.committed(stream));
        }
        d.put("rows.per_s", Math.round(writer.rowsPerSecond()));
        d.put("batches", writer.batches());
        d.put("last.flush.ms", writer.lastFlushMs());
        d.put("last.sync.ms", writer.lastSyncMs());
        d.put("last.batch.rows", writer.lastBatchRows());
        d.put("index.rows", writer.indexed());
        d.put("index.last.ms", writer.lastIndexMs());
        d.put("dropped", writer.dropped());
        DiskGuard disk = writer.diskGuard();
        d.put("dropped.synced", disk.droppedSynced());
        d.put("dropped.unsynced", disk.droppedUnsynced());
        d.put("removed.retention", disk.removedByRetention());
        d.put("retention.days", disk.policy().retentionMs() / 86_400_000.0);
        d.put("disk.min.free.mb", disk.policy().minFreeBytes() >> 20);
        if (disk.freeBytes() >= 0) {
            d.put("disk.free.mb", disk.freeBytes() >> 20);
        }
        if (disk.low()) {
            d.put("disk.alarm", "disk low under " + settings.directory() + ": " + (disk.freeBytes() >> 20)
                    + " MB free, minimum " + (disk.policy().minFreeBytes() >> 20) + " MB; oldest samples are dropped");
        }
        if (disk.error() != null) {
            d.put("disk.error", disk.error());
        }
        d.put("rejected", rejected.get());
        d.put("flush.ms", settings.flushMs());
        d.put("batch.size", settings.batchSize());
        return d;
    }

    /** Rows of a stream committed since activation (for tests and benchmarks in this bundle). */
    long committed(Stream stream) {
        return writer.committed(stream);
    }

    // --- helpers ----------------------------------------------------------------------------

    private static boolean identifier(String s, int max) {
        return s != null && !s.isEmpty() && s.length() <= max;
    }

    private void reject(String what, Object record) {
        long total = rejected.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastRejectLog.get();
        if (now - last >= REJECT_LOG_INTERVAL_MS && lastRejectLog.compareAndSet(last, now)) {
            String shown = String.valueOf(record);
            LOG.warn("History refused a {} without a valid zone, name or quality ({} refused so far): {}", what, total,
                    shown.length() > 200 ? shown.substring(0, 200) + "..." : shown);
        }
    }
}
