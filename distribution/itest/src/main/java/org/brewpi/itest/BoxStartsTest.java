package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

class BoxStartsTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void everyBundleIsActive() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Arrays.stream(context.getBundles())
                .filter(b -> b.getHeaders().get("Fragment-Host") == null)
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " " + b.getState()))
                .isEmpty());
        assertThat(Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName))
                .contains("org.brewpi.settings", "org.brewpi.zone.mqtt", "org.brewpi.plant", "org.apache.felix.scr");
    }
}
