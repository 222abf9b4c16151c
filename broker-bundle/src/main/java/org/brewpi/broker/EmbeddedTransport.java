package org.brewpi.broker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brewpi.api.mqtt.MqttTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCADA's side of the embedded broker, in-process: no socket, no login, no ACL (the SCADA is privileged).
 * <ul>
 * <li>Incoming: what MQTT clients publish (and their wills, when their connection is lost) is handed to the
 * subscribers whose filter matches, in the order the broker handled it.</li>
 * <li>Retained: the last retained payload per topic is kept, and a new subscriber first gets the ones its filter
 * matches. So a driver bundle restarted while the PLCs stay connected still sees their births and statuses.</li>
 * <li>Outgoing: {@link #publish} goes to the MQTT clients through the broker, and also to the in-process
 * subscribers whose filter matches, as any MQTT broker would deliver a client's own publish back to it.</li>
 * </ul>
 * Delivery, retained replay and the retained store share one lock, so a subscriber never sees a retained
 * message older than one already delivered to it. Handlers run under that lock: they must return quickly
 * and must not wait for another thread that publishes through this transport.
 */
final class EmbeddedTransport implements MqttTransport {

    /** The client id in-process subscribers see on what the SCADA itself published. */
    static final String SCADA_CLIENT_ID = "brewpi-scada";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedTransport.class);

    /** Sends a message to the broker's MQTT clients. */
    @FunctionalInterface
    interface Outbound {
        void publish(String topic, byte[] payload, int qos, boolean retain);
    }

    private record Subscription(TopicFilter filter, MessageHandler handler) {
    }

    private record Retained(byte[] payload, String clientId) {
    }

    private final Object deliveryLock = new Object();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Map<String, Retained> retained = new HashMap<>();
    private final Outbound outbound;
    private final BrokerStats stats;
    private final LogThrottle logThrottle;
    private volatile boolean open = true;

    EmbeddedTransport(Outbound outbound, BrokerStats stats, LogThrottle logThrottle) {
        this.outbound = outbound;
        this.stats = stats;
        this.logThrottle = logThrottle;
    }

    @Override
    public AutoCloseable subscribe(String topicFilter, MessageHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("handler is required");
        }
        Subscription subscription = new Subscription(TopicFilter.parse(topicFilter), handler);
        synchronized (deliveryLock) {
            if (!open) {
                throw new IllegalStateException("the embedded MQTT broker is stopped");
            }
            subscriptions.add(subscription);
            retained.forEach((topic, message) -> {
                if (subscription.filter().matches(topic)) {
                    deliver(subscription, topic, message.payload(), message.clientId());
                }
            });
        }
        return () -> subscriptions.remove(subscription);
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        String problem = TopicFilter.topicProblem(topic);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + qos);
        }
        if (!open) {
            throw new IllegalStateException("the embedded MQTT broker is stopped");
        }
        byte[] copy = payload == null ? new byte[0] : payload.clone();
        stats.messageOut();
        dispatch(topic, copy, retain, SCADA_CLIENT_ID);
        outbound.publish(topic, copy, qos, retain);
    }

    @Override
    public boolean connected() {
        return open;
    }

    /** A message from an MQTT client (or its will): retained store, then the matching subscribers. */
    void received(String topic, byte[] payload, boolean retain, String clientId) {
        stats.messageIn();
        dispatch(topic, payload, retain, clientId);
    }

    int retainedTopics() {
        synchronized (deliveryLock) {
            return retained.size();
        }
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    /** The broker stops: subscribers are dropped and nothing more is delivered or accepted. */
    void close() {
        synchronized (deliveryLock) {
            open = false;
            subscriptions.clear();
            retained.clear();
        }
    }

    private void dispatch(String topic, byte[] payload, boolean retain, String clientId) {
        String[] levels = TopicFilter.levels(topic);
        synchronized (deliveryLock) {
            if (!open) {
                return;
            }
            if (retain) {
                if (payload.length == 0) {
                    retained.remove(topic); // MQTT: an empty retained message clears the topic
                } else {
                    retained.put(topic, new Retained(payload, clientId));
                }
            }
            for (Subscription subscription : subscriptions) {
                if (subscription.filter().matches(levels)) {
                    deliver(subscription, topic, payload, clientId);
                }
            }
        }
    }

    private void deliver(Subscription subscription, String topic, byte[] payload, String clientId) {
        try {
            subscription.handler().message(topic, payload, clientId);
        } catch (RuntimeException e) {
            // One faulty subscriber must not cost the others their messages, nor the broker its thread.
            stats.handlerError();
            if (logThrottle.allow("handler:" + subscription.filter())) {
                LOG.error("In-process MQTT subscriber for {} failed on {}: {}", subscription.filter(), topic, e.toString());
            }
        }
    }
}
