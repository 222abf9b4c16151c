package org.brewpi.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS and MQTT over TLS switched on by settings, and the box's self-signed certificate. */
class TlsSettingsTest {

    private static final Map<String, String> NONE = Map.of();

    @Test
    void withoutTlsSettingsEverythingIsPlainAsBefore() throws Exception {
        BoxSettings s = BoxSettings.resolve(NONE::get, Map.of("BREWPI_HTTP_PORT", "0", "BREWPI_MQTT_PORT", "0")::get);
        assertThat(s.tls()).isFalse();
        assertThat(s.httpPort()).isPositive();
        assertThat(s.mqttPort()).isPositive();
        assertThat(s.httpsPort()).isEqualTo(BoxSettings.OFF);
        assertThat(s.mqttTlsPort()).isEqualTo(BoxSettings.OFF);
    }

    @Test
    void httpsTurnsPlainHttpOffUnlessAskedForAndMqttTlsTurnsPlainMqttOff() throws Exception {
        var env = Map.of("BREWPI_HTTP_PORT", "0", "BREWPI_MQTT_PORT", "0", "BREWPI_HTTPS_PORT", "0",
                "BREWPI_MQTT_TLS_PORT", "0");
        BoxSettings s = BoxSettings.resolve(NONE::get, env::get);
        assertThat(s.httpsPort()).isPositive();
        assertThat(s.mqttTlsPort()).isPositive().isNotEqualTo(s.httpsPort());
        assertThat(s.httpPort()).as("plain HTTP off").isEqualTo(BoxSettings.OFF);
        assertThat(s.mqttPort()).as("plain MQTT off").isEqualTo(BoxSettings.OFF);

        var both = new java.util.HashMap<>(env);
        both.put("BREWPI_HTTP_PLAIN", "true");
        assertThat(BoxSettings.resolve(NONE::get, both::get).httpPort()).as("asked for").isPositive();
    }

    @Test
    void contradictionsAreOneClearLine() {
        assertThatThrownBy(() -> BoxSettings.resolve(NONE::get,
                Map.of("BREWPI_HTTP_PORT", "0", "BREWPI_MQTT_PORT", "0", "BREWPI_HTTP_PLAIN", "false")::get))
                .hasMessageContaining("BREWPI_HTTP_PLAIN=false needs BREWPI_HTTPS_PORT");
        assertThatThrownBy(() -> BoxSettings.resolve(NONE::get,
                Map.of("BREWPI_HTTP_PORT", "0", "BREWPI_MQTT_PORT", "0", "BREWPI_HTTP_PLAIN", "maybe")::get))
                .hasMessageContaining("BREWPI_HTTP_PLAIN=maybe");
        assertThatThrownBy(() -> BoxSettings.resolve(NONE::get, Map.of("BREWPI_HTTP_PORT", "0", "BREWPI_MQTT_PORT", "0",
                "BREWPI_HTTPS_PORT", "70000")::get)).hasMessageContaining("BREWPI_HTTPS_PORT=70000");
    }

    @Test
    void theSelfSignedCertificateIsMadeOnceWithItsPasswordReadableByTheOwnerOnly(@TempDir Path data) throws Exception {
        TlsKeystore.Result first = TlsKeystore.findOrCreate(data, null, null);
        assertThat(first.generated()).isTrue();
        Path dir = data.resolve(TlsKeystore.DIR);
        assertThat(first.keystore()).isEqualTo(dir.resolve(TlsKeystore.KEYSTORE)).isRegularFile();
        assertThat(first.certificate()).isEqualTo(dir.resolve(TlsKeystore.CERTIFICATE));
        assertThat(Files.readString(first.certificate())).startsWith("-----BEGIN CERTIFICATE-----");
        Path password = dir.resolve(TlsKeystore.PASSWORD);
        assertThat(Files.readString(password).trim()).isEqualTo(first.password()).hasSizeGreaterThan(20);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.keystore()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(first.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(java.util.Base64.getDecoder().decode(first.spki())).hasSize(32);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        TlsKeystore.Result again = TlsKeystore.findOrCreate(data, null, null);
        assertThat(again.generated()).isFalse();
        assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(again.password()).isEqualTo(first.password());
    }

    @Test
    void aKeystoreOfOnesOwnIsCheckedNotReplaced(@TempDir Path data) throws Exception {
        TlsKeystore.Result made = TlsKeystore.findOrCreate(data.resolve("elsewhere"), null, null);
        TlsKeystore.Result own = TlsKeystore.findOrCreate(data, made.keystore(), made.password());
        assertThat(own.generated()).isFalse();
        assertThat(own.fingerprint()).isEqualTo(made.fingerprint());
        assertThat(data.resolve(TlsKeystore.DIR)).doesNotExist();

        assertThatThrownBy(() -> TlsKeystore.findOrCreate(data, made.keystore(), "wrong"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("BREWPI_TLS_PASSWORD");
        assertThatThrownBy(() -> TlsKeystore.findOrCreate(data, data.resolve("none.p12"), "x"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("BREWPI_TLS_KEYSTORE=");
    }
}
