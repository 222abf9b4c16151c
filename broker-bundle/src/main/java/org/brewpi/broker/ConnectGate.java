package org.brewpi.broker;

import java.util.Objects;
import java.util.Optional;

import io.moquette.broker.EmbeddedMoquette;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection passes before Moquette sees its packets:
 * <ul>
 * <li>CONNECT: nobody while the security is unavailable; anonymous only if allowed; a user name must be a valid
 * zone id and come with a password; a will only on a topic the client may publish to (Moquette 0.17 publishes
 * wills without any ACL check); a client id in use by another user is refused (no kicking another zone's PLC
 * off by taking its id). The credentials themselves are checked afterwards by Moquette through
 * {@link BrokerSecurity#checkValid}.</li>
 * <li>Later packets: no wildcard or NUL in a PUBLISH topic, no QoS 2 (the protocol uses 0 and 1, and Moquette
 * 0.17 keeps unanswered QoS 2 messages forever), no topic or filter longer than {@link #MAX_TOPIC_CHARS} or
 * deeper than {@link #MAX_TOPIC_LEVELS} (Moquette's subscription tree recurses per level).</li>
 * </ul>
 */
final class ConnectGate implements EmbeddedMoquette.Gate {

    static final int MAX_TOPIC_CHARS = 256;
    static final int MAX_TOPIC_LEVELS = 16;
    private static final int MQTT_3_1 = 3;
    private static final int MQTT_3_1_1 = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectGate.class);

    private final BrokerSecurity security;
    private final ConnectedClients clients;
    private final BrokerStats stats;
    private final LogThrottle logThrottle;

    ConnectGate(BrokerSecurity security, ConnectedClients clients, BrokerStats stats, LogThrottle logThrottle) {
        this.security = security;
        this.clients = clients;
        this.stats = stats;
        this.logThrottle = logThrottle;
    }

    @Override
    public MqttConnectReturnCode admit(MqttConnectMessage connect, String remoteAddress) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        String clientId = payload.clientIdentifier();
        String user = header.hasUserName() ? payload.userName() : null;
        Refusal refusal;
        try {
            refusal = decide(header, payload, clientId, user);
        } catch (RuntimeException e) {
            LOG.error("MQTT CONNECT check failed for {}: {}", remoteAddress, e.toString());
            refusal = new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "security_unavailable");
        }
        if (refusal == null) {
            return null;
        }
        security.loginRefused(refusal.reason(), clientId, user);
        return refusal.code();
    }

    private record Refusal(MqttConnectReturnCode code, String reason) {
    }

    private Refusal decide(MqttConnectVariableHeader header, MqttConnectPayload payload, String clientId, String user) {
        if (header.version() != MQTT_3_1 && header.version() != MQTT_3_1_1) {
            return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, "protocol_version");
        }
        if (security.problem() != null) {
            return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "security_unavailable");
        }
        if (clientId == null || clientId.isEmpty()) {
            return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "empty_client_id");
        }
        if (user == null) {
            if (!security.allowAnonymous()) {
                return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "anonymous");
            }
            if (header.hasPassword()) {
                return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                        "password_without_user");
            }
        } else {
            if (!ZoneIds.isValid(user)) {
                return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, "invalid_user");
            }
            if (!header.hasPassword()) {
                return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, "no_password");
            }
        }
        if (header.isWillFlag() && !security.mayLeaveWill(user, payload.willTopic())) {
            return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "will_not_allowed");
        }
        Optional<ConnectedClients.Client> holder = clients.get(clientId);
        if (holder.isPresent() && !Objects.equals(holder.get().user(), user)) {
            return new Refusal(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client_id_in_use");
        }
        return null;
    }

    @Override
    public String inspect(MqttMessage message) {
        if (message instanceof MqttPublishMessage publish) {
            String topic = publish.variableHeader().topicName();
            String problem = TopicFilter.topicProblem(topic);
            if (problem == null) {
                problem = sizeProblem(topic);
            }
            if (problem == null && publish.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
                problem = "QoS 2 PUBLISH (the protocol uses QoS 0 and 1)";
            }
            return problem;
        }
        if (message instanceof MqttSubscribeMessage subscribe) {
            for (MqttTopicSubscription subscription : subscribe.payload().topicSubscriptions()) {
                String problem = sizeProblem(subscription.topicName());
                if (problem != null) {
                    return problem;
                }
            }
        } else if (message instanceof MqttUnsubscribeMessage unsubscribe) {
            for (String filter : unsubscribe.payload().topics()) {
                String problem = filter == null ? "empty topic filter" : sizeProblem(filter);
                if (problem == null) {
                    problem = TopicFilter.problem(filter);
                }
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static String sizeProblem(String topic) {
        if (topic == null) {
            return "empty topic";
        }
        if (topic.length() > MAX_TOPIC_CHARS) {
            return "topic longer than " + MAX_TOPIC_CHARS + " characters";
        }
        int levels = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/' && ++levels > MAX_TOPIC_LEVELS) {
                return "topic deeper than " + MAX_TOPIC_LEVELS + " levels";
            }
        }
        return null;
    }

    @Override
    public void violation(String remoteAddress, String clientId, String reason) {
        stats.protocolViolation();
        if (logThrottle.allow("violation")) {
            LOG.warn("MQTT connection from {}{} closed: {}", remoteAddress,
                    clientId == null ? "" : " (client " + ZoneIds.printable(clientId) + ")", ZoneIds.printable(reason, 160));
        }
    }
}
