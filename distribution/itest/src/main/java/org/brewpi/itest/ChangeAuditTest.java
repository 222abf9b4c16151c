package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;

/**
 * #5: every configuration change and every bundle change lands in the audit trail (actor {@code system},
 * entry point {@code internal}), configuration values with their secrets masked.
 */
class ChangeAuditTest {

    @InjectBundleContext
    BundleContext context;

    /** The data folder (and its audit trail) outlives a run: only what this test did counts. */
    private final long started = System.currentTimeMillis();

    private List<String> lines(AuditTrail trail, String target) {
        return trail.entries(0, started, Long.MAX_VALUE, null, target, 1000).stream()
                .filter(e -> e.target().equals(target))
                .map(e -> e.actor() + " " + e.entryPoint() + " " + e.action() + " | " + e.oldValue() + " | " + e.newValue())
                .toList();
    }

    @Test
    void configurationChangesAreAuditedWithOldAndNewValuesAndSecretsMasked() throws Exception {
        Box box = new Box(context);
        ConfigurationAdmin configAdmin = box.service(ConfigurationAdmin.class);
        AuditTrail trail = box.service(AuditTrail.class);
        String pid = "brewpi.itest.audited";
        Configuration config = configAdmin.getConfiguration(pid, "?");

        config.update(new Hashtable<>(Map.of("level", 3, "password", "hunter2")));
        await().atMost(Box.WAIT).until(() -> lines(trail, pid).size() == 1);
        config.update(new Hashtable<>(Map.of("level", 4, "password", "hunter3")));
        await().atMost(Box.WAIT).until(() -> lines(trail, pid).size() == 2);
        config.delete();
        await().atMost(Box.WAIT).until(() -> lines(trail, pid).size() == 3);

        assertThat(lines(trail, pid)).containsExactly(
                "system internal config.updated | null | level=3, password=****",
                "system internal config.updated | level=3, password=**** | level=4, password=****",
                "system internal config.deleted | level=4, password=**** | null");
        List<AuditEntry> all = trail.entries(0, started, Long.MAX_VALUE, null, pid, 1000);
        assertThat(all).allSatisfy(e -> assertThat(e.oldValue() + " " + e.newValue()).doesNotContain("hunter"));
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void bundleChangesAreAuditedWithSymbolicNameAndVersion() throws Exception {
        AuditTrail trail = new Box(context).service(AuditTrail.class);
        String name = "org.brewpi.itest.audited";
        Bundle bundle = context.installBundle("itest:" + name, jar(name, "1.0.0"));
        bundle.start();
        bundle.stop();
        bundle.update(jar(name, "1.0.1"));
        bundle.uninstall();

        await().atMost(Box.WAIT).untilAsserted(() -> assertThat(lines(trail, name)).containsExactly(
                "system internal bundle.installed | null | 1.0.0",
                "system internal bundle.started | null | 1.0.0",
                "system internal bundle.stopped | null | 1.0.0",
                "system internal bundle.updated | 1.0.0 | 1.0.1",
                "system internal bundle.uninstalled | 1.0.1 | null"));
    }

    /** A bundle that is only its manifest. */
    static InputStream jar(String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        main.putValue(Constants.BUNDLE_VERSION, version);
        return jar(manifest);
    }

    static InputStream jar(Manifest manifest) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            // the manifest is the whole bundle
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
