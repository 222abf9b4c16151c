package org.brewpi.rest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.health.HealthContributor.Status;

/**
 * Builds {@code /api/health}. The overall status is DOWN when a part the box cannot work without
 * (broker, historian, plant) is DOWN; DEGRADED when any other part is not UP or a bundle is not
 * active; UP otherwise. Zones being offline is the plant's state, not the box's: it is reported
 * under {@code zones} and does not change the status.
 */
public final class HealthReport {

    /** Parts without which the box is down. */
    public static final Set<String> ESSENTIAL = Set.of("broker", "historian", "plant");

    /** @param fragment fragments never become ACTIVE, RESOLVED is their normal state */
    public record BundleInfo(long id, String name, String state, boolean fragment) {
    }

    private HealthReport() {
    }

    public static Map<String, Object> build(long now, long uptimeMs, List<BundleInfo> bundles,
            Map<String, Object> zoneCounts, Map<String, Map<String, Object>> components) {
        List<Map<String, Object>> notActive = new ArrayList<>();
        int active = 0;
        for (BundleInfo b : bundles) {
            if ("ACTIVE".equals(b.state())) {
                active++;
            } else if (!(b.fragment() && "RESOLVED".equals(b.state()))) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", b.id());
                entry.put("name", b.name());
                entry.put("state", b.state());
                notActive.add(entry);
            }
        }
        Map<String, Object> bundleSummary = new LinkedHashMap<>();
        bundleSummary.put("total", bundles.size());
        bundleSummary.put("active", active);
        bundleSummary.put("notActive", notActive);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", overall(components, !notActive.isEmpty()).name());
        report.put("time", now);
        report.put("uptimeMs", uptimeMs);
        report.put("bundles", bundleSummary);
        report.put("zones", zoneCounts);
        report.put("components", components);
        return report;
    }

    static Status overall(Map<String, Map<String, Object>> components, boolean bundlesNotActive) {
        Status overall = bundlesNotActive ? Status.DEGRADED : Status.UP;
        for (Map.Entry<String, Map<String, Object>> c : components.entrySet()) {
            Object status = c.getValue().get("status");
            if (Status.UP.name().equals(status)) {
                continue;
            }
            if (Status.DOWN.name().equals(status) && ESSENTIAL.contains(c.getKey())) {
                return Status.DOWN;
            }
            overall = Status.DEGRADED;
        }
        return overall;
    }

    /**
     * Asks every contributor how it is doing. A contributor that throws is reported DOWN with the
     * reason instead of breaking the report; a repeated name gets a suffix.
     */
    public static Map<String, Map<String, Object>> components(Collection<HealthContributor> contributors) {
        Map<String, Map<String, Object>> components = new TreeMap<>();
        for (HealthContributor contributor : contributors) {
            String name = nameOf(contributor);
            String key = name;
            for (int i = 2; components.containsKey(key); i++) {
                key = name + "#" + i;
            }
            components.put(key, describe(contributor));
        }
        return components;
    }

    /** A part that should exist but does not: DOWN, unless a contributor of that name already reported. */
    public static void requirePresent(Map<String, Map<String, Object>> components, String name, boolean present,
            String missingMessage) {
        if (!present && !components.containsKey(name)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", Status.DOWN.name());
            entry.put("message", missingMessage);
            components.put(name, entry);
        }
    }

    private static String nameOf(HealthContributor contributor) {
        try {
            String name = contributor.name();
            return name == null || name.isBlank() ? contributor.getClass().getSimpleName() : name;
        } catch (RuntimeException e) {
            return contributor.getClass().getSimpleName();
        }
    }

    private static Map<String, Object> describe(HealthContributor contributor) {
        Map<String, Object> entry = new LinkedHashMap<>();
        try {
            Status status = contributor.status();
            entry.put("status", (status == null ? Status.DOWN : status).name());
            Map<String, Object> details = contributor.details();
            if (details != null) {
                details.forEach((k, v) -> {
                    if (!"status".equals(k)) {
                        entry.put(k, v);
                    }
                });
            }
        } catch (RuntimeException e) {
            entry.clear();
            entry.put("status", Status.DOWN.name());
            entry.put("message", "health check failed: " + e);
        }
        return entry;
    }
}
