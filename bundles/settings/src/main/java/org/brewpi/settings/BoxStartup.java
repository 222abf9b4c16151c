package org.brewpi.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.brewpi.api.health.HealthContributor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the box's start-up settings (BREWPI_* environment variables or brewpi.* properties) into what the
 * bundles read: framework-visible properties for Jetty and FileInstall, which start after this bundle, and
 * configurations for our own components. Runs once, early (start level 4).
 */
@Component(immediate = true)
public class BoxStartup implements HealthContributor {

    /** Framework property set by the app's .bndrun: a fatal setting ends the process (exit code 2). */
    static final String EXIT_ON_FATAL = "brewpi.exitOnFatal";

    private static final Logger LOG = LoggerFactory.getLogger(BoxStartup.class);

    /** The longest a stop request (SIGTERM) waits for every bundle to stop. */
    private static final long STOP_TIMEOUT_MS = 60_000;

    private final BoxSettings settings;
    /** The keystore of HTTPS and MQTT over TLS, {@code null} while neither is on. */
    private final TlsKeystore.Result tls;
    private final long startedAt = System.currentTimeMillis();
    private final Thread stopOnSignal;

    @Activate
    public BoxStartup(BundleContext context, @Reference ConfigurationAdmin configAdmin) throws Exception {
        try {
            this.settings = prepare(BoxSettings.resolve(context::getProperty, System::getenv));
            this.tls = settings.tls() ? keystore(settings) : null;
        } catch (SettingsException e) {
            if (Boolean.parseBoolean(context.getProperty(EXIT_ON_FATAL))) {
                // The one line the operator needs, then out. Nothing has started yet, so nothing is lost:
                // halt skips the shutdown hooks, which would wait for the start-level thread we are running on.
                System.err.println(e.getMessage());
                System.err.flush();
                Runtime.getRuntime().halt(2);
            }
            LOG.error(e.getMessage());
            throw e;
        }
        // Jetty and FileInstall read these through BundleContext.getProperty, which falls back to system properties.
        jetty();
        System.setProperty("felix.fileinstall.dir", settings.deployDir() + "," + settings.confDir());
        configure(configAdmin);
        // The launcher does not stop the framework when the JVM is asked to end (SIGTERM from a service
        // manager, Ctrl-C): without this the components never deactivate, so the historian's queued
        // records and the sync's batch in flight would be cut off at every ordinary stop.
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        stopOnSignal = new Thread(() -> stopFramework(system), "brewpi-stop");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        LOG.info("BrewPi Control: HMI {} | MQTT {} | data {} | conf {} | deploy {} | simulator {}",
                settings.httpsPort() != BoxSettings.OFF ? "https://localhost:" + settings.httpsPort() + "/hmi/"
                        + (settings.httpPort() != BoxSettings.OFF ? " and http://localhost:" + settings.httpPort() + "/hmi/" : "")
                        : "http://localhost:" + settings.httpPort() + "/hmi/",
                settings.mqttTlsPort() != BoxSettings.OFF ? "over TLS on port " + settings.mqttTlsPort() + " (plain MQTT off)"
                        : "port " + settings.mqttPort(),
                settings.dataDir(), settings.confDir(), settings.deployDir(), settings.simulator() ? "on" : "off");
    }

    private static TlsKeystore.Result keystore(BoxSettings settings) throws SettingsException {
        TlsKeystore.Result tls = TlsKeystore.findOrCreate(settings.dataDir(), settings.tlsKeystore(), settings.tlsPassword());
        if (tls.generated()) {
            LOG.warn("Self-signed TLS certificate made for this box in {} (SHA-256 fingerprint {}); give PLCs and "
                    + "browsers {} to trust, or set BREWPI_TLS_KEYSTORE to a certificate of your own", tls.keystore(),
                    tls.fingerprint(), tls.certificate());
            LOG.info("Kiosk browser on this box: chromium --ignore-certificate-errors-spki-list={} trusts this key only",
                    tls.spki());
        } else {
            LOG.info("TLS keystore {} (SHA-256 fingerprint {})", tls.keystore(), tls.fingerprint());
        }
        return tls;
    }

    /** Felix HTTP Jetty's framework properties: which connectors, and HTTPS's keystore. */
    private void jetty() {
        if (settings.httpPort() != BoxSettings.OFF) {
            System.setProperty("org.osgi.service.http.port", Integer.toString(settings.httpPort()));
        } else {
            System.setProperty("org.apache.felix.http.enable", "false");
        }
        if (settings.httpsPort() != BoxSettings.OFF) {
            System.setProperty("org.apache.felix.https.enable", "true");
            System.setProperty("org.osgi.service.http.port.secure", Integer.toString(settings.httpsPort()));
            System.setProperty("org.apache.felix.https.keystore", tls.keystore().toString());
            System.setProperty("org.apache.felix.https.keystore.type", "PKCS12");
            System.setProperty("org.apache.felix.https.keystore.password", tls.password());
            System.setProperty("org.apache.felix.https.keystore.key.password", tls.password());
            System.setProperty("org.apache.felix.https.jetty.protocols.included", "TLSv1.3,TLSv1.2");
        }
    }

