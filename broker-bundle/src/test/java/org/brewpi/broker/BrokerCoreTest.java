package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.brewpi.broker.Plcs.utf8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.brewpi.api.health.HealthContributor;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker as PLCs and the SCADA meet it: real Paho MQTT 3.1.1 clients (and a raw socket where a library
 * would not misbehave) against {@link BrokerCore} on a free port, the SCADA through the in-process transport.
 */
class BrokerCoreTest {

    private static final String ROOT = "brewpi/v1";
    private static final Map<String, String> PASSWORDS = Map.of("hlt", "hlt-pw-7f3a", "fv1", "fv1-pw-91c2",
            "mash", "mash-pw-0d5e", "kettle", "kettle-pw-44b1", "brite", "brite-pw-5a09");

    private static BrokerCore broker;
    private final List<MqttClient> clients = new ArrayList<>();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        ZoneCredentials credentials = new ZoneCredentials();
        PASSWORDS.forEach((zone, password) -> credentials.apply("brewpi.zone~" + zone,
                Map.of("zone", zone, "password", password)));
        credentials.loaded();
        broker = BrokerCore.start(new BrokerSettings("127.0.0.1", 0, false, ROOT), credentials);
        // As on a running plant, the PLCs have logged in once (brite never has: it is the target of guesses).
        for (String zone : List.of("hlt", "fv1", "mash", "kettle")) {
            Plcs.closeQuietly(Plcs.connect(broker.port(), zone, PASSWORDS.get(zone)));
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        clients.forEach(Plcs::closeQuietly);
        for (AutoCloseable subscription : subscriptions) {
            subscription.close();
        }
    }

    private MqttClient plc(String zone) throws MqttException {
        MqttClient client = Plcs.connect(broker.port(), zone, PASSWORDS.get(zone));
        clients.add(client);
        return client;
    }

    private Recorder inProcess(String filter) {
        Recorder recorder = new Recorder();
        subscriptions.add(broker.transport().subscribe(filter, recorder));
        return recorder;
    }

