package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.brewpi.broker.Plcs.utf8;

import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

/** The Netty buffer contract of the publish hook: copy the bytes out, release the buffer, whatever happens. */
class BrokerEventsTest {

    private final BrokerStats stats = new BrokerStats();
    private final EmbeddedTransport transport = new EmbeddedTransport((topic, payload, qos, retain) -> {
        throw new AssertionError("nothing is published to MQTT clients here");
    }, stats, new LogThrottle(60_000));
    private final BrokerEvents events = new BrokerEvents(transport, new ConnectedClients(), (topic, payload, qos) -> {
        throw new AssertionError("no will is retained here");
    }, error -> {
        throw new AssertionError(error);
    });

    /** A publish as Moquette hands it to intercept handlers: a pooled buffer with one reference for the handler. */
    private static InterceptPublishMessage published(String topic, String payload, boolean retain) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer();
        buffer.writeBytes(utf8(payload));
        MqttPublishMessage message = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, retain, 0),
                new MqttPublishVariableHeader(topic, 0), buffer);
        return new InterceptPublishMessage(message, "fv1-plc", "fv1");
    }

    @Test
    void thePayloadIsCopiedOutAndTheBufferReleased() {
        Recorder scada = new Recorder();
        transport.subscribe("brewpi/v1/+/tele", scada);
        InterceptPublishMessage message = published("brewpi/v1/fv1/tele", "{\"v\":1,\"seq\":7}", false);
        ByteBuf buffer = message.getPayload();

        events.onPublish(message);

        assertThat(buffer.refCnt()).isZero();
        assertThat(scada.all()).containsExactly(new Recorder.Received("brewpi/v1/fv1/tele", "{\"v\":1,\"seq\":7}", "fv1-plc"));
        assertThat(stats.messagesIn()).isEqualTo(1);
    }

    @Test
    void theBufferIsReleasedEvenWhenASubscriberFails() {
        transport.subscribe("#", (topic, payload, clientId) -> {
            throw new IllegalStateException("subscriber bug");
        });
        Recorder other = new Recorder();
        transport.subscribe("brewpi/v1/fv1/#", other);
        InterceptPublishMessage message = published("brewpi/v1/fv1/status", "online", true);
        ByteBuf buffer = message.getPayload();

        events.onPublish(message);

        assertThat(buffer.refCnt()).isZero();
        assertThat(other.all()).extracting(Recorder.Received::payload).containsExactly("online");
        assertThat(stats.handlerErrors()).isEqualTo(1);
        // and the retained copy outlives the buffer
        Recorder late = new Recorder();
        transport.subscribe("brewpi/v1/fv1/status", late);
        assertThat(late.all()).extracting(Recorder.Received::payload).containsExactly("online");
    }
}
