package org.brewpi.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.Felix;
import org.brewpi.api.alarm.AlarmState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

/** {@code system.bundles} against a real Felix framework: bundles that do not resolve, fail to start, framework errors. */
class BundleWatchTest {

    @TempDir
    Path dir;
    private final PlantFeed plant = new PlantFeed();
    private Felix felix;

    @BeforeEach
    void startFramework() throws BundleException {
        felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1"));
        felix.start();
    }

    @AfterEach
    void stopFramework() throws Exception {
        felix.stop();
        felix.waitForStop(10_000);
    }

    /** A bundle made on the spot from its manifest alone. */
    private Bundle install(String name, Map<String, String> headers) throws IOException, BundleException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, name);
        main.putValue(Constants.BUNDLE_VERSION, "1.2.3");
        headers.forEach(main::putValue);
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(jar, manifest)) {
            // the manifest is the whole bundle
        }
        return felix.getBundleContext().installBundle("test:" + name, new ByteArrayInputStream(jar.toByteArray()));
    }

    private void startLevel(int level) {
        AtomicInteger reached = new AtomicInteger();
        felix.adapt(FrameworkStartLevel.class).setStartLevel(level, event -> reached.set(level));
        await().atMost(Duration.ofSeconds(10)).until(() -> reached.get() == level);
    }

    @Test
    void unresolvedAndFailedBundlesAndFrameworkErrorsAreProblemsUntilFixedOrOld() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        BundleWatch watch = new BundleWatch(felix.getBundleContext(), plant.clock::get, () -> 10 * Settings.MINUTE,
                changes::incrementAndGet);
        try {
            assertThat(watch.problem()).isNull();

            Bundle unresolved = install("test.unresolved", Map.of(Constants.IMPORT_PACKAGE, "no.such.pkg"));
            await("a bundle change asks for a look").atMost(Duration.ofSeconds(10)).until(() -> changes.get() > 0);
            assertThatThrownBy(unresolved::start).isInstanceOf(BundleException.class);
            assertThat(watch.problem()).isEqualTo("test.unresolved 1.2.3 does not resolve");
            unresolved.uninstall();
            assertThat(watch.problem()).isNull();

            // a bundle whose activator is missing, started by the start level as at box start-up
            Bundle broken = install("test.broken", Map.of(Constants.BUNDLE_ACTIVATOR, "no.such.Activator"));
            broken.adapt(BundleStartLevel.class).setStartLevel(2);
            assertThat(watch.problem()).as("installed, not resolved yet").isEqualTo("test.broken 1.2.3 does not resolve");
            assertThat(felix.adapt(FrameworkWiring.class).resolveBundles(List.of(broken))).isTrue();
            broken.start();
            assertThat(watch.problem()).as("its start level is not reached yet").isNull();
            startLevel(2);
            assertThat(broken.getState()).isEqualTo(Bundle.RESOLVED);
            await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(watch.problem()).contains("framework error"));
            assertThat(watch.problem()).startsWith("test.broken 1.2.3 failed to start; framework error in test.broken: ");

            broken.uninstall();
            assertThat(watch.problem()).as("the error is still recent").startsWith("framework error in test.broken");
            plant.advance(10 * Settings.MINUTE);
            assertThat(watch.problem()).isNull();
        } finally {
            watch.close();
        }
    }

    @Test
    void theEngineRaisesSystemBundlesFromTheFramework() throws Exception {
        AlarmEngine engine = new AlarmEngine(Settings.standard().withHealthPoll(60_000, 5 * Settings.MINUTE),
                plant.clock::get, dir, felix.getBundleContext());
        try {
            install("test.unresolved", Map.of(Constants.IMPORT_PACKAGE, "no.such.pkg"));
            engine.pollHealth();
            assertThat(engine.drain(5_000)).isTrue();
            plant.advance(10_000);
            engine.pollHealth();
            assertThat(engine.drain(5_000)).isTrue();
            var alarm = engine.alarm("system.bundles").orElseThrow();
            assertThat(alarm.state()).isEqualTo(AlarmState.UNACK_ACTIVE);
            assertThat(alarm.value()).isEqualTo("test.unresolved 1.2.3 does not resolve");
            felix.getBundleContext().getBundle("test:test.unresolved").uninstall();
            // the uninstall itself asks the engine for a look, on its own health thread
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                plant.advance(10_000);
                assertThat(engine.drain(5_000)).isTrue();
                assertThat(engine.alarm("system.bundles").orElseThrow().state()).isEqualTo(AlarmState.UNACK_RETURNED);
            });
        } finally {
            engine.stop();
        }
    }

}
