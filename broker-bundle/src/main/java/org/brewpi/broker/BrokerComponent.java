package org.brewpi.broker;

import java.util.Hashtable;

import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.mqtt.MqttTransport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT broker as a DS component (configuration {@code brewpi.broker}). It only wires: the zone
 * credentials from ConfigurationAdmin, a {@link BrokerCore}, and the services it offers. The transport is
 * registered by hand because its {@code brewpi.mqtt.port} property (the port actually bound, which port 0
 * leaves open until the broker runs) is known only after start.
 * <p>
 * A port in use is logged as one line naming the port and {@code BREWPI_MQTT_PORT}, and the component fails
 * to activate.
 */
@Component(immediate = true, configurationPid = BrokerComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BrokerComponent.Config.class)
public class BrokerComponent {

    static final String PID = "brewpi.broker";
    /** Service property of the transport: the TCP port the broker is bound to. */
    static final String PORT_PROPERTY = "brewpi.mqtt.port";
    /** Value of {@link MqttTransport#KIND} for this transport. */
    static final String EMBEDDED = "embedded";

    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);

    @ObjectClassDefinition(name = "BrewPi embedded MQTT broker",
            description = "The box's own MQTT broker for the zone PLCs.")
    public @interface Config {

        @AttributeDefinition(description = "TCP port; 0 = any free port (BREWPI_MQTT_PORT)")
        int port() default 1883;

        @AttributeDefinition(description = "Address to listen on; 0.0.0.0 = every interface")
        String host() default "0.0.0.0";

        @AttributeDefinition(description = "Let clients without credentials in, read-only under the topic root (demos)")
        boolean allow_anonymous() default false;

        @AttributeDefinition(description = "Data folder of the box; the broker keeps its state in memory, writes nothing")
        String data_dir() default "data";

        @AttributeDefinition(description = "Topic root the per-zone ACL guards; must match the zone driver's")
        String topic_root() default ZoneAcl.DEFAULT_ROOT;

        @AttributeDefinition(description = "MQTT over TLS on this port, and no plain listener; -1 = plain MQTT on "
                + "'port' (BREWPI_MQTT_TLS_PORT)")
        int tls_port() default -1;

        @AttributeDefinition(description = "PKCS#12 keystore with the broker's key and certificate (BREWPI_TLS_KEYSTORE)")
        String tls_keystore() default "";

        /** Property {@code .tls.password}: the leading dot keeps it out of the service properties. */
        @AttributeDefinition(description = "Password of the keystore (BREWPI_TLS_PASSWORD)")
        String _tls_password() default "";
    }

    private final BrokerCore core;
    private final ServiceRegistration<ConfigurationListener> zoneListener;
    private final ServiceRegistration<MqttTransport> transport;
    private final ServiceRegistration<HealthContributor> health;

    @Activate
    public BrokerComponent(BundleContext context, Config config, @Reference ConfigurationAdmin configAdmin)
            throws PortInUseException {
        ZoneCredentials credentials = new ZoneCredentials();
        ZoneConfigTracker zoneConfigs = new ZoneConfigTracker(configAdmin, credentials);
        // Listen first, then read: a zone configuration changed meanwhile is applied twice, never missed.
        zoneListener = context.registerService(ConfigurationListener.class, zoneConfigs, null);
        zoneConfigs.loadAll();
        try {
            boolean tls = config.tls_port() >= 0;
            core = BrokerCore.start(new BrokerSettings(config.host(), tls ? config.tls_port() : config.port(),
                    config.allow_anonymous(), config.topic_root(), BrokerSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS,
                    tls ? BrokerTls.open(java.nio.file.Path.of(config.tls_keystore()), config._tls_password()) : null),
                    credentials);
        } catch (PortInUseException | RuntimeException e) {
            LOG.error(e.getMessage());
            zoneListener.unregister();
            throw e;
        }
        Hashtable<String, Object> transportProperties = new Hashtable<>();
        transportProperties.put(MqttTransport.KIND, EMBEDDED);
        transportProperties.put(PORT_PROPERTY, core.port());
        transport = context.registerService(MqttTransport.class, core.transport(), transportProperties);
        health = context.registerService(HealthContributor.class, core.health(), null);
    }

    @Deactivate
    void deactivate() {
        health.unregister();
        transport.unregister();
        zoneListener.unregister();
        core.close();
    }
}
