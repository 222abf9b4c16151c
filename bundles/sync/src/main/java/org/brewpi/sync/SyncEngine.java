package org.brewpi.sync;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.brewpi.api.history.HistoryStreams;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;
import org.brewpi.sync.StreamSources.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one sync thread: for the most important stream with rows past its watermark, reads a batch
 * from the local store, ships it to PostgreSQL in one transaction, and moves the watermark only
 * after the commit. Then it starts again from the most important stream, so a burst of events is
 * never stuck behind a day of samples. Any failure drops the connection and waits, doubling the
 * pause up to a cap; the rows stay in the local store.
 */
final class SyncEngine implements AutoCloseable {

    enum State {
        /** No PostgreSQL configured: history stays on the box. */
        LOCAL_ONLY,
        /** Starting, or connected and shipping or idle. */
        CONNECTING, SYNCING,
        /** The last attempt failed; waiting before the next. */
        RETRYING,
        CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

    private final StreamSources sources;
    private final SyncSettings settings;
    private final PgSchema schema;
    private final PgShipper shipper;
    private final Thread thread;
    private final Object wakeUp = new Object();
    private volatile boolean stopping;

    // written by the sync thread, read by health
    private volatile State state;
    private volatile String lastError;
    private volatile String lastErrorKind;
    private volatile long lastErrorAt;
    private volatile long lastGoodSyncAt;
    private volatile long retryMs;
    private volatile int schemaVersion;
    private final Map<String, AtomicLong> shipped = new ConcurrentHashMap<>();
    /** Per stream: when it last shipped a batch or was found caught up, and its own last failure. */
    private final Map<String, Long> lastGoodSyncOf = new ConcurrentHashMap<>();
    private final Map<String, String> lastErrorOf = new ConcurrentHashMap<>();
    private final AtomicLong overlappingBatches = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();

    /** Owned by the sync thread. */
    private Connection connection;
    private final ExecutorService reader;
    private Future<Prepared> readAhead;
    private Source aheadSource;
    private long aheadAfter;
    /** Per source, the last seq PostgreSQL has committed; read from the provider when first seen. */
    private final Map<Source, Long> watermarks = new HashMap<>();
    /** The stream being shipped, for naming it in a failure. */
    private String current;

    /** One provider, fixed (tests, benchmarks). */
    SyncEngine(HistoryStreams history, SyncSettings settings) {
        this(new StreamSources(history), settings);
    }

