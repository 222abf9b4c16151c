package org.brewpi.rest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.history.Historian;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.ZoneDefinition;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/health}: bundles, zones, and every {@link HealthContributor}. Answers 200 when UP or
 * DEGRADED and 503 when DOWN, so a plain HTTP check can tell. It depends on nothing being present:
 * a missing plant or historian is reported, not a reason for the endpoint to vanish.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/health")
@HttpWhiteboardServletName("brewpi-api-health")
public class HealthServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final transient Supplier<List<HealthReport.BundleInfo>> bundles;
    private final transient AtomicReference<Plant> plant = new AtomicReference<>();
    private final transient AtomicReference<Historian> historian = new AtomicReference<>();
    private final transient List<HealthContributor> contributors = new CopyOnWriteArrayList<>();
    private final transient ZoneDirectory zones = new ZoneDirectory(plant::get);

    @Activate
    public HealthServlet(BundleContext context) {
        this(() -> bundleInfos(context));
    }

    HealthServlet(Supplier<List<HealthReport.BundleInfo>> bundles) {
        this.bundles = bundles;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPlant(Plant p) {
        plant.set(p);
    }

    void unsetPlant(Plant p) {
        plant.compareAndSet(p, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setHistorian(Historian h) {
        historian.set(h);
    }

    void unsetHistorian(Historian h) {
        historian.compareAndSet(h, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDefinition(ZoneDefinition definition) {
        zones.addDefinition(definition);
    }

    void removeDefinition(ZoneDefinition definition) {
        zones.removeDefinition(definition);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addContributor(HealthContributor contributor) {
        contributors.add(contributor);
    }

    void removeContributor(HealthContributor contributor) {
        contributors.remove(contributor);
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"GET".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("GET"));
        }
        Map<String, Object> report = report();
        send(resp, "DOWN".equals(report.get("status")) ? 503 : 200, report);
    }

    Map<String, Object> report() {
        Map<String, Map<String, Object>> components = HealthReport.components(contributors);
        HealthReport.requirePresent(components, "plant", plant.get() != null, "no plant service: zones are unknown");
        HealthReport.requirePresent(components, "historian", historian.get() != null,
                "no historian service: nothing is being recorded");
        // The live feed reports itself; without it, its servlet could not start.
        HealthReport.requirePresent(components, "live", components.containsKey("live"),
                "the live feed /api/live is not running (are the Jetty WebSocket bundles installed?)");
        components.replaceAll(this::jsonSafe);
        return HealthReport.build(System.currentTimeMillis(), ManagementFactory.getRuntimeMXBean().getUptime(),
                bundles.get(), ZoneDirectory.counts(zones.zones(), zones.configuredCount()), components);
    }

    /** A contributor's details that have no JSON form must not break the whole report. */
    private Map<String, Object> jsonSafe(String name, Map<String, Object> component) {
        try {
            json.tree(component);
            return component;
        } catch (IllegalArgumentException e) {
            return Map.of("status", component.getOrDefault("status", "DOWN"),
                    "message", "details of '" + name + "' cannot be shown as JSON");
        }
    }

    static List<HealthReport.BundleInfo> bundleInfos(BundleContext context) {
        List<HealthReport.BundleInfo> infos = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            infos.add(new HealthReport.BundleInfo(b.getBundleId(), b.getSymbolicName(), stateName(b.getState()),
                    fragment));
        }
        return infos;
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNKNOWN";
        };
    }
}
