package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.brewpi.broker.Plcs.utf8;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.brewpi.api.health.HealthContributor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and out-of-order MQTT from raw sockets: each such connection is closed and counted, and the broker
 * goes on serving everybody else. Moquette 0.17 has known weak spots here (a session loop dies for good when a
 * command throws), so the check at the end spreads well-behaved clients over every session loop.
 */
class BrokerHardeningTest {

    private static final String ROOT = "brewpi/v1";
    private static final String PASSWORD = "hlt-hardening-pw";

    private static BrokerCore broker;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        ZoneCredentials credentials = new ZoneCredentials();
        credentials.apply("brewpi.zone~hlt", Map.of("zone", "hlt", "password", PASSWORD));
        credentials.loaded();
        broker = BrokerCore.start(new BrokerSettings("127.0.0.1", 0, false, ROOT, 1), credentials);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeOpened() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private RawMqtt raw() throws IOException {
        RawMqtt raw = new RawMqtt(broker.port());
        opened.add(raw);
        return raw;
    }

    private static byte[] validConnect(String clientId) {
        return RawMqtt.connectPacket(clientId, "hlt", PASSWORD, null);
    }

    static List<byte[]> garbage() {
        byte[] connect = validConnect("truncated");
        byte[] random = new byte[512];
        new Random(42).nextBytes(random);
        random[0] = 0x10; // looks like a CONNECT, is not one
        return List.of(
                utf8("GET / HTTP/1.1\r\nHost: box\r\n\r\n"),
                random,
                // huge remaining length: the largest the varint can say (256 MB)
                new byte[] { 0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F },
                // a remaining length longer than the varint allows
                new byte[] { 0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01 },
                // CONNECT with a protocol name that is not MQTT
                RawMqtt.packet(0x10, new byte[] { 0, 4, 'H', 'T', 'T', 'P', 4, 2, 0, 60, 0, 1, 'x' }),
                // packet types 0 and 15 are reserved
                new byte[] { 0x00, 0x00 },
                new byte[] { (byte) 0xF0, 0x00 },
                // a PUBLISH, a SUBSCRIBE and a PINGREQ before any CONNECT
                RawMqtt.publishPacket(ROOT + "/hlt/tele", utf8("early"), 0, 0),
                RawMqtt.subscribePacket("#", 1),
                new byte[] { (byte) 0xC0, 0x00 },
                // a CONNECT cut short, then the socket closes
                java.util.Arrays.copyOf(connect, connect.length / 2));
    }

    /** Undecodable bytes are refused at once; a packet left unfinished runs into the 1 s connect timeout. */
    @ParameterizedTest
    @MethodSource("garbage")
    void garbageBeforeConnectClosesThatConnectionOnlyAndIsCounted(byte[] bytes) throws Exception {
        long violations = broker.stats().protocolViolations();
        RawMqtt raw = raw();

        raw.sendIgnoringClose(bytes);

        assertThat(raw.closedByBroker()).isTrue();
        assertThat(broker.stats().protocolViolations()).isEqualTo(violations + 1);
        assertStillServing();
    }

    @Test
    void aHugeRemainingLengthIsRefusedWithoutWaitingForTheBytes() throws Exception {
        long violations = broker.stats().protocolViolations();
        RawMqtt raw = raw();
        assertThat(raw.connect("huge", "hlt", PASSWORD, null)).isZero();

        // A PUBLISH that claims 256 MB: refused as soon as its topic is read. (After CONNECT only the 90 s
        // keep-alive timeout could close the connection, far beyond the 5 s this socket waits.)
        raw.send(new byte[] { 0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0, 1, 'x' });

        assertThat(raw.closedByBroker()).isTrue();
        assertThat(broker.stats().protocolViolations()).isEqualTo(violations + 1);
        assertStillServing();
    }

    @Test
    void aPublishBeforeConnectIsNotDeliveredAndClosesTheConnection() throws Exception {
        Recorder scada = new Recorder();
        AutoCloseable subscription = broker.transport().subscribe("#", scada);
        opened.add(subscription);
        RawMqtt raw = raw();

        raw.send(RawMqtt.publishPacket(ROOT + "/hlt/tele", utf8("sneaked"), 0, 0));

        assertThat(raw.closedByBroker()).isTrue();
        assertStillServing();
        assertThat(scada.all()).extracting(Recorder.Received::payload).doesNotContain("sneaked");
    }