    private static int refusalCode(String user, String password) {
        try {
            MqttClient client = Plcs.connect(broker.port(), user, password);
            Plcs.closeQuietly(client);
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    private static long refused(String reason) {
        return broker.stats().loginsRefusedByReason().getOrDefault(reason, 0L);
    }

    @Test
    void aPlcWithGoodCredentialsGetsInAndShowsInHealth() throws Exception {
        MqttClient hlt = plc("hlt");

        assertThat(hlt.isConnected()).isTrue();
        Recorder marker = inProcess(ROOT + "/hlt/tele");
        hlt.publish(ROOT + "/hlt/tele", utf8("{\"v\":1}"), 0, false);
        marker.await(ROOT + "/hlt/tele", "{\"v\":1}");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) broker.details().get("clients");
        assertThat(listed).anySatisfy(client -> {
            assertThat(client).containsEntry("clientId", hlt.getClientId()).containsEntry("user", "hlt");
            assertThat((String) client.get("address")).startsWith("127.0.0.1:");
            assertThat((Long) client.get("since")).isPositive();
        });
    }

    @Test
    void aBadPasswordIsRefusedWithConnackCode4AndCounted() {
        long before = refused("bad_password") + refused("throttled");

        assertThat(refusalCode("brite", "not-the-password")).isEqualTo(4);
        assertThat(refused("bad_password") + refused("throttled")).isEqualTo(before + 1);
    }

    @Test
    void anUnknownUserIsRefused() {
        long before = refused("unknown_user");

        assertThat(refusalCode("fv9", "whatever")).isEqualTo(4);
        assertThat(refused("unknown_user")).isEqualTo(before + 1);
    }

    @Test
    void anonymousClientsAreRefusedByDefault() {
        long before = refused("anonymous");

        assertThat(refusalCode(null, null)).isEqualTo(5);
        assertThat(refused("anonymous")).isEqualTo(before + 1);
    }

    @Test
    void aUserNameWithoutPasswordIsRefused() {
        assertThat(refusalCode("hlt", null)).isEqualTo(4);
    }

    @Test
    void userNamesWithWildcardsNeverReachTheAcl() {
        long before = refused("invalid_user");

        for (String user : List.of("+", "#", "hlt/#", "HLT", "scada")) {
            assertThat(refusalCode(user, "x")).as(user).isEqualTo(4);
        }
        assertThat(refused("invalid_user")).isEqualTo(before + 5);
    }

    @Test
    void publishesOutsideTheAclReachNobodyAndAreCounted() throws Exception {
        MqttClient hlt = plc("hlt");
        MqttClient fv1 = plc("fv1");
        Recorder fv1Receives = new Recorder();
        fv1.subscribe(new String[] { ROOT + "/fv1/cmd", ROOT + "/scada/#" }, new int[] { 1, 1 },
                new Recorder[] { fv1Receives, fv1Receives });
        Recorder scada = inProcess("#");
        List<String> forbidden = List.of(ROOT + "/hlt/cmd", ROOT + "/fv1/cmd", ROOT + "/fv1/tele", ROOT + "/fv1/status",
                ROOT + "/scada/status", ROOT + "/scada/heartbeat", ROOT + "/hlt/tele/extra", ROOT + "/hlt",
                "brewpi/v2/hlt/tele", "other/topic");
        long deniedBefore = broker.stats().aclPublishDenied();

        for (String topic : forbidden) {
            hlt.publish(topic, utf8("forbidden"), 0, false);
        }
        // Same connection, same order: once the marker is through, every forbidden publish has been handled.
        hlt.publish(ROOT + "/hlt/tele", utf8("marker"), 0, false);
        scada.await(ROOT + "/hlt/tele", "marker");
        broker.transport().publish(ROOT + "/fv1/cmd", utf8("scada-marker"), 1, false);
        fv1Receives.await(ROOT + "/fv1/cmd", "scada-marker");

        assertThat(scada.all()).extracting(Recorder.Received::payload).doesNotContain("forbidden");
        assertThat(fv1Receives.all()).extracting(Recorder.Received::payload).doesNotContain("forbidden");
        assertThat(broker.stats().aclPublishDenied()).isEqualTo(deniedBefore + forbidden.size());
    }

    @Test
    void aQos1PublishOutsideTheAclGetsNoPubackButTheConnectionSurvives() throws Exception {
        MqttClient fv1 = plc("fv1");
        Recorder scada = inProcess(ROOT + "/fv1/tele");

        MqttMessage command = new MqttMessage(utf8("x"));
        command.setQos(1);
        MqttDeliveryToken token = fv1.getTopic(ROOT + "/hlt/cmd").publish(command);
        fv1.publish(ROOT + "/fv1/tele", utf8("after"), 0, false);

        scada.await(ROOT + "/fv1/tele", "after");
        assertThat(token.isComplete()).isFalse();
        assertThat(fv1.isConnected()).isTrue();
    }

    @Test
    void aPlcPublishesItsOwnTopicsToTheScadaWithItsClientId() throws Exception {
        MqttClient kettle = plc("kettle");
        Recorder scada = inProcess(ROOT + "/+/+");

        for (String kind : List.of("birth", "status", "tele", "ack", "event")) {
            kettle.publish(ROOT + "/kettle/" + kind, utf8(kind + "-payload"), 1, false);
        }

        scada.await(ROOT + "/kettle/event", "event-payload");
        assertThat(scada.all()).filteredOn(r -> r.topic().startsWith(ROOT + "/kettle/"))
                .extracting(Recorder.Received::topic).containsExactly(ROOT + "/kettle/birth", ROOT + "/kettle/status",
                        ROOT + "/kettle/tele", ROOT + "/kettle/ack", ROOT + "/kettle/event");
        assertThat(scada.all()).filteredOn(r -> r.topic().startsWith(ROOT + "/kettle/"))
                .allMatch(r -> r.clientId().equals(kettle.getClientId()));
    }

    @Test
    void subscriptionsOutsideTheAclAreRefusedWith0x80AndCounted() throws Exception {
        MqttClient hlt = plc("hlt");
        String[] filters = { ROOT + "/hlt/cmd", ROOT + "/scada/#", ROOT + "/scada/heartbeat", ROOT + "/fv1/cmd",
                ROOT + "/#", "#", ROOT + "/+/cmd", ROOT + "/hlt/tele", ROOT + "/+/status" };
        int[] granted = new int[filters.length];
        Arrays.fill(granted, 1);
        long deniedBefore = broker.stats().aclSubscribeDenied();

        hlt.subscribe(filters, granted);

        assertThat(granted).containsExactly(1, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
        assertThat(broker.stats().aclSubscribeDenied()).isEqualTo(deniedBefore + 6);
        assertThatThrownBy(() -> hlt.subscribe(ROOT + "/fv1/cmd", 1))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x80));
    }