    /** The providers in {@code sources}, as they come and go. */
    SyncEngine(StreamSources sources, SyncSettings settings) {
        this.sources = sources;
        this.settings = settings;
        this.schema = new PgSchema(settings.schema());
        this.shipper = new PgShipper(settings.schema(), settings.site());
        this.retryMs = settings.retryMinMs();
        if (settings.configured()) {
            state = State.CONNECTING;
            reader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "brewpi-sync-reader");
                t.setDaemon(true);
                return t;
            });
            thread = new Thread(this::run, "brewpi-sync");
            thread.setDaemon(true);
            thread.start();
            LOG.info("Sync to PostgreSQL: {}", settings.target());
        } else {
            state = State.LOCAL_ONLY;
            thread = null;
            reader = null;
            LOG.info("Sync to PostgreSQL off: no URL configured (brewpi.sync url or BREWPI_PG_URL); history stays local");
        }
    }

    private void run() {
        while (!stopping) {
            try {
                if (connection == null) {
                    connect();
                }
                if (!shipOneBatch()) {
                    pause(settings.idleMs());
                }
                retryMs = settings.retryMinMs();
            } catch (SQLException | RuntimeException e) {
                failed(e);
                pause(retryMs);
                retryMs = Math.min(retryMs * 2, settings.retryMaxMs());
            }
        }
        disconnect();
        reader.shutdownNow();
        state = State.CLOSED;
    }

    private void connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", settings.user());
        p.setProperty("password", settings.password());
        p.setProperty("ApplicationName", "brewpi-sync " + settings.site());
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "120"); // a half-open TCP connection must not hang the sync for ever
        p.setProperty("tcpKeepAlive", "true");
        // the driver directly: DriverManager's class-loader lookup does not work inside OSGi
        Connection c = new org.postgresql.Driver().connect(settings.url(), p);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: " + settings.url(), "08001");
        }
        try {
            schemaVersion = schema.migrate(c);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        connection = c;
        watermarks.clear(); // read again from the providers: they are the durable truth
        if (state != State.SYNCING) {
            LOG.info("Sync connected to PostgreSQL {} (schema {} version {})", settings.url(), settings.schema(),
                    schemaVersion);
        }
        state = State.SYNCING;
    }

    /** A batch read from the local store and turned into COPY text, ready to ship. */
    private record Prepared(Source source, long after, StreamRows rows, byte[] copyText) {
    }

    private Prepared prepare(Source source, long after) {
        StreamRows rows = source.provider().read(source.stream(), after, settings.batchSize());
        if (!rows.stream().equals(source.stream())) {
            throw new IllegalStateException("asked for stream " + source.stream() + ", got rows of " + rows.stream());
        }
        return new Prepared(source, after, rows,
                rows.rows().isEmpty() ? new byte[0] : shipper.copyText(rows).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The batch of the stream after {@code after}: the one read ahead while the previous batch was
     * being copied, if it is that one, otherwise read now.
     */
    private Prepared take(Source source, long after) {
        Future<Prepared> ahead = readAhead;
        if (ahead == null || !source.equals(aheadSource)) {
            return prepare(source, after); // keep the other stream's read-ahead for when it is its turn
        }
        readAhead = null;
        if (aheadAfter == after) {
            try {
                return ahead.get();
            } catch (ExecutionException e) {
                // read again below, where a failure is reported as usual
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        } else {
            ahead.cancel(false);
        }
        return prepare(source, after);
    }

    /** The source's watermark, read from its provider the first time it is seen. */
    private long watermark(Source source) {
        Long w = watermarks.get(source);
        if (w == null) {
            w = source.provider().backlog(source.stream()).syncedSeq();
            watermarks.put(source, w);
        }
        return w;
    }

    /** Ships one batch of the most important stream with rows waiting; false if none waits. */
    private boolean shipOneBatch() throws SQLException {
        List<Source> shippable = sources.snapshot().shipped();
        watermarks.keySet().retainAll(shippable); // providers gone; one that comes back is read afresh
        for (Source source : shippable) {
            String stream = source.stream();
            current = stream;
            long after = watermark(source);
            Prepared batch = take(source, after);
            StreamRows rows = batch.rows();
            if (rows.rows().isEmpty()) {
                caughtUp(stream);
                continue;
            }
            // the next batch of this stream is read and formatted while this one is copied
            long next = rows.lastSeq(after);
            aheadSource = source;
            aheadAfter = next;
            readAhead = reader.submit(() -> prepare(source, next));
            if (stream.equals("samples")) {
                int ts = rows.columns().indexOf("ts");
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                for (Object[] r : rows.rows()) {
                    long t = ((Number) r[ts]).longValue();
                    min = Math.min(min, t);
                    max = Math.max(max, t);
                }
                schema.ensurePartitions(connection, min, max);
            }
            PgShipper.Shipped result = shipper.ship(connection, rows, batch.copyText());
            long last = rows.lastSeq(after);
            // PostgreSQL has committed: only now may the watermark move
            watermarks.put(source, last);
            source.provider().markSynced(stream, last);
            shipped.computeIfAbsent(stream, k -> new AtomicLong()).addAndGet(rows.rows().size());
            caughtUp(stream);
            batches.incrementAndGet();
            if (result.overlapped()) {
                overlappingBatches.incrementAndGet();
                LOG.info("Sync: {} batch up to seq {} was partly in PostgreSQL already (re-sent after a restart);"
                        + " {} of {} rows were new", stream, last, result.inserted(), rows.rows().size());
            }
            if (lastError != null) {
                LOG.info("Sync to PostgreSQL working again after: {}", lastError);
                lastError = null;
                lastErrorKind = null;
            }
            lastGoodSyncAt = System.currentTimeMillis();
            current = null;
            return true;
        }
        current = null;
        lastGoodSyncAt = System.currentTimeMillis(); // caught up is a good sync too
        if (lastError != null) {
            LOG.info("Sync to PostgreSQL working again after: {}", lastError);
            lastError = null;
            lastErrorKind = null;
        }
        return false;
    }

    /** The stream shipped a batch, or had nothing waiting: a good sync of it. */
    private void caughtUp(String stream) {
        lastGoodSyncOf.put(stream, System.currentTimeMillis());
        lastErrorOf.remove(stream);
    }

    private void failed(Exception e) {
        String kind = kind(e);
        String message = kind + ": " + oneLine(e.getMessage());
        if (!message.equals(lastError)) {
            LOG.warn("Sync to PostgreSQL failed, rows stay on the box and are retried: {}", message);
        }
        lastError = message;
        lastErrorKind = kind;
        if (current != null) {
            lastErrorOf.put(current, message);
            current = null;
        }
        lastErrorAt = System.currentTimeMillis();
        state = State.RETRYING;
        disconnect();
    }

    /** A short, stable name for what went wrong, from the SQL state. */
    static String kind(Exception e) {
        String sqlState = e instanceof SQLException s && s.getSQLState() != null ? s.getSQLState() : "";
        if (sqlState.startsWith("28")) {
            return "login refused";
        }
        if (sqlState.equals("25006")) {
            return "read-only";
        }
        if (sqlState.equals("42501")) {
            return "permission denied";
        }
        if (sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P03")) {
            return "unreachable";
        }
        if (sqlState.startsWith("3D") || sqlState.startsWith("42")) {
            return "schema problem";
        }
        if (e instanceof IllegalStateException) {
            return "local store";
        }
        return "error";
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        String line = s.replace('\n', ' ').strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private void pause(long ms) {
        synchronized (wakeUp) {
            if (stopping) {
                return;
            }
            try {
                wakeUp.wait(ms);
            } catch (InterruptedException e) {
                stopping = true;
            }
        }
    }

    private void disconnect() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the connection is being dropped anyway
        }
    }

    /** Stops after the batch in flight (its watermark moves if PostgreSQL committed it). */
    @Override
    public void close() {
        stopping = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state = State.CLOSED;
    }

    // --- what health shows --------------------------------------------------------------------

    State state() {
        return state;
    }

    String lastError() {
        return lastError;
    }

    long shipped(String stream) {
        AtomicLong n = shipped.get(stream);
        return n == null ? 0 : n.get();
    }

    /**
     * Health of the sync: status and details, with the backlog of every stream of every provider
     * read from its store. Per stream: {@code rows.local}, {@code rows.synced}, {@code rows.waiting}
     * (also as {@code waiting}), {@code oldestWaitingTs} and {@code oldest.waiting.age.s},
     * {@code lastGoodSync}, {@code lastError}, {@code synced} (false for a stream PostgreSQL has no
     * table for, or offered twice).
     */
    Report report(long now) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", state.name().toLowerCase().replace('_', ' '));
        d.putAll(settings.shown());
        StreamSources.Snapshot snapshot = sources.snapshot();
        long oldestWaiting = Long.MAX_VALUE;
        long waitingTotal = 0;
        String unreadable = null;
        Map<String, Object> streams = new LinkedHashMap<>();
        for (Source source : snapshot.all()) {
            boolean synced = snapshot.shipped().contains(source);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("synced", synced);
            try {
                StreamBacklog b = source.provider().backlog(source.stream());
                s.put("rows.local", b.localRows());
                s.put("rows.synced", b.localRows() - b.waiting());
                s.put("rows.waiting", b.waiting());
                s.put("waiting", b.waiting());
                s.put("synced.seq", b.syncedSeq());
                s.put("oldestWaitingTs", b.oldestWaitingTs());
                if (b.oldestWaitingTs() != null) {
                    s.put("oldest.waiting.age.s", Math.max(0, now - b.oldestWaitingTs()) / 1000);
                    if (synced) {
                        oldestWaiting = Math.min(oldestWaiting, b.oldestWaitingTs());
                    }
                }
                waitingTotal += b.waiting();
            } catch (RuntimeException e) {
                unreadable = oneLine(e.getMessage());
                s.put("error", unreadable);
            }
            if (synced) {
                Long good = lastGoodSyncOf.get(source.stream());
                s.put("lastGoodSync", good == null ? null : Instant.ofEpochMilli(good).toString());
                String error = lastErrorOf.getOrDefault(source.stream(), lastError);
                s.put("lastError", error);
                s.put("shipped.since.start", shipped(source.stream()));
            } else {
                s.put("lastGoodSync", null);
                s.put("lastError", snapshot.unknown().contains(source)
                        ? "no PostgreSQL table for this stream: kept on the box, not synced"
                        : "stream offered by two providers: only the first one is synced");
            }
            // a stream offered twice keeps the first provider's entry under its name
            streams.putIfAbsent(source.stream(), s);
        }
        d.put("streams", streams);
        List<String> notSynced = snapshot.unknown().stream().map(Source::stream).toList();
        if (!notSynced.isEmpty()) {
            d.put("unknown.streams", notSynced);
        }
        if (!snapshot.duplicates().isEmpty()) {
            d.put("duplicate.streams", snapshot.duplicates().stream().map(Source::stream).toList());
        }
        d.put("rows.waiting", waitingTotal);
        d.put("batches", batches.get());
        d.put("batches.overlapping", overlappingBatches.get());
        if (lastGoodSyncAt > 0) {
            d.put("last.good.sync", Instant.ofEpochMilli(lastGoodSyncAt).toString());
        }
        if (lastError != null) {
            d.put("last.error", lastError);
            d.put("last.error.kind", lastErrorKind);
            d.put("last.error.at", Instant.ofEpochMilli(lastErrorAt).toString());
            d.put("retry.ms", retryMs);
        }
        d.put("backlog.alarm.s", settings.backlogAlarmMs() / 1000);
        boolean alarm = settings.configured() && oldestWaiting != Long.MAX_VALUE
                && now - oldestWaiting > settings.backlogAlarmMs();
        if (alarm) {
            d.put("alarm", "sync backlog: the oldest row has waited " + (now - oldestWaiting) / 1000
                    + " s for PostgreSQL (limit " + settings.backlogAlarmMs() / 1000 + " s)"
                    + (lastError == null ? "" : "; " + lastError));
        }
        boolean strayStreams = !notSynced.isEmpty() || !snapshot.duplicates().isEmpty();
        Status status;
        if (!settings.configured()) {
            status = unreadable == null ? Status.UP : Status.DEGRADED;
        } else if (alarm || unreadable != null || strayStreams || (lastError != null && waitingTotal > 0)) {
            status = Status.DEGRADED;
        } else {
            status = Status.UP;
        }
        return new Report(status, d);
    }

    enum Status {
        UP, DEGRADED
    }

    record Report(Status status, Map<String, Object> details) {
    }
}
