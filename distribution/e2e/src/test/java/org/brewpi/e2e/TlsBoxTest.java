package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The exported box with HTTPS and MQTT over TLS switched on and nothing else given: it makes its own certificate,
 * serves the HMI and API over HTTPS only, runs its broker over TLS only, and its simulated PLCs get in over TLS
 * trusting that certificate. Plain HTTP and plain MQTT find no one listening; credentials still decide at the
 * broker.
 */
class TlsBoxTest {

    @Test
    void httpsAndMqttOverTlsWithTheCertificateTheBoxMadeItself() throws Exception {
        int httpsPort = Box.freePort();
        int mqttTlsPort = Box.freePort();
        AtomicReference<Path> pem = new AtomicReference<>();
        try (Box box = new Box("tls", httpsPort, () -> trusting(pem.get()))) {
            pem.set(box.home.resolve("data/tls/brewpi-cert.pem"));
            box.extraEnv.put("BREWPI_HTTPS_PORT", Integer.toString(httpsPort));
            box.extraEnv.put("BREWPI_MQTT_TLS_PORT", Integer.toString(mqttTlsPort));
            box.start();

            // HTTPS, with HSTS; the plain HTTP port is closed
            Http.Answer health = box.http.get("/api/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.header("Strict-Transport-Security")).startsWith("max-age=");
            assertThat(health.header("X-Content-Type-Options")).isEqualTo("nosniff");
            JsonNode components = health.json().path("components");
            assertThat(components.path("box").path("httpsPort").asInt()).isEqualTo(httpsPort);
            assertThat(components.path("box").path("httpPort").asInt()).isEqualTo(-1);
            assertThat(components.path("broker").path("tls").asBoolean()).isTrue();
            assertThat(components.path("broker").path("port").asInt()).isEqualTo(mqttTlsPort);
            assertThatThrownBy(() -> new Socket("127.0.0.1", box.httpPort).close()).as("no plain HTTP")
                    .isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> new Socket("127.0.0.1", box.mqttPort).close()).as("no plain MQTT")
                    .isInstanceOf(ConnectException.class);

            // the generated key and its password are the owner's alone
            Path tls = box.home.resolve("data/tls");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("brewpi.p12.password"))))
                    .isEqualTo("rw-------");
            assertThat(box.log()).contains("Self-signed TLS certificate made").doesNotContain(
                    Files.readString(tls.resolve("brewpi.p12.password")).trim());

            // the simulated PLCs reach the broker over TLS with the same certificate and report (a PLC that took
            // longer than its heartbeat timeout to get in is connected in fail-safe, as it must be)
            E2e.waitFor("every demo zone connected over TLS with a GOOD pv", Duration.ofSeconds(60), () -> {
                for (String id : ExportedJarTest.DEMO) {
                    JsonNode zone = box.zone(id);
                    if (zone == null || "offline".equals(zone.path("state").asText())
                            || !"GOOD".equals(zone.path("tags").path("pv").path("quality").asText())) {
                        return false;
                    }
                }
                return true;
            });

            // at the broker: plain MQTT gets no CONNACK; over TLS the zone's own credentials get in, others not
            Properties sim = new Properties();
            try (InputStream in = Files.newInputStream(box.home.resolve("data/sim-credentials.properties"))) {
                sim.load(in);
            }
            try (Socket plain = new Socket("127.0.0.1", mqttTlsPort)) {
                plain.setSoTimeout(10_000);
                plain.getOutputStream().write(connect("hlt-e2e", "hlt", sim.getProperty("hlt")));
                byte[] answer = readSome(plain.getInputStream());
                assertThat(answer.length == 0 || answer[0] != 0x20).as("no CONNACK over plain TCP").isTrue();
            }
            SSLContext trust = trusting(pem.get());
            assertThat(connack(trust, mqttTlsPort, "hlt-e2e", "hlt", sim.getProperty("hlt"))).as("zone's own").isZero();
            assertThat(connack(trust, mqttTlsPort, "hlt-e2e2", "hlt", sim.getProperty("fv1"))).as("another zone's password")
                    .isIn(4, 5);
            assertThat(connack(trust, mqttTlsPort, "anon-e2e", null, null)).as("no credentials").isIn(4, 5);
        }
    }

    /** An SSL context trusting exactly the box's certificate, once the box has written it. */
    static SSLContext trusting(Path pem) throws IOException {
        if (pem == null || !Files.isRegularFile(pem)) {
            throw new IOException("no certificate yet at " + pem);
        }
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("box", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** The CONNACK return code over TLS (0 = accepted), or -1 when the connection closed without one. */
    private static int connack(SSLContext trust, int port, String clientId, String user, String password)
            throws IOException {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(connect(clientId, user, password));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] ack = in.readNBytes(4);
            return ack.length == 4 && ack[0] == 0x20 ? ack[3] : -1;
        }
    }

    /** An MQTT 3.1.1 CONNECT, clean session, keep-alive 30 s. */
    private static byte[] connect(String clientId, String user, String password) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        string(v, "MQTT");
        v.write(4);
        v.write(0x02 | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0));
        v.write(0);
        v.write(30);
        string(v, clientId);
        if (user != null) {
            string(v, user);
        }
        if (password != null) {
            string(v, password);
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(v.size()); // < 128 bytes here
        packet.writeBytes(v.toByteArray());
        return packet.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }

    private static byte[] readSome(InputStream in) {
        try {
            return in.readNBytes(4);
        } catch (IOException e) {
            return new byte[0]; // reset: refused just the same
        }
    }
}
