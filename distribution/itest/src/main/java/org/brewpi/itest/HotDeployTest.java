package org.brewpi.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;

/** A field integrator drops a bundle into deploy/ on the running box, then takes it away. */
class HotDeployTest {

    static final String BSN = "org.brewpi.itest.dropin";

    @InjectBundleContext
    BundleContext context;

    private Optional<Bundle> dropin() {
        return Arrays.stream(context.getBundles()).filter(b -> BSN.equals(b.getSymbolicName())).findFirst();
    }

    @Test
    void aBundleCopiedIntoDeployStartsAndRemovingItUninstallsIt() throws Exception {
        Box box = new Box(context);
        Path jar = box.deployDir().resolve("dropin.jar");
        Path tmp = Files.createTempFile("dropin", ".jar");
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", BSN);
        main.putValue("Bundle-Version", "1.0.0");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // a bundle with a manifest and nothing else is enough to prove install/start/uninstall
        }
        Files.move(tmp, jar); // appears whole: FileInstall never sees half a file
        try {
            await().atMost(Box.WAIT).until(() -> dropin().map(b -> b.getState() == Bundle.ACTIVE).orElse(false));
        } finally {
            Files.deleteIfExists(jar);
        }
        await().atMost(Box.WAIT).until(() -> dropin().isEmpty());
        assertThat(dropin()).isEmpty();
    }
}
