package io.moquette.broker;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;

import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.BrokerInterceptor;
import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * Moquette's post office, telling the SCADA's in-process side what its clients do on the thread Moquette handles
 * it on (the client's session loop; the Netty thread for a CONNECT), instead of through Moquette's interceptor
 * thread. That thread was one more hand-off, one more wake-up, between a PLC's telemetry and the interlock that
 * reacts to it. Each client's publishes, will and connection events stay in order: Moquette handles all of a
 * client id's on one session loop. Different clients may now be told concurrently; the in-process transport
 * serialises them.
 * <p>
 * What is told, and when, is what Moquette's interceptor would have told: a publish the ACL allows (for QoS 1 and
 * 2 only once it was routed to every MQTT subscriber, as Moquette acknowledges it only then), connections,
 * clean disconnections and lost connections. Wills are not publishes here either (see BrokerEvents).
 */
final class InProcessPostOffice extends PostOffice {

    private final InterceptHandler inProcess;
    private final BiPredicate<String, String> mayPublish;

    /**
     * @param mayPublish whether a user may publish on a topic, without counting or logging a refusal (Moquette's
     *        own check, which follows, does that)
     */
    InProcessPostOffice(ISubscriptionsDirectory subscriptions, IRetainedRepository retainedRepository,
            SessionRegistry sessionRegistry, BrokerInterceptor interceptor, Authorizator authorizator,
            SessionEventLoopGroup sessionLoops, InterceptHandler inProcess, BiPredicate<String, String> mayPublish) {
        super(subscriptions, retainedRepository, sessionRegistry, interceptor, authorizator, sessionLoops);
        this.inProcess = inProcess;
        this.mayPublish = mayPublish;
    }

    @Override
    CompletableFuture<Void> receivedPublishQos0(Topic topic, String username, String clientID, MqttPublishMessage msg) {
        // told first: a QoS 0 message is not acknowledged, and the MQTT subscribers' queues are no reason to wait
        if (allowed(topic, username)) {
            tell(msg, clientID, username);
        }
        return super.receivedPublishQos0(topic, username, clientID, msg);
    }

    @Override
    RoutingResults receivedPublishQos1(MQTTConnection connection, Topic topic, String username, int messageID,
            MqttPublishMessage msg) {
        boolean allowed = allowed(topic, username);
        MqttPublishMessage copy = allowed ? msg.retainedDuplicate() : null; // super releases msg
        try {
            RoutingResults routes = super.receivedPublishQos1(connection, topic, username, messageID, msg);
            if (allowed && routes.isAllSuccess()) {
                tell(copy, connection.getClientId(), username);
            }
            return routes;
        } finally {
            if (copy != null) {
                copy.release();
            }
        }
    }

    @Override
    RoutingResults receivedPublishQos2(MQTTConnection connection, MqttPublishMessage msg, String username) {
        Topic topic = new Topic(msg.variableHeader().topicName());
        boolean allowed = allowed(topic, username);
        MqttPublishMessage copy = allowed ? msg.retainedDuplicate() : null;
        try {
            RoutingResults routes = super.receivedPublishQos2(connection, msg, username);
            if (allowed && routes.isAllSuccess()) {
                tell(copy, connection.getClientId(), username);
            }
            return routes;
        } finally {
            if (copy != null) {
                copy.release();
            }
        }
    }

    @Override
    void dispatchConnection(MqttConnectMessage msg) {
        inProcess.onConnect(new InterceptConnectMessage(msg));
    }

    @Override
    void dispatchDisconnection(String clientId, String userName) {
        inProcess.onDisconnect(new InterceptDisconnectMessage(clientId, userName));
    }

    @Override
    void dispatchConnectionLost(String clientId, String userName) {
        inProcess.onConnectionLost(new InterceptConnectionLostMessage(clientId, userName));
    }

    private boolean allowed(Topic topic, String username) {
        try {
            return topic.isValid() && mayPublish.test(username, topic.toString());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The handler releases the payload it is given: it gets its own reference. */
    private void tell(MqttPublishMessage msg, String clientId, String username) {
        inProcess.onPublish(new InterceptPublishMessage(msg.retainedDuplicate(), clientId, username));
    }
}
