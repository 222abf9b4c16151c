package org.brewpi.sync;

import java.util.Map;

import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.history.HistoryStreams;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Store-and-forward of the local history to a central PostgreSQL (see {@link SyncEngine}): follows
 * every {@link HistoryStreams} service and ships their streams in the priority of
 * {@link StreamSources#PRIORITY}; streams without a PostgreSQL table are shown, not shipped.
 * <p>
 * Health (name {@value #NAME}): {@code state} (local only, connecting, syncing, retrying), the
 * target without password, per stream {@code rows.local}, {@code rows.synced}, {@code rows.waiting}
 * ({@code waiting}), {@code oldestWaitingTs}, {@code lastGoodSync}, {@code lastError} (see
 * {@link SyncEngine#report}), {@code unknown.streams}; {@code last.good.sync}, {@code last.error} with its kind (login
 * refused, read-only, permission denied, unreachable, schema problem); DEGRADED while rows wait and
 * the last attempt failed, or when a row has waited longer than {@code backlog.alarm.s} (then an
 * {@code alarm} detail says so, until the alarms service exists).
 * <p>
 * A configuration change restarts the component, so connection settings apply live.
 */
@Component(service = HealthContributor.class, configurationPid = SyncService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = SyncConfig.class)
public final class SyncService implements HealthContributor {

    static final String PID = "brewpi.sync";
    static final String NAME = "sync";

    private static final long REPORT_MAX_AGE_MS = 1000;

    private final StreamSources sources = new StreamSources();
    private final SyncEngine engine;
    private volatile Cached cached;

    @Activate
    public SyncService(SyncConfig config) {
        this.engine = new SyncEngine(sources, SyncSettings.from(config));
    }

    /** Every provider of record streams (historian, audit trail, alarm journal), as they come and go. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStreams(HistoryStreams provider) {
        sources.add(provider);
    }

    void removeStreams(HistoryStreams provider) {
        sources.remove(provider);
    }

    @Deactivate
    public void close() {
        engine.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status status() {
        return report().status() == SyncEngine.Status.UP ? Status.UP : Status.DEGRADED;
    }

    @Override
    public Map<String, Object> details() {
        return report().details();
    }

    /**
     * The backlog counts rows in H2; health asks for the status and the details one after the
     * other, and several clients may poll, so a report is reused for a second.
     */
    private SyncEngine.Report report() {
        long now = System.currentTimeMillis();
        Cached c = cached;
        if (c == null || now - c.at() >= REPORT_MAX_AGE_MS) {
            c = new Cached(engine.report(now), now);
            cached = c;
        }
        return c.report();
    }

    private record Cached(SyncEngine.Report report, long at) {
    }
}
