package org.brewpi.broker;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.moquette.broker.ClientDescriptor;
import io.moquette.broker.EmbeddedMoquette;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.mqtt.MqttTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MQTT broker, usable without OSGi: Moquette behind our connection gate and security, the
 * in-process transport for the SCADA, and the health it reports. The DS component only feeds it settings and
 * credentials and registers what it offers.
 */
final class BrokerCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCore.class);

    private final BrokerSettings settings;
    private final BrokerStats stats = new BrokerStats();
    private final ConnectedClients clients = new ConnectedClients();
    private final LogThrottle logThrottle = new LogThrottle(60_000);
    private final BrokerSecurity security;
    private final EmbeddedTransport transport;
    private final EmbeddedMoquette moquette;
    private final int port;
    private final long startedAt = System.currentTimeMillis();
    private volatile String fault;
    private volatile boolean running;

    private BrokerCore(BrokerSettings settings, ZoneCredentials credentials) throws PortInUseException {
        this.settings = settings;
        this.security = BrokerSecurity.build(settings.topicRoot(), settings.allowAnonymous(), credentials, stats,
                logThrottle);
        // The transport and the broker's events need the broker, which needs them: they reach it through this.
        this.transport = new EmbeddedTransport(this::publishToClients, stats, logThrottle);
        BrokerEvents events = new BrokerEvents(transport, clients, this::retainInBroker, this::sessionLoopFailed);
        ConnectGate gate = new ConnectGate(security, clients, stats, new LogThrottle(10_000));
        this.port = freeOrCheck(settings.host(), settings.port(), settings.tls() != null);
        EmbeddedMoquette.Options options = new EmbeddedMoquette.Options(settings.host(), port,
                settings.allowAnonymous(), BrokerSettings.MAX_PACKET_BYTES, settings.connectTimeoutSeconds(),
                BrokerSettings.SESSION_QUEUE_SIZE, BrokerSettings.SESSION_EXPIRY_SECONDS,
                settings.tls() == null ? null : settings.tls().keys());
        try {
            this.moquette = EmbeddedMoquette.start(options, security, security, gate, events);
        } catch (RuntimeException e) {
            if (causedByBind(e)) {
                throw new PortInUseException(settings.host(), port, settings.tls() != null);
            }
            throw e;
        }
        running = true;
        LOG.info("MQTT broker listening on {}:{}{} (topic root {}, anonymous {}, zones with credentials: {}{})",
                settings.host(), port, settings.tls() == null ? "" : " over TLS only (" + settings.tls().keystore() + ")", settings.topicRoot(), settings.allowAnonymous() ? "read-only" : "off",
                credentials.zones().size(), security.problem() == null ? "" : "; REFUSING EVERYONE: " + security.problem());
    }

    /**
     * Starts the broker. Logins are checked against {@code credentials}, which may be filled before or after.
     *
     * @throws PortInUseException when the port is taken (its message is the line to log)
     */
    static BrokerCore start(BrokerSettings settings, ZoneCredentials credentials) throws PortInUseException {
        return new BrokerCore(settings, credentials);
    }

    /** The port bound (the free port chosen when the settings said 0). */
    int port() {
        return port;
    }

    MqttTransport transport() {
        return transport;
    }

    HealthContributor health() {
        return new BrokerHealth(this);
    }

    BrokerStats stats() {
        return stats;
    }

    ConnectedClients clients() {
        return clients;
    }

    boolean running() {
        return running;
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        transport.close();
        moquette.stop();
        LOG.info("MQTT broker on port {} stopped", port);
    }

    HealthContributor.Status status() {
        if (!running || security.problem() != null || fault != null) {
            return HealthContributor.Status.DOWN;
        }
        return security.credentials().refusedConfigurations().isEmpty() ? HealthContributor.Status.UP
                : HealthContributor.Status.DEGRADED;
    }

    Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("running", running);
        details.put("host", settings.host());
        details.put("port", port);
        details.put("tls", settings.tls() != null);
        details.put("topicRoot", settings.topicRoot());
        details.put("anonymousAllowed", settings.allowAnonymous());
        details.put("persistence", "memory");
        details.put("maxPayloadBytes", BrokerSettings.MAX_PAYLOAD_BYTES);
        details.put("security", security.problem() == null ? "ok" : security.problem());
        if (fault != null) {
            details.put("fault", fault);
        }
        details.put("zonesWithCredentials", security.credentials().zones());
        details.put("refusedZoneConfigurations", security.credentials().refusedConfigurations());
        List<ConnectedClients.Client> connected = clients.list();
        details.put("clientsConnected", connected.size());
        details.put("clients", describe(connected));
        details.put("loginsRefused", stats.loginsRefused());
        details.put("loginsRefusedByReason", stats.loginsRefusedByReason());
        details.put("aclPublishDenied", stats.aclPublishDenied());
        details.put("aclSubscribeDenied", stats.aclSubscribeDenied());
        details.put("protocolViolations", stats.protocolViolations());
        details.put("messagesIn", stats.messagesIn());
        details.put("messagesOut", stats.messagesOut());
        details.put("retainedTopics", transport.retainedTopics());
        details.put("inProcessSubscriptions", transport.subscriptionCount());
        details.put("subscriberErrors", stats.handlerErrors());
        details.put("startedAt", startedAt);
        return details;
    }

    private List<Map<String, Object>> describe(List<ConnectedClients.Client> connected) {
        Map<String, String> addresses = new HashMap<>();
        if (running) {
            for (ClientDescriptor descriptor : moquette.connectedClients()) {
                addresses.put(descriptor.getClientID(), descriptor.getAddress() + ":" + descriptor.getPort());
            }
        }
        List<Map<String, Object>> described = new ArrayList<>();
        for (ConnectedClients.Client client : connected) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("clientId", client.clientId());
            entry.put("user", client.user());
            entry.put("since", client.since());
            entry.put("address", addresses.get(client.clientId()));
            described.add(entry);
        }
        return described;
    }

    private void publishToClients(String topic, byte[] payload, int qos, boolean retain) {
        moquette.publish(topic, payload, qos, retain);
    }

    private void retainInBroker(String topic, byte[] payload, int qos) {
        if (moquette != null) { // null only while the constructor is still starting Moquette
            moquette.retain(topic, payload, qos);
        }
    }

    private void sessionLoopFailed(Throwable error) {
        // Moquette 0.17 does not restart a session loop that died: the clients hashed to it stall.
        fault = "a broker session loop died: " + error;
        LOG.error("MQTT broker fault, restart the broker bundle: {}", fault);
    }

    /** Port 0 becomes a free port; any other port is checked, so "in use" is one clear line, not a stack trace. */
    private static int freeOrCheck(String host, int port, boolean tls) throws PortInUseException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return probe.getLocalPort();
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("in use")) {
                throw new PortInUseException(host, port, tls);
            }
            throw new IllegalStateException("MQTT broker cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): check the host of configuration brewpi.broker");
        } catch (IOException e) {
            throw new IllegalStateException("MQTT broker cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): check the host of configuration brewpi.broker");
        }
    }

    private static boolean causedByBind(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }
}
