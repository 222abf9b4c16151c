package org.brewpi.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.brewpi.api.zone.ZoneDefinition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emulates the PLC of every configured zone marked {@code simulated=true}, live: a zone
 * configuration added to or removed from {@code conf/} powers its emulated PLC up or down.
 * Deactivating (stopping the bundle, or a change of {@code brewpi.sim}) powers every PLC off
 * abruptly, so the broker publishes their wills and the zones go offline.
 */
@Component(name = SimulatorComponent.NAME, configurationPid = SimConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true, service = {})
@Designate(ocd = SimConfig.class)
public final class SimulatorComponent {

    public static final String NAME = "org.brewpi.sim";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorComponent.class);

    /** What a zone definition said when it was bound or last updated. */
    private record Definition(String id, String type, boolean simulated) {
        static Definition of(ZoneDefinition zone) {
            return new Definition(zone.id(), zone.type(), zone.simulated());
        }
    }

    // all guarded by this
    private final Map<ZoneDefinition, Definition> definitions = new IdentityHashMap<>();
    private final Map<String, String> running = new LinkedHashMap<>();
    private Simulator simulator;
    private CredentialsFile credentials;

    @Activate
    synchronized void activate(SimConfig config) {
        if (!config.enabled()) {
            LOG.info("simulator disabled ({} enabled=false)", SimConfig.PID);
            return;
        }
        Simulator.Settings settings;
        try {
            settings = new Simulator.Settings(config.broker_url(), config.topic_root(), config.time_scale(),
                    Simulator.DEFAULT_HEARTBEAT_TIMEOUT_MS, config.tls_truststore().isBlank() ? null
                            : TrustedSockets.of(Path.of(config.tls_truststore()), config._tls_truststore_password()));
        } catch (IllegalArgumentException e) {
            LOG.error("{}: {}; simulator not started", SimConfig.PID, e.getMessage());
            return;
        }
        credentials = new CredentialsFile(Path.of(config.credentials_file()));
        simulator = new Simulator(settings);
        reconcile();
    }

    @Deactivate
    synchronized void deactivate() {
        if (simulator != null) {
            simulator.stop();
            simulator = null;
        }
        running.clear();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void addZone(ZoneDefinition zone) {
        definitions.put(zone, Definition.of(zone));
        reconcile();
    }

    synchronized void updatedZone(ZoneDefinition zone) {
        definitions.put(zone, Definition.of(zone));
        reconcile();
    }

    synchronized void removeZone(ZoneDefinition zone) {
        definitions.remove(zone);
        reconcile();
    }

    /** Starts and stops emulated PLCs until exactly the simulated zones run. */
    private void reconcile() {
        if (simulator == null) {
            return;
        }
        Map<String, String> wanted = new TreeMap<>();
        for (Definition d : definitions.values()) {
            if (d.simulated()) {
                wanted.putIfAbsent(d.id(), d.type());
            }
        }
        for (Iterator<Map.Entry<String, String>> it = running.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, String> zone = it.next();
            if (!zone.getValue().equals(wanted.get(zone.getKey()))) {
                simulator.removeZone(zone.getKey());
                it.remove();
            }
        }
        wanted.forEach((id, type) -> {
            if (!running.containsKey(id)) {
                simulator.addZone(new ZoneSpec(id, type, password(id)));
                running.put(id, type);
            }
        });
    }

    private String password(String zone) {
        try {
            return credentials.password(zone).orElseGet(() -> {
                LOG.warn("zone {}: no password in {}; connecting with the user name only", zone, credentials.path());
                return null;
            });
        } catch (IOException e) {
            LOG.warn("zone {}: cannot read {}: {}; connecting with the user name only", zone, credentials.path(),
                    e.getMessage());
            return null;
        }
    }
}
