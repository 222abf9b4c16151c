package org.brewpi.alarms;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.health.HealthContributor.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the box's health into the conditions of its system alarms, one per health component plus
 * {@value Defaults#BUNDLES}. A component is alarming while it is DOWN, or DEGRADED with an {@code alarm} detail
 * (it says itself that a person must act, e.g. the sync's backlog older than its limit); DEGRADED without one
 * (a retry under way, a queue filling) must last {@code degradedMs} first, so a short outage is no nuisance alarm.
 * <p>
 * Called on the engine's health thread: a slow or failing health check never holds alarm evaluation.
 */
final class SystemWatch {

    /** What a system alarm is judged on: whether it is alarming and, as its value, why. */
    record Health(boolean alarming, String text) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SystemWatch.class);
    private static final List<String> REASON_KEYS = List.of("alarm", "error", "last.error", "lastError", "journalError");
    private static final int TEXT_MAX = 240;

    private final LongSupplier clock;
    private final Map<String, Long> degradedSince = new HashMap<>();

    SystemWatch(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * @param components the health components by alarm tag ({@link Defaults#componentTag})
     * @param bundleProblem what is wrong with the bundles, {@code null} when nothing
     */
    synchronized Map<String, Health> check(Map<String, HealthContributor> components, long degradedMs,
            Supplier<String> bundleProblem) {
        long now = clock.getAsLong();
        Map<String, Health> result = new HashMap<>();
        components.forEach((tag, component) -> result.put(tag, judge(tag, component, now, degradedMs)));
        degradedSince.keySet().retainAll(components.keySet());
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
