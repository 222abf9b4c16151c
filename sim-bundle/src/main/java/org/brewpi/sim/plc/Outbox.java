package org.brewpi.sim.plc;

/** Where a PLC's messages go: the MQTT connection, or a list in a test. */
public interface Outbox {

    /** Publishes one message; returns {@code false} when it could not be handed to the connection. */
    boolean publish(String topic, byte[] payload, int qos, boolean retained);
}