    @Test
    void theScadaPublishesToOnePlcAndNotToTheOthers() throws Exception {
        MqttClient hlt = plc("hlt");
        MqttClient fv1 = plc("fv1");
        Recorder hltReceives = new Recorder();
        Recorder fv1Receives = new Recorder();
        hlt.subscribe(ROOT + "/hlt/cmd", 1, hltReceives);
        fv1.subscribe(ROOT + "/fv1/cmd", 1, fv1Receives);
        fv1.subscribe(ROOT + "/scada/#", 0, fv1Receives);
        Recorder commandsSeen = inProcess(ROOT + "/+/cmd");

        broker.transport().publish(ROOT + "/hlt/cmd", utf8("{\"v\":1,\"id\":\"c-7\",\"op\":\"ping\"}"), 1, false);
        broker.transport().publish(ROOT + "/scada/heartbeat", utf8("{\"v\":1,\"seq\":1,\"t\":1}"), 0, false);

        hltReceives.await(ROOT + "/hlt/cmd", "{\"v\":1,\"id\":\"c-7\",\"op\":\"ping\"}");
        fv1Receives.await(ROOT + "/scada/heartbeat", "{\"v\":1,\"seq\":1,\"t\":1}");
        assertThat(fv1Receives.on(ROOT + "/hlt/cmd")).isEmpty();
        // An in-process subscriber sees the SCADA's own publish, as an MQTT client sees its own on a real broker.
        assertThat(commandsSeen.all()).extracting(Recorder.Received::clientId)
                .containsExactly(EmbeddedTransport.SCADA_CLIENT_ID);
    }

    @Test
    void aPlcsWillReachesTheScadaOnceWhenItsSocketDies() throws Exception {
        Recorder scada = inProcess(ROOT + "/+/status");
        String offline = "{\"v\":1,\"state\":\"offline\"}";
        try (RawMqtt plc = new RawMqtt(broker.port())) {
            RawMqtt.Will will = new RawMqtt.Will(ROOT + "/fv1/status", utf8(offline), 1, true);
            assertThat(plc.connect("fv1-plc", "fv1", PASSWORDS.get("fv1"), will)).isZero();
            awaitConnected("fv1-plc");

            plc.die();
        }

        Recorder.Received received = scada.await(ROOT + "/fv1/status", offline);
        assertThat(received.clientId()).isEqualTo("fv1-plc");
        MqttClient mash = plc("mash");
        mash.publish(ROOT + "/mash/status", utf8("marker"), 1, false);
        scada.await(ROOT + "/mash/status", "marker");
        assertThat(scada.on(ROOT + "/fv1/status")).hasSize(1);
        // The will was retained: a driver that subscribes later still learns that fv1 is offline.
        Recorder late = inProcess(ROOT + "/fv1/status");
        assertThat(late.all()).extracting(Recorder.Received::payload).containsExactly(offline);
    }

