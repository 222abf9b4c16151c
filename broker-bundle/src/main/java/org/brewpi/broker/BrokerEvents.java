package org.brewpi.broker;

import java.util.function.Consumer;

import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptAcknowledgedMessage;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.moquette.interception.messages.InterceptExceptionMessage;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.moquette.interception.messages.InterceptSubscribeMessage;
import io.moquette.interception.messages.InterceptUnsubscribeMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Moquette reports, on its single interceptor thread (so in the order it handled things): connections,
 * publishes, lost connections. Publishes go to the in-process transport; a client's will is kept from its
 * CONNECT and handed to the transport when its connection is lost, because Moquette 0.17 delivers wills only to
 * MQTT subscribers (it never calls {@code onPublish} for them) and never retains them.
 */
final class BrokerEvents implements InterceptHandler {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerEvents.class);
    private static final Class<?>[] EVENTS = { InterceptConnectMessage.class, InterceptDisconnectMessage.class,
            InterceptConnectionLostMessage.class, InterceptPublishMessage.class, InterceptExceptionMessage.class };

    /** Stores a will as the retained message of its topic, inside the broker. */
    @FunctionalInterface
    interface RetainedStore {
        void retain(String topic, byte[] payload, int qos);
    }

    private final EmbeddedTransport transport;
    private final ConnectedClients clients;
    private final RetainedStore brokerRetained;
    private final Consumer<Throwable> sessionLoopFailed;

    BrokerEvents(EmbeddedTransport transport, ConnectedClients clients, RetainedStore brokerRetained,
            Consumer<Throwable> sessionLoopFailed) {
        this.transport = transport;
        this.clients = clients;
        this.brokerRetained = brokerRetained;
        this.sessionLoopFailed = sessionLoopFailed;
    }

    @Override
    public String getID() {
        return "brewpi-embedded-transport";
    }

    @Override
    public Class<?>[] getInterceptedMessageTypes() {
        return EVENTS.clone();
    }

    @Override
    public void onConnect(InterceptConnectMessage msg) {
        ConnectedClients.Will will = msg.isWillFlag()
                ? new ConnectedClients.Will(msg.getWillTopic(), msg.getWillMessage().clone(), msg.getWillQos(),
                        msg.isWillRetain())
                : null;
        clients.connected(new ConnectedClients.Client(msg.getClientID(), msg.getUsername(), System.currentTimeMillis(),
                will));
        LOG.info("MQTT client {} connected as {}", msg.getClientID(),
                msg.getUsername() == null ? "(anonymous)" : msg.getUsername());
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
        // A clean DISCONNECT discards the will.
        clients.disconnected(msg.getClientID());
        LOG.info("MQTT client {} disconnected", msg.getClientID());
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
        // After a clean DISCONNECT Moquette reports the closed socket too; the client is already gone by then.
        clients.lost(msg.getClientID()).ifPresentOrElse(client -> {
            ConnectedClients.Will will = client.will();
            LOG.info("MQTT client {} lost its connection{}", msg.getClientID(),
                    will == null ? "" : "; its will is published");
            if (will != null) {
                deliverWill(msg.getClientID(), will);
            }
        }, () -> LOG.info("MQTT client {}: an earlier connection of it closed (taken over by its new one)",
                msg.getClientID()));
    }

    private void deliverWill(String clientId, ConnectedClients.Will will) {
        try {
            if (will.retain()) {
                brokerRetained.retain(will.topic(), will.payload(), will.qos());
            }
            transport.received(will.topic(), will.payload(), will.retain(), clientId);
        } catch (RuntimeException e) {
            LOG.error("Will of MQTT client {} could not be delivered in-process: {}", clientId, e.toString());
        }
    }

    @Override
    public void onPublish(InterceptPublishMessage msg) {
        ByteBuf payload = msg.getPayload();
        try {
            // Copy out: the buffer goes back to Netty's pool as soon as it is released below.
            byte[] bytes = ByteBufUtil.getBytes(payload);
            transport.received(msg.getTopicName(), bytes, msg.isRetainFlag(), msg.getClientID());
        } catch (RuntimeException e) {
            LOG.error("MQTT message on {} could not be delivered in-process: {}", msg.getTopicName(), e.toString());
        } finally {
            payload.release();
        }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        sessionLoopFailed.accept(error);
    }

    @Override
    public void onSubscribe(InterceptSubscribeMessage msg) {
        // not intercepted
    }

    @Override
    public void onUnsubscribe(InterceptUnsubscribeMessage msg) {
        // not intercepted
    }

    @Override
    public void onMessageAcknowledged(InterceptAcknowledgedMessage msg) {
        // not intercepted
    }
}
