package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.rest.Fixtures.Contributor;
import org.brewpi.rest.HealthReport.BundleInfo;
import org.junit.jupiter.api.Test;

class HealthReportTest {

    private static final List<BundleInfo> ALL_ACTIVE = List.of(new BundleInfo(0, "org.apache.felix.framework",
            "ACTIVE", false), new BundleInfo(7, "org.brewpi.rest", "ACTIVE", false));

    private static Map<String, Object> report(List<BundleInfo> bundles, HealthContributor... contributors) {
        return HealthReport.build(42, 1000, bundles, Map.of("configured", 0),
                HealthReport.components(List.of(contributors)));
    }

    @Test
    void upWhenEverythingIsUp() {
        Map<String, Object> report = report(ALL_ACTIVE, new Contributor("broker", Status.UP, Map.of("clients", 6)),
                new Contributor("historian", Status.UP, Map.of()));

        assertThat(report).containsEntry("status", "UP").containsEntry("time", 42L).containsEntry("uptimeMs", 1000L);
        assertThat(report.keySet()).containsExactly("status", "time", "uptimeMs", "bundles", "zones", "components");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> components = (Map<String, Map<String, Object>>) report.get("components");
        assertThat(components.get("broker")).containsEntry("status", "UP").containsEntry("clients", 6);
    }

    @Test
    void downOnlyWhenAnEssentialPartIsDown() {
        assertThat(report(ALL_ACTIVE, new Contributor("historian", Status.DOWN, Map.of())))
                .containsEntry("status", "DOWN");
        assertThat(report(ALL_ACTIVE, new Contributor("broker", Status.DOWN, Map.of())))
                .containsEntry("status", "DOWN");
        assertThat(report(ALL_ACTIVE, new Contributor("sync", Status.DOWN, Map.of())))
                .containsEntry("status", "DEGRADED");
        assertThat(report(ALL_ACTIVE, new Contributor("broker", Status.DEGRADED, Map.of())))
                .containsEntry("status", "DEGRADED");
    }

    @Test
    void aBundleNotActiveDegradesButAResolvedFragmentDoesNot() {
        List<BundleInfo> bundles = List.of(new BundleInfo(0, "framework", "ACTIVE", false),
                new BundleInfo(3, "some.fragment", "RESOLVED", true),
                new BundleInfo(9, "org.brewpi.sim", "INSTALLED", false));

        Map<String, Object> report = report(bundles);

        assertThat(report).containsEntry("status", "DEGRADED");
        assertThat(report.get("bundles")).isEqualTo(Map.of("total", 3, "active", 1,
                "notActive", List.of(Map.of("id", 9L, "name", "org.brewpi.sim", "state", "INSTALLED"))));
    }

    @Test
    void aFailingContributorIsReportedDownWithoutBreakingTheReport() {
        HealthContributor fine = new Contributor("historian", Status.UP, Map.of());
        HealthContributor throwing = new HealthContributor() {
            @Override
            public String name() {
                return "sync";
            }

            @Override
            public Status status() {
                throw new IllegalStateException("database locked");
            }

            @Override
            public Map<String, Object> details() {
                return Map.of();
            }
        };

        Map<String, Map<String, Object>> components = HealthReport.components(List.of(fine, throwing));

        assertThat(components.get("sync")).containsEntry("status", "DOWN");
        assertThat((String) components.get("sync").get("message")).contains("database locked");
        assertThat(HealthReport.overall(components, false)).isEqualTo(Status.DEGRADED);
    }

    @Test
    void duplicateNamesAreKeptApartAndDetailsCannotOverrideStatus() {
        Map<String, Map<String, Object>> components = HealthReport.components(List.of(
                new Contributor("zone-mqtt", Status.UP, Map.of("status", "DOWN", "zones", 6)),
                new Contributor("zone-mqtt", Status.DEGRADED, Map.of())));

        assertThat(components.get("zone-mqtt")).containsEntry("status", "UP").containsEntry("zones", 6);
        assertThat(components.get("zone-mqtt#2")).containsEntry("status", "DEGRADED");
    }

    @Test
    void aMissingEssentialServiceIsDown() {
        Map<String, Map<String, Object>> components = HealthReport.components(List.of());
        HealthReport.requirePresent(components, "plant", false, "no plant service");
        HealthReport.requirePresent(components, "historian", true, "no historian");

        assertThat(components).containsOnlyKeys("plant");
        assertThat(HealthReport.overall(components, false)).isEqualTo(Status.DOWN);
    }
}
