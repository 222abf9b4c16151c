package org.brewpi.alarms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.health.HealthContributor.Status;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the box's health into the conditions of its system alarms, one per health component plus
 * {@value Defaults#BUNDLES}. A component is alarming while it is DOWN (or its health check fails), or DEGRADED
 * with an {@code alarm} detail (it says itself that a person must act, e.g. the sync's backlog older than its
 * limit); DEGRADED without one (a retry under way, a queue filling) must last {@code degradedMs} first, so a
 * short outage is no nuisance alarm.
 * <p>
 * The components are looked at on a thread of its own, every {@code pollMs} and within a second when a component
 * or a bundle comes or goes: a slow health check never holds alarm evaluation. Each verdict is handed on.
 */
final class SystemWatch implements AutoCloseable {

    /** What a system alarm is judged on: whether it is alarming and, as its value, why. */
    record Health(boolean alarming, String text) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SystemWatch.class);
    private static final List<String> REASON_KEYS = List.of("alarm", "error", "last.error", "lastError", "journalError");
    private static final int TEXT_MAX = 240;

    private final LongSupplier clock;
    private final LongSupplier degradedMs;
    private final Consumer<Map<String, Health>> verdicts;
    private final Map<HealthContributor, String> components = new ConcurrentHashMap<>();
    /** Every component seen since start: its system alarm stays defined, so it can return and be acknowledged. */
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> degradedSince = new HashMap<>();
    private final ScheduledExecutorService poller;
    private final AtomicBoolean pollPending = new AtomicBoolean();
    private final BundleWatch bundles;

    /**
     * @param context the framework whose bundles {@code system.bundles} watches; {@code null}: none
     * @param verdicts receives each look at the health, by component tag
     */
    SystemWatch(LongSupplier clock, long pollMs, LongSupplier degradedMs, LongSupplier bundleErrorMs,
            BundleContext context, Consumer<Map<String, Health>> verdicts) {
        this.clock = clock;
        this.degradedMs = degradedMs;
        this.verdicts = verdicts;
        seen.add(Defaults.BUNDLES);
        seen.add(Defaults.ALARMS);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brewpi-alarms-health");
            t.setDaemon(true);
            return t;
        });
        this.bundles = context == null ? null : new BundleWatch(context, clock, bundleErrorMs, this::pollSoon);
        poller.scheduleWithFixedDelay(this::poll, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (bundles != null) {
            bundles.close();
        }
        poller.shutdownNow();
    }

    /** @return whether its name is new: then its system alarm must be defined */
    boolean add(HealthContributor component) {
        String tag = Defaults.componentTag(component.name());
        components.put(component, tag);
        pollSoon();
        return seen.add(tag);
    }

    void remove(HealthContributor component) {
        components.remove(component);
        pollSoon();
    }

    /** The tags of every component seen since start, {@value Defaults#BUNDLES} and {@value Defaults#ALARMS} included. */
    List<String> seen() {
        return new ArrayList<>(seen);
    }

    /** Looks at every component and the bundles now, on the caller's thread, and hands the verdict on. */
    void poll() {
        pollPending.set(false);
        try {
            Map<String, HealthContributor> byTag = new TreeMap<>();
            components.forEach((component, tag) -> byTag.put(tag, component));
            verdicts.accept(check(byTag, degradedMs.getAsLong(), bundles == null ? () -> null : bundles::problem));
        } catch (RuntimeException e) {
            LOG.error("Health poll for the system alarms failed: {}", e.toString(), e);
        }
    }

    /** A look within a second: a burst of changes (the box starting its bundles) makes one look, not hundreds. */
    private void pollSoon() {
        if (pollPending.compareAndSet(false, true)) {
            try {
                poller.schedule(this::poll, 1, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    private synchronized Map<String, Health> check(Map<String, HealthContributor> byTag, long degradedMs,
            Supplier<String> bundleProblem) {
        long now = clock.getAsLong();
        Map<String, Health> result = new HashMap<>();
        byTag.forEach((tag, component) -> result.put(tag, judge(tag, component, now, degradedMs)));
        degradedSince.keySet().retainAll(byTag.keySet());
        String problem;
        try {
            problem = bundleProblem.get();
        } catch (RuntimeException e) {
            problem = "bundle check failed: " + e;
        }
        result.put(Defaults.BUNDLES, new Health(problem != null, problem == null ? "all bundles well" : clip(problem)));
        return result;
    }

    private Health judge(String tag, HealthContributor component, long now, long degradedMs) {
        Status status;
        Map<String, Object> details;
        try {
            status = component.status();
            details = component.details();
        } catch (RuntimeException e) {
            LOG.warn("Health check of {} failed: {}", tag, e.toString());
            return new Health(true, clip("DOWN: its health check failed: " + e));
        }
        if (status == null || status == Status.UP) {
            degradedSince.remove(tag);
            return new Health(false, "UP");
        }
        String text = clip(status + ": " + reason(tag, status, details));
        if (status == Status.DOWN || details != null && details.get("alarm") != null) {
            return new Health(true, text);
        }
        long since = degradedSince.computeIfAbsent(tag, t -> now);
        return new Health(now - since >= degradedMs, text);
    }

    /** The component's own words: its {@code alarm} detail, else its error, else its status. */
    static String reason(String name, Status status, Map<String, Object> details) {
        if (details != null) {
            for (String key : REASON_KEYS) {
                Object value = details.get(key);
                if (value != null && !String.valueOf(value).isBlank()) {
                    return String.valueOf(value);
                }
            }
        }
        return name + " reports " + status;
    }

    private static String clip(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= TEXT_MAX ? oneLine : oneLine.substring(0, TEXT_MAX - 1) + "…";
    }
}