    private static BoxSettings prepare(BoxSettings resolved) throws IOException, SettingsException {
        for (var dir : new java.nio.file.Path[] { resolved.dataDir(), resolved.confDir(), resolved.deployDir() }) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new SettingsException("BrewPi: cannot create folder " + dir + " (" + e.getMessage()
                        + "); check BREWPI_DATA_DIR, BREWPI_CONF_DIR and BREWPI_DEPLOY_DIR");
            }
        }
        BoxSettings settings = resolved;
        if (settings.apiToken() == null) {
            ApiToken.Result token = ApiToken.findOrCreate(settings.dataDir());
            if (token.created()) {
                LOG.warn("API token for REST writes (first start; stored in {}): {}", token.file(), token.token());
            }
            settings = settings.withApiToken(token.token());
        }
        if (settings.simulator()) {
            var seeded = DemoPlant.seedIfNew(settings.confDir(), settings.dataDir());
            if (!seeded.isEmpty()) {
                LOG.info("Demo plant written to {}: {} zones", settings.confDir(), seeded.size());
            }
            if (DemoPlant.seedRecipe(settings.confDir())) {
                LOG.info("Demo recipe written to {} (a draft until QA approves it)",
                        settings.confDir().resolve("recipes"));
            }
        }
        return settings;
    }

    private void configure(ConfigurationAdmin configAdmin) throws IOException {
        String data = settings.dataDir().toString();
        Map<String, Object> broker = new java.util.HashMap<>(Map.of("port", settings.mqttPort(), "data.dir", data,
                "tls.port", settings.mqttTlsPort()));
        if (settings.mqttTlsPort() != BoxSettings.OFF) {
            broker.put("tls.keystore", tls.keystore().toString());
            broker.put(".tls.password", tls.password()); // private: not a service property
        }
        update(configAdmin, "brewpi.broker", broker);
        update(configAdmin, "brewpi.historian", Map.of("data.dir", data));
        update(configAdmin, "brewpi.audit", Map.of("data.dir", data));
        update(configAdmin, "brewpi.alarms", Map.of("data.dir", data));
        update(configAdmin, "brewpi.batches", Map.of("data.dir", data, "conf.dir", settings.confDir().toString()));
        update(configAdmin, "brewpi.rest", Map.of(".api.token", settings.apiToken())); // private: not a service property
        Map<String, Object> sim = new java.util.HashMap<>(Map.of(
                "enabled", settings.simulator(),
                "broker.url", settings.mqttTlsPort() != BoxSettings.OFF ? "ssl://127.0.0.1:" + settings.mqttTlsPort()
                        : "tcp://127.0.0.1:" + settings.mqttPort(),
                "time.scale", settings.simTimeScale(),
                "credentials.file", settings.dataDir().resolve(DemoPlant.SIM_CREDENTIALS).toString()));
        if (settings.mqttTlsPort() != BoxSettings.OFF) {
            // the emulated PLCs trust the box's certificate, as a real PLC is given it
            sim.put("tls.truststore", tls.keystore().toString());
            sim.put(".tls.truststore.password", tls.password());
        }
        update(configAdmin, "brewpi.sim", sim);
    }

    /** Sets only our keys, keeping whatever else the configuration holds (e.g. from a file in conf/). */
    private static void update(ConfigurationAdmin configAdmin, String pid, Map<String, Object> values) throws IOException {
        Configuration config = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> current = config.getProperties();
        Dictionary<String, Object> next = current == null ? new Hashtable<>() : copy(current);
        boolean changed = current == null;
        for (var entry : values.entrySet()) {
            if (!Objects.equals(next.get(entry.getKey()), entry.getValue())) {
                next.put(entry.getKey(), entry.getValue());
                changed = true;
            }
        }
        if (changed) {
            config.update(next);
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> source) {
        Hashtable<String, Object> copy = new Hashtable<>();
        for (var keys = source.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            copy.put(key, source.get(key));
        }
        return copy;
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnSignal);
        } catch (IllegalStateException e) {
            // the JVM is ending: this very hook is what stops us
        }
    }

    /** Stops every bundle, in reverse start order, and waits until they have; runs as a JVM shutdown hook. */
    private static void stopFramework(Bundle system) {
        if (system.getState() != Bundle.ACTIVE) {
            return; // already stopping through the framework itself
        }
        LOG.info("Stop requested: stopping every bundle so records are committed and files closed");
        try {
            system.stop();
            if (system instanceof Framework framework) {
                FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MS);
                if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    System.err.println("BrewPi: bundles still stopping after " + STOP_TIMEOUT_MS / 1000 + " s; exiting");
                }
            }
        } catch (BundleException | InterruptedException | RuntimeException e) {
            System.err.println("BrewPi: clean stop failed: " + e);
        }
    }

    @Override
    public String name() {
        return "box";
    }

    @Override
    public Status status() {
        return Status.UP;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("httpPort", settings.httpPort());
        details.put("mqttPort", settings.mqttPort());
        details.put("httpsPort", settings.httpsPort());
        details.put("mqttTlsPort", settings.mqttTlsPort());
        details.put("tlsFingerprint", tls == null ? null : tls.fingerprint());
        details.put("dataDir", settings.dataDir().toString());
        details.put("confDir", settings.confDir().toString());
        details.put("deployDir", settings.deployDir().toString());
        details.put("simulator", settings.simulator());
        details.put("startedAt", startedAt);
        details.put("javaVersion", System.getProperty("java.version"));
        details.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        return details;
    }
}
