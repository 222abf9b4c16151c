package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmService;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.history.HistoryStreams;
import org.brewpi.api.history.StreamRows;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;

/**
 * #6 system alarms in the running box: a bundle that cannot resolve raises {@code system.bundles}, which returns
 * when the bundle goes; the transitions are in the alarm journal, one of the record streams the sync ships.
 */
class SystemAlarmsTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void aBundleThatDoesNotResolveRaisesSystemBundlesUntilItGoes() throws Exception {
        Box box = new Box(context);
        AlarmService alarms = box.service(AlarmService.class);
        String name = "org.brewpi.itest.unresolvable";
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, name);
        main.putValue(Constants.BUNDLE_VERSION, "2.0.0");
        main.putValue(Constants.IMPORT_PACKAGE, "org.brewpi.no.such.api");
        Bundle bundle = context.installBundle("itest:" + name, ChangeAuditTest.jar(manifest));
        try {
            // health poll (5 s) + on-delay (10 s)
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                Alarm alarm = alarms.alarm("system.bundles").orElseThrow();
                assertThat(alarm.state()).isEqualTo(AlarmState.UNACK_ACTIVE);
                assertThat(alarm.value()).contains(name + " 2.0.0 does not resolve");
            });
        } finally {
            bundle.uninstall();
        }
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(
                alarms.alarm("system.bundles").orElseThrow().state()).isEqualTo(AlarmState.UNACK_RETURNED));

        List<String> streams = new ArrayList<>();
        HistoryStreams journal = null;
        for (ServiceReference<HistoryStreams> ref : context.getServiceReferences(HistoryStreams.class, null)) {
            HistoryStreams provider = context.getService(ref);
            streams.addAll(provider.streams());
            if (provider.streams().contains("alarm_journal")) {
                journal = provider;
            }
        }
        assertThat(streams).contains("audit", "alarm_journal", "samples");
        StreamRows rows = journal.read("alarm_journal", 0, 100_000);
        assertThat(rows.rows()).filteredOn(r -> "system.bundles".equals(r[2])).extracting(r -> (String) r[3])
                .containsSubsequence("activate", "return");
    }
}
