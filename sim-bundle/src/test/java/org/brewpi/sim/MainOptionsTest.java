package org.brewpi.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainOptionsTest {

    @TempDir
    Path dir;

    @Test
    void withoutZonesItEmulatesTheDemoPlant() throws Exception {
        Main.Options options = Main.Options.parse(new String[0]);
        assertThat(options.broker).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(options.scale).isEqualTo(1.0);
        assertThat(options.zones()).extracting(ZoneSpec::id).containsExactly("hlt", "mash", "kettle", "fv1", "fv2", "glycol");
        assertThat(options.zones()).extracting(ZoneSpec::type)
                .containsExactly("hlt", "mash", "kettle", "fermenter", "fermenter", "glycol");
    }

    @Test
    void zonesPasswordsAndSettingsFromTheCommandLine() throws Exception {
        Path credentials = dir.resolve("creds.properties");
        Files.writeString(credentials, "hlt=from-file\n");
        Main.Options options = Main.Options.parse(new String[] {"--broker", "tcp://plc-net:1883", "--scale", "60",
            "--topic-root", "site1/brewpi/v1", "--credentials", credentials.toString(), "--zone", "fv1:fermenter:pa:ss",
            "--zone", "hlt:hlt", "--zone", "glycol:glycol", "--heartbeat-timeout", "8000"});
        assertThat(options.broker).isEqualTo("tcp://plc-net:1883");
        assertThat(options.scale).isEqualTo(60.0);
        assertThat(options.topicRoot).isEqualTo("site1/brewpi/v1");
        assertThat(options.heartbeatTimeoutMs).isEqualTo(8000);
        List<ZoneSpec> zones = options.zones();
        assertThat(zones).containsExactly(new ZoneSpec("fv1", "fermenter", "pa:ss"), new ZoneSpec("hlt", "hlt", "from-file"),
                new ZoneSpec("glycol", "glycol", null));
        assertThat(zones.get(0).toString()).doesNotContain("pa:ss");
    }

    @Test
    void badArgumentsAreExplained() {
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"--bogus"})).hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"--broker"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"--scale", "fast"})).hasMessageContaining("needs a number");
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"--zone", "FV1:fermenter"}).zones())
                .hasMessageContaining("ID:TYPE");
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"--zone", "fv1:toaster"}).zones())
                .hasMessageContaining("toaster");
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"--zone", "fv1:fermenter", "--zone", "fv1:brite"}).zones())
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> new Simulator.Settings("tcp://x:1", "brewpi/v1", 0, 5000)).hasMessageContaining("time scale");
        assertThatThrownBy(() -> new Simulator.Settings("tcp://x:1", "brewpi/#", 1, 5000)).hasMessageContaining("topic root");
    }

    @Test
    void telemetryPeriodFollowsTheTimeScaleWithinBounds() {
        assertThat(new Simulator.Settings("tcp://x:1", "brewpi/v1", 1, 5000).periodMs()).isEqualTo(1000);
        assertThat(new Simulator.Settings("tcp://x:1", "brewpi/v1", 2, 5000).periodMs()).isEqualTo(500);
        assertThat(new Simulator.Settings("tcp://x:1", "brewpi/v1", 60, 5000).periodMs()).isEqualTo(Simulator.MIN_PERIOD_MS);
        assertThat(new Simulator.Settings("tcp://x:1", "brewpi/v1", 0.5, 5000).periodMs()).isEqualTo(2000);
    }
}
