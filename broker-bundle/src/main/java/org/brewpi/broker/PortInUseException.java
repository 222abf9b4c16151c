package org.brewpi.broker;

/** The MQTT port is taken. Its message is the one line an operator needs; no stack trace adds to it. */
final class PortInUseException extends Exception {

    private static final long serialVersionUID = 1L;

    PortInUseException(String host, int port) {
        this(host, port, false);
    }

    PortInUseException(String host, int port, boolean tls) {
        super("MQTT " + (tls ? "TLS " : "") + "port " + port + " is already in use on " + host + ": set "
                + (tls ? BrokerSettings.TLS_PORT_SETTING : BrokerSettings.PORT_SETTING)
                + " to a free port (0 = any free port)", null, false, false);
    }
}
