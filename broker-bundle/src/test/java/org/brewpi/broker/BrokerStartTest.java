package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.brewpi.broker.Plcs.utf8;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.moquette.broker.subscriptions.Topic;

import org.brewpi.api.health.HealthContributor;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

/** Ports, fail-closed security and anonymous access: each case starts its own broker. */
class BrokerStartTest {

    private static final String ROOT = "brewpi/v1";

    private static ZoneCredentials loaded(String zone, String password) {
        ZoneCredentials credentials = new ZoneCredentials();
        credentials.apply("brewpi.zone~" + zone, Map.of("zone", zone, "password", password));
        credentials.loaded();
        return credentials;
    }

    private static int connackCode(int port, String user, String password) {
        try {
            Plcs.closeQuietly(Plcs.connect(port, user, password));
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    @Test
    void port0BindsAFreePortAndReportsIt() throws Exception {
        try (BrokerCore broker = BrokerCore.start(new BrokerSettings("127.0.0.1", 0, false, ROOT),
                loaded("hlt", "hlt-pw"))) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.health().details()).containsEntry("port", broker.port());
            assertThat(connackCode(broker.port(), "hlt", "hlt-pw")).isZero();
        }
    }

    @Test
    void aPortInUseIsOneClearLineNamingThePortAndTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> BrokerCore.start(new BrokerSettings("127.0.0.1", port, false, ROOT),
                    loaded("hlt", "hlt-pw")))
                    .isInstanceOfSatisfying(PortInUseException.class, e -> {
                        assertThat(e.getMessage()).contains("MQTT port " + port).contains("BREWPI_MQTT_PORT")
                                .doesNotContain("\n");
                        assertThat(e.getStackTrace()).isEmpty();
                    });
        }
    }

    @Test
    void aStoppedBrokerReleasesItsPortAndThreads() throws Exception {
        int port;
        try (BrokerCore first = BrokerCore.start(new BrokerSettings("127.0.0.1", 0, false, ROOT), loaded("hlt", "pw"))) {
            port = first.port();
        }

        try (BrokerCore second = BrokerCore.start(new BrokerSettings("127.0.0.1", port, false, ROOT), loaded("hlt", "pw"))) {
            assertThat(second.port()).isEqualTo(port);
            assertThat(connackCode(port, "hlt", "pw")).isZero();
            assertThat(second.transport().connected()).isTrue();
            second.close();
            assertThat(second.transport().connected()).isFalse();
            assertThat(second.health().status()).isEqualTo(HealthContributor.Status.DOWN);
        }
        long deadline = System.currentTimeMillis() + 5_000;
        while (!brokerThreads().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(brokerThreads()).isEmpty();
    }

    /** Threads Moquette, Netty and the broker start; none may outlive {@link BrokerCore#close()}. */
    private static List<String> brokerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("Session Executor") || name.startsWith("nioEventLoopGroup")
                        || name.startsWith("brewpi-broker"))
                .toList();
    }

    @Test
    void nobodyGetsInWhileTheCredentialsCannotBeLoaded() throws Exception {
        ZoneCredentials credentials = new ZoneCredentials();
        credentials.apply("brewpi.zone~hlt", Map.of("zone", "hlt", "password", "hlt-pw"));
        credentials.unavailable("brewpi.zone configurations unreadable");
        try (BrokerCore broker = BrokerCore.start(new BrokerSettings("127.0.0.1", 0, true, ROOT), credentials)) {

            assertThat(connackCode(broker.port(), "hlt", "hlt-pw")).isEqualTo(3);
            assertThat(connackCode(broker.port(), null, null)).as("anonymous, although allowed").isEqualTo(3);
            assertThat(broker.health().status()).isEqualTo(HealthContributor.Status.DOWN);
            assertThat(broker.health().details()).containsEntry("security", "brewpi.zone configurations unreadable");
            assertThat(broker.stats().loginsRefusedByReason()).containsEntry("security_unavailable", 2L);

            credentials.loaded();
            assertThat(connackCode(broker.port(), "hlt", "hlt-pw")).isZero();
            assertThat(broker.health().status()).isEqualTo(HealthContributor.Status.UP);
        }
    }

    @Test
    void nobodyGetsInWhenTheAclCannotBeBuilt() throws Exception {
        try (BrokerCore broker = BrokerCore.start(new BrokerSettings("127.0.0.1", 0, true, "brewpi/#"),
                loaded("hlt", "hlt-pw"))) {

            assertThat(connackCode(broker.port(), "hlt", "hlt-pw")).isEqualTo(3);
            assertThat(connackCode(broker.port(), null, null)).isEqualTo(3);
            assertThat(broker.health().status()).isEqualTo(HealthContributor.Status.DOWN);
            assertThat((String) broker.health().details().get("security")).contains("ACL cannot be built");
        }
    }

    /** Behind the CONNECT gate, Moquette's own authenticator and authorizer calls also answer "no". */
    @Test
    void theAuthenticatorAndAuthorizerRefuseOnTheirOwnWhenTheSecurityIsBroken() {
        ZoneCredentials unreadable = new ZoneCredentials();
        unreadable.apply("brewpi.zone~hlt", Map.of("zone", "hlt", "password", "hlt-pw"));
        unreadable.unavailable("unreadable");
        Topic tele = new Topic(ROOT + "/hlt/tele");
        Topic cmd = new Topic(ROOT + "/hlt/cmd");
        for (BrokerSecurity broken : List.of(
                BrokerSecurity.build("brewpi/+", true, loaded("hlt", "hlt-pw"), new BrokerStats(), new LogThrottle(60_000)),
                BrokerSecurity.build(ROOT, true, unreadable, new BrokerStats(), new LogThrottle(60_000)))) {

            assertThat(broken.problem()).isNotNull();
            assertThat(broken.checkValid("c", "hlt", utf8("hlt-pw"))).isFalse();
            assertThat(broken.canWrite(tele, "hlt", "c")).isFalse();
            assertThat(broken.canRead(cmd, "hlt", "c")).isFalse();
            assertThat(broken.canRead(tele, null, "c")).isFalse();
            assertThat(broken.mayLeaveWill("hlt", ROOT + "/hlt/status")).isFalse();
        }
    }

    @Test
    void anonymousClientsReadUnderTheRootOnlyWhenAllowed() throws Exception {
        try (BrokerCore broker = BrokerCore.start(new BrokerSettings("127.0.0.1", 0, true, ROOT),
                loaded("fv1", "fv1-pw"))) {
            MqttClient viewer = Plcs.connect(broker.port(), null, null);
            try {
                String[] filters = { ROOT + "/#", "#", "other/#" };
                int[] granted = new int[filters.length];
                Arrays.fill(granted, 1);
                viewer.subscribe(filters, granted);
                assertThat(granted).containsExactly(1, 0x80, 0x80);

                Recorder scada = new Recorder();
                broker.transport().subscribe("#", scada);
                long denied = broker.stats().aclPublishDenied();
                viewer.publish(ROOT + "/fv1/cmd", utf8("anonymous command"), 0, false);
                viewer.publish(ROOT + "/scada/status", utf8("anonymous status"), 0, false);
                MqttClient fv1 = Plcs.connect(broker.port(), "fv1", "fv1-pw");
                fv1.publish(ROOT + "/fv1/tele", utf8("marker"), 0, false);
                scada.await(ROOT + "/fv1/tele", "marker");
                Plcs.closeQuietly(fv1);
                assertThat(scada.all()).extracting(Recorder.Received::payload)
                        .doesNotContain("anonymous command", "anonymous status");
                assertThat(broker.stats().aclPublishDenied()).isEqualTo(denied + 2);
            } finally {
                Plcs.closeQuietly(viewer);
            }
        }
    }

    @Test
    void anAnonymousClientCannotLeaveAWill() throws Exception {
        try (BrokerCore broker = BrokerCore.start(new BrokerSettings("127.0.0.1", 0, true, ROOT), loaded("fv1", "pw"));
                RawMqtt raw = new RawMqtt(broker.port())) {
            RawMqtt.Will will = new RawMqtt.Will(ROOT + "/scada/status", utf8("{\"v\":1,\"state\":\"offline\"}"), 1, true);

            assertThat(raw.connect("anon-will", null, null, will)).isEqualTo(5);
        }
    }

    @Test
    void aRetainedWillReachesMqttSubscribersThatComeLater() throws Exception {
        // Moquette 0.17 never retains a will by itself; the broker does it when the connection is lost.
        try (BrokerCore broker = BrokerCore.start(new BrokerSettings("127.0.0.1", 0, true, ROOT), loaded("fv1", "fv1-pw"))) {
            Recorder scada = new Recorder();
            broker.transport().subscribe(ROOT + "/fv1/status", scada);
            try (RawMqtt plc = new RawMqtt(broker.port())) {
                RawMqtt.Will will = new RawMqtt.Will(ROOT + "/fv1/status", utf8("offline"), 1, true);
                assertThat(plc.connect("fv1-plc", "fv1", "fv1-pw", will)).isZero();
                plc.send(RawMqtt.publishPacket(ROOT + "/fv1/status", utf8("online"), 1, 1));
                plc.read(4);
                scada.await(ROOT + "/fv1/status", "online");
                plc.die();
            }
            scada.await(ROOT + "/fv1/status", "offline");

            MqttClient viewer = Plcs.connect(broker.port(), null, null);
            try {
                Recorder seen = new Recorder();
                viewer.subscribe(ROOT + "/fv1/status", 1, seen);
                seen.await(ROOT + "/fv1/status", "offline");
                assertThat(seen.all()).extracting(Recorder.Received::payload).containsExactly("offline");
            } finally {
                Plcs.closeQuietly(viewer);
            }
        }
    }
}
