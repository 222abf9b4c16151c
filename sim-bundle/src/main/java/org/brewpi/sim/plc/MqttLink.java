package org.brewpi.sim.plc;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.brewpi.sim.protocol.Topics;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PLC's MQTT 3.1.1 connection (Paho), with the zone's credentials and its will
 * ({@code {"v":1,"state":"offline"}}, retained). Everything it reports to its {@link Listener}
 * runs on the simulator's loop thread; it reconnects by itself with a capped back-off.
 *
 * <p>{@link #dropAbruptly()} closes the socket without an MQTT DISCONNECT, as a PLC losing power
 * would, so the broker publishes the will.
 */
public final class MqttLink implements Outbox {

    /** What the link reports, always on the loop thread. */
    public interface Listener {
        void linkUp();

        void linkDown();

        void message(String topic, byte[] payload);
    }

    static final byte[] WILL = "{\"v\":1,\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8);
    private static final int KEEP_ALIVE_S = 10;
    private static final int CONNECT_TIMEOUT_S = 5;
    private static final long MAX_BACKOFF_MS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    private final Topics topics;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final ScheduledExecutorService loop;
    private final Listener listener;

    // touched on the loop thread only
    private boolean stopped;
    private boolean connecting;
    private boolean up;
    private long backoffMs = 1_000;
    private int failures;
    private ScheduledFuture<?> retry;
    /** The connect in flight, if any: a power-off must let it finish, or its CONNECT arrives after the new PLC's. */
    private IMqttToken connectToken;

    /**
     * @param password {@code null} to connect with the user name only (a broker that lets anyone in)
     * @throws IllegalArgumentException when the broker URL is not usable
     */
    public MqttLink(String brokerUrl, Topics topics, String clientId, String password, ScheduledExecutorService loop,
            Listener listener) {
        this(brokerUrl, topics, clientId, password, loop, listener, null);
    }

    /** @param socketFactory TLS sockets for an {@code ssl://} broker; {@code null} for the JVM's defaults */
    public MqttLink(String brokerUrl, Topics topics, String clientId, String password, ScheduledExecutorService loop,
            Listener listener, javax.net.SocketFactory socketFactory) {
        this.topics = topics;
        this.loop = loop;
        this.listener = listener;
        try {
            this.client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("broker URL '" + brokerUrl + "' is not usable: " + e.getMessage(), e);
        }
        options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(KEEP_ALIVE_S);
        options.setConnectionTimeout(CONNECT_TIMEOUT_S);
        options.setMaxInflight(200);
        options.setUserName(topics.zone());
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        options.setWill(topics.status(), WILL, 1, true);
        if (socketFactory != null) {
            options.setSocketFactory(socketFactory);
        }
        client.setCallback(new Callback());
    }

    /** Starts connecting; call on the loop thread. */
    public void start() {
        connect();
    }

    public boolean isUp() {
        return up;
    }

    @Override
    public boolean publish(String topic, byte[] payload, int qos, boolean retained) {
        if (!client.isConnected()) {
            return false;
        }
        try {
            client.publish(topic, payload, qos, retained);
            return true;
        } catch (MqttException e) {
            LOG.debug("zone {}: publish to {} failed: {}", topics.zone(), topic, e.getMessage());
            return false;
        }
    }

    /**
     * Drops the connection without a DISCONNECT packet (the broker then publishes the will) and
     * frees the client. Call on the loop thread; returns within about half a second.
     */
    public void dropAbruptly() {
        stopped = true;
        up = false;
        if (retry != null) {
            retry.cancel(false);
        }
        if (connecting && connectToken != null) {
            // A connect still in flight would complete after close() and take over the session of the PLC that
            // replaces this one (same client id): the new PLC would see its connection lost and latch fail-safe.
            try {
                connectToken.waitForCompletion(CONNECT_TIMEOUT_S * 1000L);
            } catch (MqttException e) {
                LOG.debug("zone {}: the connect in flight ended: {}", topics.zone(), e.getMessage());
            }
        }
        try {
            if (client.isConnected()) {
                // no quiesce, short timeouts, no DISCONNECT: the default would wait 30 s
                client.disconnectForcibly(0, 200, false);
            }
        } catch (MqttException e) {
            LOG.debug("zone {}: dropping the connection: {}", topics.zone(), e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("zone {}: closing the client: {}", topics.zone(), e.getMessage());
        }
    }

    private void connect() {
        if (stopped || connecting || client.isConnected()) {
            return;
        }
        connecting = true;
        try {
            connectToken = client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    subscribe();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    onLoop(() -> connectFailed(cause));
                }
            });
        } catch (MqttException e) {
            connectFailed(e);
        }
    }

    private void subscribe() {
        String[] filters = {topics.cmd(), topics.heartbeat(), topics.scadaStatus()};
        try {
            client.subscribe(filters, new int[] {1, 0, 1}, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] granted = token.getGrantedQos();
                    for (int i = 0; granted != null && i < granted.length && i < filters.length; i++) {
                        if (granted[i] == 0x80) {
                            LOG.warn("zone {}: the broker refused the subscription to {} (check its ACL)", topics.zone(),
                                    filters[i]);
                        }
                    }
                    onLoop(MqttLink.this::connected);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    if (cause instanceof MqttException m && m.getReasonCode() == MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
                        // the broker's ACL said no; reconnecting would not change its mind
                        LOG.warn("zone {}: the broker refused a subscription (check its ACL)", topics.zone());
                        onLoop(MqttLink.this::connected);
                        return;
                    }
                    onLoop(() -> {
                        LOG.warn("zone {}: subscribing failed: {}", topics.zone(), message(cause));
                        forceReconnect();
                    });
                }
            });
        } catch (MqttException e) {
            onLoop(() -> {
                LOG.warn("zone {}: subscribing failed: {}", topics.zone(), message(e));
                forceReconnect();
            });
        }
    }

    private void connected() {
        connecting = false;
        if (stopped) {
            return;
        }
        up = true;
        failures = 0;
        backoffMs = 1_000;
        listener.linkUp();
    }

    private void connectFailed(Throwable cause) {
        connecting = false;
        if (stopped) {
            return;
        }
        failures++;
        // one line when the trouble starts, then quiet retries
        if (failures == 1) {
            LOG.warn("zone {}: cannot connect to the broker: {}; retrying every {} s at most", topics.zone(),
                    message(cause), MAX_BACKOFF_MS / 1000);
        } else {
            LOG.debug("zone {}: connect attempt {} failed: {}", topics.zone(), failures, message(cause));
        }
        scheduleRetry();
    }

    private void lost(Throwable cause) {
        connecting = false;
        if (stopped) {
            return;
        }
        if (up) {
            up = false;
            LOG.debug("zone {}: connection lost: {}", topics.zone(), message(cause));
            listener.linkDown();
        }
        scheduleRetry();
    }

    private void forceReconnect() {
        try {
            client.disconnectForcibly(0, 200, false);
        } catch (MqttException e) {
            LOG.debug("zone {}: {}", topics.zone(), e.getMessage());
        }
        lost(null);
    }

    private void scheduleRetry() {
        if (stopped || (retry != null && !retry.isDone())) {
            return;
        }
        retry = loop.schedule(this::connect, backoffMs, TimeUnit.MILLISECONDS);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }

    /** Hands work from Paho's threads to the loop thread; after the simulator stopped there is nothing to do. */
    private void onLoop(Runnable work) {
        try {
            loop.execute(work);
        } catch (RejectedExecutionException e) {
            LOG.debug("zone {}: simulator stopped, ignoring a late MQTT callback", topics.zone());
        }
    }

    private static String message(Throwable cause) {
        if (cause instanceof MqttException m) {
            return switch (m.getReasonCode()) {
                case MqttException.REASON_CODE_FAILED_AUTHENTICATION -> "bad user name or password";
                case MqttException.REASON_CODE_NOT_AUTHORIZED -> "not authorised";
                default -> m.getMessage() + (m.getCause() != null ? " (" + m.getCause().getMessage() + ")" : "");
            };
        }
        return cause == null ? "closed" : cause.toString();
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            onLoop(() -> lost(cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] payload = message.getPayload().clone();
            onLoop(() -> {
                if (!stopped) {
                    listener.message(topic, payload);
                }
            });
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // QoS 1 completions need no action: a lost ack is the SCADA's timeout to handle
        }
    }
}