    @Test
    void aConnectionThatNeverSendsConnectIsClosedAfterTheConnectTimeout() throws Exception {
        long violations = broker.stats().protocolViolations();
        RawMqtt raw = raw();
        byte[] connect = validConnect("slow-loris");

        raw.send(java.util.Arrays.copyOf(connect, 5)); // a few bytes, then nothing

        assertThat(raw.closedByBroker()).isTrue(); // connect timeout 1 s here, socket timeout 5 s
        assertThat(broker.stats().protocolViolations()).isEqualTo(violations + 1);
    }

    @Test
    void aSecondConnectClosesTheConnection() throws Exception {
        RawMqtt raw = raw();
        assertThat(raw.connect("twice", "hlt", PASSWORD, null)).isZero();

        raw.send(validConnect("twice"));

        assertThat(raw.closedByBroker()).isTrue();
        assertStillServing();
    }

    @Test
    void garbageAfterALegitimateConnectClosesTheConnection() throws Exception {
        long violations = broker.stats().protocolViolations();
        RawMqtt raw = raw();
        assertThat(raw.connect("then-garbage", "hlt", PASSWORD, null)).isZero();

        raw.send(new byte[] { 0x00, 0x00 });

        assertThat(raw.closedByBroker()).isTrue();
        assertThat(broker.stats().protocolViolations()).isEqualTo(violations + 1);
        assertStillServing();
    }

    @Test
    void qos2AndWildcardPublishesCloseTheConnection() throws Exception {
        for (byte[] packet : List.of(RawMqtt.publishPacket(ROOT + "/hlt/tele", utf8("qos2"), 2, 7),
                RawMqtt.publishPacket(ROOT + "/hlt/+", utf8("wild"), 0, 0),
                RawMqtt.publishPacket(ROOT + "/hlt/#", utf8("wild"), 0, 0))) {
            long violations = broker.stats().protocolViolations();
            RawMqtt raw = raw();
            assertThat(raw.connect("bad-publisher", "hlt", PASSWORD, null)).isZero();

            raw.send(packet);

            assertThat(raw.closedByBroker()).isTrue();
            assertThat(broker.stats().protocolViolations()).isEqualTo(violations + 1);
        }
        assertStillServing();
    }

    @Test
    void deepOrLongTopicsCloseTheConnection() throws Exception {
        String deep = ROOT + "/hlt" + "/x".repeat(ConnectGate.MAX_TOPIC_LEVELS);
        String longTopic = ROOT + "/hlt/" + "y".repeat(ConnectGate.MAX_TOPIC_CHARS);
        for (byte[] packet : List.of(RawMqtt.publishPacket(deep, utf8("deep"), 0, 0),
                RawMqtt.publishPacket(longTopic, utf8("long"), 0, 0), RawMqtt.subscribePacket(deep, 3),
                RawMqtt.subscribePacket("/".repeat(5_000) + "#", 4))) {
            RawMqtt raw = raw();
            assertThat(raw.connect("deep-topics", "hlt", PASSWORD, null)).isZero();

            raw.send(packet);

            assertThat(raw.closedByBroker()).isTrue();
        }
        assertStillServing();
    }

    @Test
    void aFloodOfBadConnectionsLeavesTheBrokerHealthy() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (RawMqtt raw = new RawMqtt(broker.port())) {
                raw.sendIgnoringClose(garbage().get(i % garbage().size()));
            }
        }

        assertStillServing();
        assertThat(broker.health().status()).isEqualTo(HealthContributor.Status.UP);
        assertThat(broker.details()).doesNotContainKey("fault");
    }

    /**
     * Well-behaved PLCs still connect, get their QoS 1 publishes acknowledged and delivered, with client ids
     * that hash onto every Moquette session loop (one per processor), so a loop killed by an earlier packet
     * would show here.
     */
    private static void assertStillServing() throws Exception {
        Recorder scada = new Recorder();
        try (AutoCloseable subscription = broker.transport().subscribe(ROOT + "/hlt/tele", scada)) {
            int ids = Runtime.getRuntime().availableProcessors() * 3;
            for (int i = 0; i < ids; i++) {
                String id = "hlt-check-" + i;
                try (RawMqtt plc = new RawMqtt(broker.port())) {
                    assertThat(plc.connect(id, "hlt", PASSWORD, null)).isZero();
                    plc.send(RawMqtt.publishPacket(ROOT + "/hlt/tele", utf8(id), 1, 1));
                    assertThat(plc.read(4)).containsExactly(0x40, 0x02, 0x00, 0x01); // PUBACK
                    plc.send(RawMqtt.DISCONNECT);
                }
                scada.await(ROOT + "/hlt/tele", id);
            }
        }
        assertThat(broker.details()).doesNotContainKey("fault");
    }
}
