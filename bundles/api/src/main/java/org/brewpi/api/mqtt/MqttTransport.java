package org.brewpi.api.mqtt;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * How the SCADA reaches an MQTT broker: in-process for the embedded broker, or as a client of an
 * external one. The zone driver only sees this interface.
 */
@ConsumerType
public interface MqttTransport {

    /** Service property: {@code embedded} or {@code external}. */
    String KIND = "brewpi.mqtt.transport";

    /**
     * Receives messages matching an MQTT topic filter ({@code +} and {@code #} allowed),
     * retained ones included, until the returned handle is closed.
     */
    AutoCloseable subscribe(String topicFilter, MessageHandler handler);

    void publish(String topic, byte[] payload, int qos, boolean retained);

    boolean connected();

    @FunctionalInterface
    interface MessageHandler {
        /**
         * Called on the transport's thread: return quickly.
         *
         * @param clientId the publisher's client id when known (embedded broker), else {@code null}
         */
        void message(String topic, byte[] payload, String clientId);
    }
}
