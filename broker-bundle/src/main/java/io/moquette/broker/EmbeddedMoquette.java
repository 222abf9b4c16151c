package io.moquette.broker;

import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

import io.moquette.BrokerConstants;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.CTrieSubscriptionDirectory;
import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.BrokerInterceptor;
import io.moquette.interception.InterceptHandler;
import io.moquette.persistence.MemorySessionsRepository;
import io.moquette.persistence.MemorySubscriptionsRepository;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette 0.17 wired the way the box needs it: in memory, plain TCP on NIO, and with a {@link Gate} in front
 * of every connection.
 * <p>
 * This is our code, placed in Moquette's package only because the pieces it assembles have package-private
 * constructors. Moquette's own {@code Server} builds its Netty handler itself and offers no way to put
 * anything in front of it, yet 0.17 needs a guard there: it publishes a client's will without any ACL check
 * (a PLC could leave a forged command or a forged SCADA status as its will), and it lets packets that arrive
 * before CONNECT reach code that fails on them. The wiring also drops {@code Server}'s permissive defaults:
 * no class loading by name, no accept-all authenticator or permit-all authorizer fallback, no telemetry call
 * home; the authenticator, authorizer and gate are required.
 */
public final class EmbeddedMoquette {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMoquette.class);

    /** Decides who may connect and what may pass, before Moquette sees the packet. */
    public interface Gate {

        /**
         * @return {@code null} to let the CONNECT through to Moquette (which then authenticates the
         *         credentials), or the CONNACK code that refuses it
         */
        MqttConnectReturnCode admit(MqttConnectMessage connect, String remoteAddress);

        /**
         * Checks a packet that follows an accepted CONNECT.
         *
         * @return {@code null} to let it through, else why the connection must be closed
         */
        String inspect(MqttMessage message);

        /** The connection was closed because it broke the protocol (undecodable, out of order, refused by inspect). */
        void violation(String remoteAddress, String clientId, String reason);
    }

    /**
     * @param maxMessageBytes the largest MQTT packet accepted (remaining length); larger ones close the connection
     * @param connectTimeoutSeconds time a new connection has to send its CONNECT
     * @param sessionQueueSize commands each session loop may hold before Moquette drops new ones
     * @param sessionExpirySeconds how long the state of a disconnected persistent session is kept
     * @param tlsKeys the broker's key and certificate: MQTT over TLS on {@code port} and no plain listener at all;
     *        {@code null} for plain MQTT
     */
    public record Options(String host, int port, boolean allowAnonymous, int maxMessageBytes, int connectTimeoutSeconds,
            int sessionQueueSize, int sessionExpirySeconds, KeyManagerFactory tlsKeys) {

        public Options(String host, int port, boolean allowAnonymous, int maxMessageBytes, int connectTimeoutSeconds,
                int sessionQueueSize, int sessionExpirySeconds) {
            this(host, port, allowAnonymous, maxMessageBytes, connectTimeoutSeconds, sessionQueueSize,
                    sessionExpirySeconds, null);
        }
    }

    private static final String DISABLED = "disabled";

    private final ScheduledExecutorService scheduler;
    private final BrokerInterceptor interceptor;
    private final SessionRegistry sessions;
    private final IRetainedRepository retained;
    private final PostOffice postOffice;
    private final NewNettyAcceptor acceptor;

    private EmbeddedMoquette(Options options, IAuthenticator authenticator, IAuthorizatorPolicy authorizer, Gate gate,
            InterceptHandler handler) {
        IConfig config = new MemoryConfig(moquetteProperties(options));
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "brewpi-broker-sessions-expiry");
            thread.setDaemon(true);
            return thread;
        });
        // One interceptor thread: what PLCs publish reaches the transport in the order the broker handled it.
        interceptor = new BrokerInterceptor(config, List.of(handler));
        ISubscriptionsDirectory subscriptions = new CTrieSubscriptionDirectory();
        subscriptions.init(new MemorySubscriptionsRepository());
        Authorizator authorizator = new Authorizator(authorizer);
        SessionEventLoopGroup sessionLoops = new SessionEventLoopGroup(interceptor, options.sessionQueueSize());
        sessions = new SessionRegistry(subscriptions, new MemorySessionsRepository(), new MemoryQueueRepository(),
                authorizator, scheduler, Clock.systemUTC(), options.sessionExpirySeconds(), sessionLoops);
        retained = new MemoryRetainedRepository();
        postOffice = new PostOffice(subscriptions, retained, sessions, interceptor, authorizator, sessionLoops);
        BrokerConfiguration brokerConfig = new BrokerConfiguration(config);
        MQTTConnectionFactory connections = new MQTTConnectionFactory(brokerConfig, authenticator, sessions, postOffice);
        acceptor = new NewNettyAcceptor();
        GatedHandler gated = new GatedHandler(connections, new GateHandler(gate), options.connectTimeoutSeconds());
        try {
            acceptor.initialize(gated, config, () -> sslContext(options.tlsKeys()), brokerConfig);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /**
     * Starts the broker and binds its port.
     *
     * @throws RuntimeException when the port cannot be bound; everything started is stopped again
     */
    public static EmbeddedMoquette start(Options options, IAuthenticator authenticator, IAuthorizatorPolicy authorizer,
            Gate gate, InterceptHandler handler) {
        if (authenticator == null || authorizer == null || gate == null || handler == null) {
            throw new IllegalArgumentException("authenticator, authorizer, gate and handler are required");
        }
        return new EmbeddedMoquette(options, authenticator, authorizer, gate, handler);
    }

    private static Properties moquetteProperties(Options options) {
        Properties props = new Properties();
        props.setProperty(IConfig.HOST_PROPERTY_NAME, options.host());
        if (options.tlsKeys() == null) {
            props.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(options.port()));
        } else {
            // TLS only: a plain listener would let passwords cross the network in the clear
            props.setProperty(IConfig.PORT_PROPERTY_NAME, DISABLED);
            props.setProperty(BrokerConstants.SSL_PORT_PROPERTY_NAME, Integer.toString(options.port()));
        }
        props.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, Boolean.toString(options.allowAnonymous()));
        props.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(options.maxMessageBytes()));
        // Only Server reads these two (we never run it); set anyway so no code path of Moquette's can differ.
        props.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        props.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        props.setProperty(IConfig.SESSION_QUEUE_SIZE, Integer.toString(options.sessionQueueSize()));
        props.setProperty(BrokerConstants.BROKER_INTERCEPTOR_THREAD_POOL_SIZE, "1");
        // Moquette's own idle timeout until CONNECT: a second after ours, so the gate closes (and counts) first.
        props.setProperty(BrokerConstants.NETTY_CHANNEL_TIMEOUT_SECONDS_PROPERTY_NAME,
                Integer.toString(options.connectTimeoutSeconds() + 1));
        props.setProperty(BrokerConstants.NETTY_EPOLL_PROPERTY_NAME, "false"); // NIO: native epoll is not embedded
        return props;
    }

    /** Netty's server context over the JDK's TLS (1.3 and 1.2 only); {@code null}, never asked for, without keys. */
    private static SslContext sslContext(KeyManagerFactory keys) {
        if (keys == null) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("MQTT over TLS cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * Publishes as the broker itself, to every matching subscriber, with no ACL check: the SCADA is privileged.
     * Moquette does not show such messages to intercept handlers.
     */
    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        MqttPublishMessage message = publishMessage(topic, payload, qos, retain);
        try {
            postOffice.internalPublish(message);
        } finally {
            message.release();
        }
    }

    /** Stores a retained message without delivering it (used for wills, which Moquette 0.17 never retains). */
    public void retain(String topic, byte[] payload, int qos) {
        Topic target = new Topic(topic);
        if (payload.length == 0) {
            retained.cleanRetained(target);
            return;
        }
        MqttPublishMessage message = publishMessage(topic, payload, qos, true);
        try {
            retained.retain(target, message);
        } finally {
            message.release();
        }
    }

    /** Wraps the payload without copying it (Netty's builder would copy it into a buffer nobody releases). */
    private static MqttPublishMessage publishMessage(String topic, byte[] payload, int qos, boolean retain) {
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos), retain, 0),
                new MqttPublishVariableHeader(topic, 0), Unpooled.wrappedBuffer(payload));
    }

    /** Connected clients as Moquette sees them: client id and remote address. */
    public Collection<ClientDescriptor> connectedClients() {
        return sessions.listConnectedClients();
    }

    /** Stops accepting, closes every connection and stops Moquette's threads. Safe after a failed start. */
    public void stop() {
        try {
            acceptor.close();
        } catch (RuntimeException e) {
            LOG.debug("Netty acceptor was not started: {}", e.getMessage());
        }
        scheduler.shutdownNow();
        sessions.close();
        interceptor.stop();
        postOffice.terminate();
    }

    /** Moquette's handler, with our gate put in front of it as each connection opens. */
    private static final class GatedHandler extends NewNettyMQTTHandler {

        private final GateHandler gate;
        private final int connectTimeoutSeconds;

        GatedHandler(MQTTConnectionFactory connections, GateHandler gate, int connectTimeoutSeconds) {
            super(connections);
            this.gate = gate;
            this.connectTimeoutSeconds = connectTimeoutSeconds;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            super.channelActive(ctx);
            // Reads start only after channelActive has gone through the pipeline: the gate sees the first byte.
            if (ctx.pipeline().get("decoder") != null) {
                ctx.pipeline().addAfter("decoder", "brewpiGate", gate);
            } else {
                ctx.pipeline().addFirst("brewpiGate", gate);
            }
            ctx.executor().schedule(() -> gate.closeIfNoConnect(ctx), connectTimeoutSeconds, TimeUnit.SECONDS);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A peer resetting its socket is routine for PLCs on Wi-Fi; anything else is one line, no stack trace.
            if (cause instanceof IOException) {
                LOG.debug("MQTT connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            } else if (cause.getCause() instanceof NotSslRecordException) {
                // Netty's message holds the bytes received, i.e. the client's password in the clear: never log it
                LOG.warn("MQTT connection {} closed: it spoke plain MQTT to the TLS-only port",
                        ctx.channel().remoteAddress());
            } else {
                LOG.warn("MQTT connection {} closed after an error: {}", ctx.channel().remoteAddress(), cause.toString());
            }
            ctx.close();
        }
    }

    /** Protocol guard: decodable packets, CONNECT first and once, then whatever the gate lets through. */
    @Sharable
    private static final class GateHandler extends ChannelInboundHandlerAdapter {

        private static final AttributeKey<Boolean> CONNECT_SEEN = AttributeKey.valueOf("brewpi.connectSeen");

        private final Gate gate;

        GateHandler(Gate gate) {
            this.gate = gate;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof MqttMessage mqtt)) {
                refuse(ctx, message, "not an MQTT packet");
                return;
            }
            if (mqtt.decoderResult() != null && mqtt.decoderResult().isFailure()) {
                Throwable cause = mqtt.decoderResult().cause();
                refuse(ctx, message, "undecodable packet" + (cause == null ? "" : " (" + cause.getMessage() + ")"));
                return;
            }
            if (mqtt.fixedHeader() == null) {
                refuse(ctx, message, "packet without a fixed header");
                return;
            }
            boolean connectSeen = ctx.channel().hasAttr(CONNECT_SEEN);
            MqttMessageType type = mqtt.fixedHeader().messageType();
            if (type == MqttMessageType.CONNECT) {
                if (connectSeen) {
                    refuse(ctx, message, "second CONNECT on one connection");
                    return;
                }
                ctx.channel().attr(CONNECT_SEEN).set(Boolean.TRUE);
                MqttConnectReturnCode refusal = gate.admit((MqttConnectMessage) mqtt,
                        String.valueOf(ctx.channel().remoteAddress()));
                if (refusal != null) {
                    ReferenceCountUtil.release(message);
                    MqttMessage connack = MqttMessageBuilders.connAck().returnCode(refusal).sessionPresent(false).build();
                    // From the channel, not ctx: the MQTT encoder sits after this gate in the pipeline.
                    ctx.channel().writeAndFlush(connack).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            } else if (!connectSeen) {
                refuse(ctx, message, type + " before CONNECT");
                return;
            } else {
                String reason = gate.inspect(mqtt);
                if (reason != null) {
                    refuse(ctx, message, reason);
                    return;
                }
            }
            ctx.fireChannelRead(message);
        }

        private void refuse(ChannelHandlerContext ctx, Object message, String reason) {
            ReferenceCountUtil.release(message);
            gate.violation(String.valueOf(ctx.channel().remoteAddress()), NettyUtils.clientID(ctx.channel()), reason);
            ctx.close();
        }

        void closeIfNoConnect(ChannelHandlerContext ctx) {
            if (ctx.channel().isActive() && !ctx.channel().hasAttr(CONNECT_SEEN)) {
                gate.violation(String.valueOf(ctx.channel().remoteAddress()), null, "no CONNECT in time");
                ctx.close();
            }
        }
    }
}
