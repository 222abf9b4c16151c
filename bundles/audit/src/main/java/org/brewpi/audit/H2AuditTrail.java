package org.brewpi.audit;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.audit.AuditVerification;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.history.HistoryStreams;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;
import org.brewpi.h2store.SyncedStreams;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail service. If the file cannot be opened the component does not start, and whatever
 * requires an audit trail (the command gate) does not start either: no write without its record.
 */
@Component(service = { AuditTrail.class, HealthContributor.class, HistoryStreams.class }, configurationPid = "brewpi.audit")
@Designate(ocd = AuditConfig.class)
public class H2AuditTrail implements AuditTrail, HealthContributor, HistoryStreams {

    private static final Logger LOG = LoggerFactory.getLogger(H2AuditTrail.class);

    /** How often new entries are forced onto the device: the most a power cut can take. */
    static final long DEVICE_SYNC_MS = 200;

    private final AuditStore store;
    private final SyncedStreams streams;
    private final ScheduledExecutorService deviceSync;
    private volatile String lastError;

    @Activate
    public H2AuditTrail(AuditConfig config) throws Exception {
        Path dir = Path.of(config.data_dir()).resolve("audit");
        this.store = new AuditStore(dir);
        this.streams = new SyncedStreams("the audit trail", List.of(AuditStore.TABLE), () -> store);
        // An fsync per entry would put milliseconds on every write to the plant: entries are written out to the
        // OS at once (they survive the process) and onto the device in groups, at most DEVICE_SYNC_MS later.
        this.deviceSync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brewpi-audit-sync");
            t.setDaemon(true);
            return t;
        });
        deviceSync.scheduleWithFixedDelay(this::syncToDevice, DEVICE_SYNC_MS, DEVICE_SYNC_MS, TimeUnit.MILLISECONDS);
        LOG.info("Audit trail {} open: {} entries", dir, store.lastSeq());
    }

    private void syncToDevice() {
        try {
            store.syncToDevice();
        } catch (SQLException | RuntimeException e) {
            lastError = e.getMessage();
            LOG.warn("Audit trail not synced to the device: {}", e.getMessage());
        }
    }

    @Deactivate
    void close() throws SQLException {
        deviceSync.shutdown();
        try {
            deviceSync.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    @Override
    public AuditEntry append(AuditEntry entry) {
        try {
            return store.append(entry, System.currentTimeMillis());
        } catch (SQLException e) {
            lastError = e.getMessage();
            LOG.error("Audit entry could not be stored ({} {} by {}): {}", entry.action(), entry.target(), entry.actor(),
                    e.getMessage());
            throw new IllegalStateException("the audit trail cannot store entries: " + e.getMessage(), e);
        }
    }

    @Override
    public List<AuditEntry> entries(long afterSeq, long from, long to, String actor, String target, int limit) {
        try {
            return store.entries(afterSeq, from, to, actor, target, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("the audit trail cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public AuditVerification verify() {
        try {
            AuditVerification result = store.verify();
            if (!result.ok()) {
                LOG.error("Audit trail does not verify: entry {} is {}", result.firstBad(), result.problem());
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("the audit trail cannot be read: " + e.getMessage(), e);
        }
    }

    // ---- HistoryStreams: the trail as the sync service reads it ----

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

    // ---- HealthContributor ----

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public Status status() {
        return lastError == null ? Status.UP : Status.DEGRADED;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("entries", store.lastSeq());
        d.put("head", store.lastHash().substring(0, 16));
        if (lastError != null) {
            d.put("lastError", lastError);
        }
        return d;
    }
}
