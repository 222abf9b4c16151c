package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.brewpi.broker.Plcs.utf8;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over TLS: with a keystore the broker listens with TLS only. A plain MQTT client gets nothing but a closed
 * connection; PLCs that trust the certificate log in with their zone's credentials, and behind TLS the same
 * credentials and ACL hold (no credentials, another zone's password, publishing outside the ACL: nothing passes).
 */
class BrokerTlsTest {

    private static final String ROOT = "brewpi/v1";
    private static final String PASSWORD = "tls-keystore-pw-1";
    /** kettle takes the refused logins: a refusal throttles its zone's logins for a second (ZoneCredentials). */
    private static final Map<String, String> ZONES = Map.of("hlt", "hlt-tls-pw-1", "fv1", "fv1-tls-pw-2", "kettle",
            "kettle-tls-pw-3");

    @TempDir
    static Path dir;
    private static BrokerCore broker;
    private static SSLSocketFactory trusting;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = keytool(dir);
        ZoneCredentials credentials = new ZoneCredentials();
        ZONES.forEach((zone, pw) -> credentials.apply("brewpi.zone~" + zone, Map.of("zone", zone, "password", pw)));
        credentials.loaded();
        broker = BrokerCore.start(new BrokerSettings("127.0.0.1", 0, false, ROOT,
                BrokerSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS, BrokerTls.open(keystore, PASSWORD)), credentials);
        trusting = trustOnly(keystore);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** A self-signed EC certificate for 127.0.0.1, made as the settings bundle makes the box's. */
    static Path keytool(Path dir) throws Exception {
        Path keystore = dir.resolve("broker.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-noprompt", "-alias", "brewpi", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return keystore;
    }

    private static SSLSocketFactory trustOnly(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls.getSocketFactory();
    }

    private static MqttClient tlsClient(String user, String password) throws MqttException {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + broker.port(),
                (user == null ? "anon" : user) + "-" + UUID.randomUUID().toString().substring(0, 6), new MemoryPersistence());
        client.setTimeToWait(5_000);
        MqttConnectOptions options = Plcs.options(user, password);
        options.setSocketFactory(trusting);
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    @Test
    void aPlainMqttConnectionGetsNoConnackOnlyAClosedSocket() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", broker.port())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(RawMqtt.connectPacket("hlt-plain", "hlt", ZONES.get("hlt"), null));
            plain.getOutputStream().flush();
            byte[] answer = readAll(plain);
            // whatever comes back is a TLS alert, never an MQTT CONNACK (0x20)
            assertThat(answer.length == 0 || answer[0] != 0x20).as("no CONNACK over plain TCP").isTrue();
        }
        assertThatThrownBy(() -> Plcs.closeQuietly(Plcs.connect(broker.port(), "hlt", ZONES.get("hlt"))))
                .as("a Paho client over tcp:// gets nowhere").isInstanceOf(MqttException.class);
        assertThat(broker.details().get("tls")).isEqualTo(true);
        assertThat(broker.details().get("port")).isEqualTo(broker.port());
    }

    @Test
    void aPlcThatTrustsTheCertificateLogsInWithItsZonesCredentials() throws Exception {
        MqttClient hlt = tlsClient("hlt", ZONES.get("hlt"));
        try {
            Recorder scada = new Recorder();
            try (AutoCloseable sub = broker.transport().subscribe(ROOT + "/hlt/#", scada)) {
                hlt.publish(ROOT + "/hlt/tele", utf8("over-tls"), 0, false);
                scada.await(ROOT + "/hlt/tele", "over-tls");
            }
        } finally {
            Plcs.closeQuietly(hlt);
        }
    }

    @Test
    void behindTlsTheCredentialsAndTheAclStillHold() throws Exception {
        assertThatThrownBy(() -> tlsClient(null, null)).as("no credentials").isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> tlsClient("kettle", ZONES.get("fv1"))).as("another zone's password")
                .isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> tlsClient("kettle", "guess")).as("a wrong password").isInstanceOf(MqttException.class);

        MqttClient fv1 = tlsClient("fv1", ZONES.get("fv1"));
        Recorder scada = new Recorder();
        try (AutoCloseable sub = broker.transport().subscribe("#", scada)) {
            for (String topic : List.of(ROOT + "/hlt/tele", ROOT + "/hlt/cmd", ROOT + "/scada/status")) {
                fv1.publish(topic, utf8("forbidden"), 0, false);
            }
            fv1.publish(ROOT + "/fv1/tele", utf8("marker"), 0, false);
            scada.await(ROOT + "/fv1/tele", "marker");
            assertThat(scada.all()).extracting(Recorder.Received::payload).doesNotContain("forbidden");
        } finally {
            Plcs.closeQuietly(fv1);
        }
    }

    @Test
    void aWrongKeystorePasswordIsOneClearLine() {
        assertThatThrownBy(() -> BrokerTls.open(dir.resolve("broker.p12"), "wrong"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BREWPI_TLS_PASSWORD");
        assertThatThrownBy(() -> BrokerTls.open(dir.resolve("missing.p12"), PASSWORD))
                .hasMessageContaining("missing.p12");
    }

    private static byte[] readAll(Socket socket) throws IOException {
        try {
            return socket.getInputStream().readAllBytes();
        } catch (IOException e) {
            return new byte[0]; // reset: refused just the same
        }
    }
}
