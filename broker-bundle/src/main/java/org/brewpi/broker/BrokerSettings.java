package org.brewpi.broker;

/**
 * How the broker runs.
 *
 * @param host the address to listen on ({@code 0.0.0.0} = every interface)
 * @param port the TCP port; 0 = any free port (the one bound is reported by {@link BrokerCore#port()})
 * @param allowAnonymous whether clients without a user name get in, read-only under the topic root (demos only)
 * @param topicRoot the topic prefix the ACL guards, {@code brewpi/v1} by default
 * @param connectTimeoutSeconds how long a new connection may take to send its CONNECT
 * @param tls MQTT over TLS on {@code port} instead of plain MQTT, or {@code null} for plain MQTT
 */
record BrokerSettings(String host, int port, boolean allowAnonymous, String topicRoot, int connectTimeoutSeconds,
        BrokerTls tls) {

    /** Largest payload accepted: 16 times the protocol's limit, so oversized payloads reach the driver and are counted. */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** Largest packet (MQTT remaining length): the payload plus topic and header room. */
    static final int MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + 1024;
    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    /** Commands each Moquette session loop may queue; beyond it Moquette drops messages (and logs it). */
    static final int SESSION_QUEUE_SIZE = 4096;
    /** State of a disconnected persistent session (subscriptions, queued QoS 1 messages) is kept this long. */
    static final int SESSION_EXPIRY_SECONDS = 3600;
    /** The setting that chooses the port, named in the error when it is in use. */
    static final String PORT_SETTING = "BREWPI_MQTT_PORT";
    static final String TLS_PORT_SETTING = "BREWPI_MQTT_TLS_PORT";

    BrokerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 0-65535; check "
                    + (tls == null ? PORT_SETTING : TLS_PORT_SETTING));
        }
        if (connectTimeoutSeconds < 1) {
            throw new IllegalArgumentException("connect timeout must be at least 1 s");
        }
    }

    BrokerSettings(String host, int port, boolean allowAnonymous, String topicRoot) {
        this(host, port, allowAnonymous, topicRoot, DEFAULT_CONNECT_TIMEOUT_SECONDS, null);
    }

    BrokerSettings(String host, int port, boolean allowAnonymous, String topicRoot, int connectTimeoutSeconds) {
        this(host, port, allowAnonymous, topicRoot, connectTimeoutSeconds, null);
    }
}
