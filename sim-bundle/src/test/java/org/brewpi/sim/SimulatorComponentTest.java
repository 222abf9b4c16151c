package org.brewpi.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.brewpi.api.zone.ZoneDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DS component's life cycle, driven the way SCR drives it (configuration, then zone
 * definitions coming and going), against the real Mosquitto. That it resolves and activates inside
 * Felix is the integration tests' part.
 */
@Timeout(60)
class SimulatorComponentTest {

    /** A zone configuration as the plant bundle registers it. */
    record Zone(String id, String type, String label, String driver, boolean simulated) implements ZoneDefinition {
    }

    /** A zone whose configuration is edited in place (SCR then calls the updated method). */
    static final class EditableZone implements ZoneDefinition {
        private final String id;
        private final String type;
        volatile boolean simulated;

        EditableZone(String id, String type, boolean simulated) {
            this.id = id;
            this.type = type;
            this.simulated = simulated;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String label() {
            return id;
        }

        @Override
        public String driver() {
            return "mqtt";
        }

        @Override
        public boolean simulated() {
            return simulated;
        }
    }

    @TempDir
    Path dir;

    private BrokerObserver scada;
    private final SimulatorComponent component = new SimulatorComponent();

    @BeforeEach
    void broker() throws Exception {
        scada = new BrokerObserver();
        scada.scadaOnline();
    }

    @AfterEach
    void close() throws Exception {
        component.deactivate();
        scada.assertAllPayloadsValid();
        scada.close();
    }

    @Test
    void zonesMarkedSimulatedComeAndGoLive() throws Exception {
        Path credentials = dir.resolve("sim-credentials.properties");
        Files.writeString(credentials, "# the emulated PLCs' passwords\nfv1=s3cret\n");
        Zone fv1 = new Zone("fv1", "fermenter", "Fermentador 1", "mqtt", true);
        EditableZone hlt = new EditableZone("hlt", "hlt", false);
        // SCR binds the references before activating
        component.addZone(fv1);
        component.addZone(hlt);
        component.activate(config(true, credentials));

        scada.await("fv1", "birth", b -> true, 5_000);
        scada.await("fv1", "status", s -> "online".equals(s.path("state").textValue()), 5_000);

        // a zone configuration added while running
        component.addZone(new Zone("glycol", "glycol", "Glicol", "mqtt", true));
        scada.await("glycol", "birth", b -> "glycol".equals(b.path("type").textValue()), 5_000);

        // a real PLC's zone is not emulated ...
        assertThat(scada.of("hlt", "birth")).isEmpty();
        // ... until its configuration says simulated=true
        hlt.simulated = true;
        component.updatedZone(hlt);
        scada.await("hlt", "birth", b -> "off".equals(b.path("failsafe").textValue()), 5_000);

        // a zone configuration removed: its PLC powers off and the will marks it offline
        component.removeZone(fv1);
        scada.await("fv1", "status", s -> "offline".equals(s.path("state").textValue()), 5_000);
        assertThat(scada.of("glycol", "status")).noneMatch(m -> m.payload().contains("offline"));

        // stopping the component (the bundle) takes every simulated zone offline
        component.deactivate();
        scada.await("glycol", "status", s -> "offline".equals(s.path("state").textValue()), 5_000);
        scada.await("hlt", "status", s -> "offline".equals(s.path("state").textValue()), 5_000);
        assertThat(scada.retained("glycol", "status")).isEqualTo("{\"v\":1,\"state\":\"offline\"}");
    }

    @Test
    void disabledMeansNoPlcs() throws Exception {
        component.addZone(new Zone("fv1", "fermenter", "F1", "mqtt", true));
        component.activate(config(false, dir.resolve("none")));
        Thread.sleep(1_000);
        assertThat(scada.of("fv1", "birth")).isEmpty();
    }

    @Test
    void aMissingCredentialsFileOrLineStillRunsTheZone() throws Exception {
        component.activate(config(true, dir.resolve("missing.properties")));
        component.addZone(new Zone("fv2", "fermenter", "F2", "mqtt", true));
        assertThat(scada.await("fv2", "birth", b -> true, 5_000).json().get("zone").textValue()).isEqualTo("fv2");
    }

    @Test
    void readsPasswordsFromTheCredentialsFile() throws Exception {
        Path file = dir.resolve("creds.properties");
        Files.writeString(file, "fv1=one\nhlt = two words\n# comment\nempty=\n");
        CredentialsFile credentials = new CredentialsFile(file);
        assertThat(credentials.password("fv1")).contains("one");
        assertThat(credentials.password("hlt")).contains("two words");
        assertThat(credentials.password("empty")).isEmpty();
        assertThat(credentials.password("kettle")).isEmpty();
        assertThat(new CredentialsFile(dir.resolve("nope")).password("fv1")).isEmpty();
    }

    private SimConfig config(boolean enabled, Path credentials) {
        String root = scada.root;
        return new SimConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SimConfig.class;
            }

            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public String broker_url() {
                return BrokerObserver.BROKER;
            }

            @Override
            public double time_scale() {
                return 60.0;
            }

            @Override
            public String credentials_file() {
                return credentials.toString();
            }

            @Override
            public String topic_root() {
                return root;
            }

            @Override
            public String tls_truststore() {
                return "";
            }

            @Override
            public String _tls_truststore_password() {
                return "";
            }
        };
    }
}
