package org.brewpi.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoxSettingsTest {

    private static final Map<String, String> NONE = Map.of();

    @Test
    void propertyWinsOverEnvironmentAndZeroPortsBecomeFreePorts() throws Exception {
        var props = Map.of("brewpi.http.port", "0", "brewpi.data.dir", "/tmp/x");
        var env = Map.of("BREWPI_HTTP_PORT", "1", "BREWPI_MQTT_PORT", "0", "BREWPI_SIM", "false");
        BoxSettings s = BoxSettings.resolve(props::get, env::get);
        assertThat(s.httpPort()).isPositive().isNotEqualTo(1);
        assertThat(s.mqttPort()).isPositive();
        assertThat(s.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(s.simulator()).isFalse();
        assertThat(s.apiToken()).isNull();
    }

    @Test
    void portInUseIsOneClearLineNamingPortAndSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            var env = Map.of("BREWPI_HTTP_PORT", "0", "BREWPI_MQTT_PORT", Integer.toString(taken.getLocalPort()));
            assertThatThrownBy(() -> BoxSettings.resolve(NONE::get, env::get))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("BrewPi: port " + taken.getLocalPort()
                            + " is already in use; set BREWPI_MQTT_PORT (or -Dbrewpi.mqtt.port) to a free port");
        }
    }

    @Test
    void badValuesAreRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> BoxSettings.resolve(NONE::get, Map.of("BREWPI_HTTP_PORT", "eighty")::get))
                .hasMessageContaining("BREWPI_HTTP_PORT=eighty");
        assertThatThrownBy(() -> BoxSettings.resolve(NONE::get,
                Map.of("BREWPI_HTTP_PORT", "0", "BREWPI_MQTT_PORT", "0", "BREWPI_SIM", "yes")::get))
                .hasMessageContaining("BREWPI_SIM=yes");
    }

    @Test
    void tokenIsGeneratedOnceAndKept(@TempDir Path dir) throws Exception {
        var first = ApiToken.findOrCreate(dir);
        var second = ApiToken.findOrCreate(dir);
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.token()).isEqualTo(first.token()).hasSizeGreaterThan(20);
    }

    @Test
    void demoPlantIsSeededOnceWithAPasswordPerZone(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("conf");
        Path data = dir.resolve("data");
        assertThat(DemoPlant.seedIfNew(conf, data)).hasSize(6);
        assertThat(Files.readString(conf.resolve("brewpi.zone-fv1.cfg"))).contains("zone = fv1", "simulated = true",
                "password = ");
        String credentials = Files.readString(data.resolve(DemoPlant.SIM_CREDENTIALS));
        assertThat(credentials.lines().filter(l -> l.matches("[a-z0-9]+=[0-9a-f]{24}"))).hasSize(6);
        Files.delete(conf.resolve("brewpi.zone-fv2.cfg"));
        assertThat(DemoPlant.seedIfNew(conf, data)).isEmpty();
        assertThat(conf.resolve("brewpi.zone-fv2.cfg")).doesNotExist();
    }
}