    @Test
    void aPlcThatReconnectsKeepsItsWillWhenTheOldConnectionIsTakenOver() throws Exception {
        Recorder scada = inProcess(ROOT + "/+/status");
        String offline = "{\"v\":1,\"state\":\"offline\"}";
        RawMqtt.Will will = new RawMqtt.Will(ROOT + "/hlt/status", utf8(offline), 1, false);
        try (RawMqtt first = new RawMqtt(broker.port()); RawMqtt second = new RawMqtt(broker.port())) {
            assertThat(first.connect("hlt-plc", "hlt", PASSWORDS.get("hlt"), will)).isZero();
            awaitConnected("hlt-plc");
            // the PLC rebooted and reconnects before the broker noticed its old socket die: a session takeover
            assertThat(second.connect("hlt-plc", "hlt", PASSWORDS.get("hlt"), will)).isZero();
            assertThat(first.closedByBroker()).isTrue();
            MqttClient mash = plc("mash");
            mash.publish(ROOT + "/mash/status", utf8("marker"), 1, false);
            scada.await(ROOT + "/mash/status", "marker");
            // the old connection's will may or may not have come (it depends on which event Moquette reports
            // first); either way it came before the new connection's birth could
            int willsBefore = scada.on(ROOT + "/hlt/status").size();
            assertThat(willsBefore).isLessThanOrEqualTo(1);

            second.die();
            // the new connection's will still stands for it
            long deadline = System.currentTimeMillis() + 5_000;
            while (scada.on(ROOT + "/hlt/status").size() < willsBefore + 1) {
                assertThat(System.currentTimeMillis()).as("the new connection's will never came").isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    @Test
    void aCleanDisconnectDiscardsTheWill() throws Exception {
        Recorder scada = inProcess(ROOT + "/+/status");
        try (RawMqtt plc = new RawMqtt(broker.port())) {
            RawMqtt.Will will = new RawMqtt.Will(ROOT + "/kettle/status", utf8("kettle-will"), 1, false);
            assertThat(plc.connect("kettle-plc", "kettle", PASSWORDS.get("kettle"), will)).isZero();
            awaitConnected("kettle-plc");
            plc.send(RawMqtt.DISCONNECT);
            assertThat(plc.closedByBroker()).isTrue();
        }
        // A second PLC whose socket dies afterwards: its will arrives, the first one's never did.
        try (RawMqtt plc = new RawMqtt(broker.port())) {
            RawMqtt.Will will = new RawMqtt.Will(ROOT + "/mash/status", utf8("mash-will"), 1, false);
            assertThat(plc.connect("mash-plc", "mash", PASSWORDS.get("mash"), will)).isZero();
            awaitConnected("mash-plc");
            plc.die();
        }

        scada.await(ROOT + "/mash/status", "mash-will");
        assertThat(scada.on(ROOT + "/kettle/status")).isEmpty();
    }

    @Test
    void aWillOnATopicTheClientMayNotPublishToIsRefusedAtConnect() throws Exception {
        long before = refused("will_not_allowed");
        for (String topic : List.of(ROOT + "/fv1/cmd", ROOT + "/hlt/cmd", ROOT + "/scada/status", ROOT + "/fv1/status")) {
            try (RawMqtt plc = new RawMqtt(broker.port())) {
                RawMqtt.Will forged = new RawMqtt.Will(topic, utf8("{\"v\":1,\"state\":\"offline\"}"), 1, true);
                assertThat(plc.connect("hlt-forger", "hlt", PASSWORDS.get("hlt"), forged)).as(topic).isEqualTo(5);
                assertThat(plc.closedByBroker()).isTrue();
            }
        }
        assertThat(refused("will_not_allowed")).isEqualTo(before + 4);
    }

    @Test
    void retainedBirthsAndStatusesAreReplayedToALateInProcessSubscriber() throws Exception {
        MqttClient hlt = plc("hlt");
        MqttClient mash = plc("mash");
        Recorder marker = inProcess(ROOT + "/mash/tele");
        hlt.publish(ROOT + "/hlt/birth", utf8("hlt-birth"), 1, true);
        hlt.publish(ROOT + "/hlt/status", utf8("hlt-online"), 1, true);
        mash.publish(ROOT + "/mash/status", utf8("mash-online"), 1, true);
        mash.publish(ROOT + "/mash/tele", utf8("not retained"), 0, false);
        marker.await(ROOT + "/mash/tele", "not retained");

        // A restarted driver bundle subscribes while the PLCs stay connected.
        Recorder statuses = inProcess(ROOT + "/+/status");
        Recorder births = inProcess(ROOT + "/hlt/#");

        assertThat(statuses.all()).filteredOn(r -> r.topic().matches(ROOT + "/(hlt|mash)/status"))
                .extracting(Recorder.Received::payload).containsExactlyInAnyOrder("hlt-online", "mash-online");
        assertThat(births.all()).extracting(Recorder.Received::payload)
                .containsExactlyInAnyOrder("hlt-birth", "hlt-online");
        assertThat(statuses.all()).filteredOn(r -> r.topic().equals(ROOT + "/hlt/status"))
                .extracting(Recorder.Received::clientId).containsExactly(hlt.getClientId());

        // An empty retained message clears the topic.
        Recorder hltTele = inProcess(ROOT + "/hlt/tele");
        hlt.publish(ROOT + "/hlt/birth", new byte[0], 1, true);
        hlt.publish(ROOT + "/hlt/tele", utf8("marker"), 0, false);
        hltTele.await(ROOT + "/hlt/tele", "marker");
        assertThat(inProcess(ROOT + "/hlt/birth").all()).isEmpty();
    }

    @Test
    void retainedScadaStatusReachesPlcsThatSubscribeLater() throws Exception {
        broker.transport().publish(ROOT + "/scada/status", utf8("{\"v\":1,\"state\":\"online\"}"), 1, true);

        MqttClient fv1 = plc("fv1");
        Recorder fv1Receives = new Recorder();
        fv1.subscribe(ROOT + "/scada/#", 1, fv1Receives);

        fv1Receives.await(ROOT + "/scada/status", "{\"v\":1,\"state\":\"online\"}");
        assertThat(inProcess(ROOT + "/scada/status").all()).extracting(Recorder.Received::payload)
                .containsExactly("{\"v\":1,\"state\":\"online\"}");
    }

    @Test
    void aZoneCannotTakeOverTheClientIdOfAnotherZone() throws Exception {
        MqttClient hlt = Plcs.client(broker.port(), "shared-plc-id");
        clients.add(hlt);
        hlt.connect(Plcs.options("hlt", PASSWORDS.get("hlt")));
        awaitConnected("shared-plc-id");
        long before = refused("client_id_in_use");

        MqttClient intruder = Plcs.client(broker.port(), "shared-plc-id");
        assertThatThrownBy(() -> intruder.connect(Plcs.options("fv1", PASSWORDS.get("fv1"))))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(2));
        intruder.close(true);

        assertThat(refused("client_id_in_use")).isEqualTo(before + 1);
        Recorder scada = inProcess(ROOT + "/hlt/tele");
        hlt.publish(ROOT + "/hlt/tele", utf8("still here"), 0, false);
        scada.await(ROOT + "/hlt/tele", "still here");
    }

    @Test
    void payloadsUpTo64KiBReachTheScadaAndLargerPacketsCloseTheConnection() throws Exception {
        MqttClient fv1 = plc("fv1");
        Recorder scada = inProcess(ROOT + "/fv1/tele");
        byte[] oversized = new byte[5_000];
        byte[] largest = new byte[BrokerSettings.MAX_PAYLOAD_BYTES];
        Arrays.fill(oversized, (byte) 'a');
        Arrays.fill(largest, (byte) 'b');

        fv1.publish(ROOT + "/fv1/tele", oversized, 1, false);
        fv1.publish(ROOT + "/fv1/tele", largest, 1, false);

        scada.await(r -> r.payload().length() == BrokerSettings.MAX_PAYLOAD_BYTES, Duration.ofSeconds(5));
        assertThat(scada.all()).extracting(r -> r.payload().length())
                .containsExactly(5_000, BrokerSettings.MAX_PAYLOAD_BYTES);

        long violations = broker.stats().protocolViolations();
        try (RawMqtt raw = new RawMqtt(broker.port())) {
            assertThat(raw.connect("fv1-big", "fv1", PASSWORDS.get("fv1"), null)).isZero();
            byte[] tooLarge = new byte[BrokerSettings.MAX_PACKET_BYTES + 1];
            raw.sendIgnoringClose(RawMqtt.publishPacket(ROOT + "/fv1/tele", tooLarge, 0, 0));
            assertThat(raw.closedByBroker()).isTrue();
        }
        assertThat(broker.stats().protocolViolations()).isEqualTo(violations + 1);
    }

    @Test
    void fiveThousandTelemetryMessagesAllReachTheScadaInOrder() throws Exception {
        int perPlc = 1_250;
        List<String> zones = List.of("hlt", "fv1", "mash", "kettle");
        AtomicInteger received = new AtomicInteger();
        Map<String, AtomicInteger> lastSeq = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> outOfOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
        Object done = new Object();
        subscriptions.add(broker.transport().subscribe(ROOT + "/+/tele", (topic, payload, clientId) -> {
            String[] parts = new String(payload, java.nio.charset.StandardCharsets.UTF_8).split(":");
            if (parts.length != 2 || !zones.contains(parts[0])) {
                return; // a straggler from another test
            }
            int seq = Integer.parseInt(parts[1]);
            int previous = lastSeq.computeIfAbsent(parts[0], z -> new AtomicInteger(-1)).getAndSet(seq);
            if (seq != previous + 1) {
                outOfOrder.add(parts[0] + " " + previous + "->" + seq);
            }
            if (received.incrementAndGet() == perPlc * zones.size()) {
                synchronized (done) {
                    done.notifyAll();
                }
            }
        }));
        List<Thread> publishers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String zone : zones) {
            MqttClient plc = plc(zone);
            Thread publisher = new Thread(() -> {
                try {
                    for (int seq = 0; seq < perPlc; seq++) {
                        plc.publish(ROOT + "/" + zone + "/tele", utf8(zone + ":" + seq), 0, false);
                    }
                } catch (MqttException e) {
                    failures.add(e);
                }
            });
            publishers.add(publisher);
        }

        publishers.forEach(Thread::start);
        for (Thread publisher : publishers) {
            publisher.join(30_000);
        }
        synchronized (done) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.get() < perPlc * zones.size() && System.currentTimeMillis() < deadline) {
                done.wait(1_000);
            }
        }

        assertThat(failures).isEmpty();
        assertThat(received.get()).isEqualTo(perPlc * zones.size());
        assertThat(outOfOrder).isEmpty();
    }

    @Test
    void healthReportsPortClientsAndCounters() throws Exception {
        plc("fv1");
        refusalCode("fv1", "wrong-password-for-health");

        HealthContributor health = broker.health();

        assertThat(health.name()).isEqualTo("broker");
        assertThat(health.status()).isEqualTo(HealthContributor.Status.UP);
        assertThat(health.details()).containsEntry("port", broker.port())
                .containsEntry("anonymousAllowed", false)
                .containsEntry("security", "ok")
                .containsEntry("zonesWithCredentials", List.of("brite", "fv1", "hlt", "kettle", "mash"))
                .containsKeys("clientsConnected", "clients", "loginsRefused", "loginsRefusedByReason", "aclPublishDenied",
                        "aclSubscribeDenied", "protocolViolations");
        assertThat((Integer) health.details().get("clientsConnected")).isPositive();
        assertThat((Long) health.details().get("loginsRefused")).isPositive();
    }

    private static void awaitConnected(String clientId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (broker.clients().get(clientId).isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(clientId + " never showed as connected");
            }
            Thread.sleep(10);
        }
    }
}
