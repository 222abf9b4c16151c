package org.brewpi.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.util.List;

import org.brewpi.alarms.PlantFeed.Source;
import org.brewpi.alarms.PlantFeed.Zone;
import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmPriority;
import org.junit.jupiter.api.Test;

/** Zone-type defaults, configurations on top of them, and what a configuration may say. */
class DefinitionsTest {

    private static final List<Zone> DEMO = List.of(Zone.of("hlt", "hlt"), Zone.of("mash", "mash"),
            Zone.of("kettle", "kettle"), Zone.of("fv1", "fermenter"), Zone.of("bt1", "brite"),
            Zone.of("glycol", "glycol"), Zone.of("cip", "cip"));

    @Test
    void everyZoneOfTheDemoPlantGetsItsDefaults() {
        List<AlarmDefinition> defs = AlarmEngine.definitions(Settings.standard(), DEMO, List.of());
        assertThat(defs).extracting(AlarmDefinition::id).containsExactlyInAnyOrder("hlt.comm", "hlt.pv.hihi",
                "mash.comm", "mash.pv.hi", "kettle.comm", "kettle.pv.hihi", "fv1.comm", "fv1.pv.dev", "bt1.comm",
                "bt1.pv.dev", "glycol.comm", "glycol.pv.hi", "cip.comm");
        AlarmDefinition dev = defs.stream().filter(d -> d.id().equals("fv1.pv.dev")).findFirst().orElseThrow();
        assertThat(dev.kind()).isEqualTo(AlarmKind.DEVIATION);
        assertThat(dev.limit()).isEqualTo(1.5);
        assertThat(dev.onDelayMs()).isEqualTo(600_000);
        assertThat(dev.source()).isEqualTo(AlarmDefinition.DEFAULT);
        assertThat(defs).allSatisfy(d -> assertThat(d.message()).isNotBlank());
    }

    @Test
    void aConfigurationReplacesRemovesOrAddsToTheDefaults() {
        AlarmDefinition stricter = ConfiguredAlarm.parse(config("fv1", "pv", "DEVIATION", 0.8, "critical", ""));
        AlarmDefinition off = ConfiguredAlarm.parse(config("hlt", "pv", "HIHI", 99, "high", ""));
        AlarmDefinition extra = ConfiguredAlarm.parse(config("hlt", "level", "LO", 20, "medium", "HLT level low"));
        List<AlarmDefinition> defs = AlarmEngine.definitions(Settings.standard(), DEMO,
                List.of(new Source(stricter, true), new Source(off, false), new Source(extra, true)));
        assertThat(defs).extracting(AlarmDefinition::id).contains("fv1.pv.dev", "hlt.level.lo")
                .doesNotContain("hlt.pv.hihi");
        AlarmDefinition dev = defs.stream().filter(d -> d.id().equals("fv1.pv.dev")).findFirst().orElseThrow();
        assertThat(dev.limit()).isEqualTo(0.8);
        assertThat(dev.priority()).isEqualTo(AlarmPriority.CRITICAL);
        assertThat(dev.source()).isEqualTo(AlarmDefinition.CONFIG);

        Settings noDefaults = new Settings(false, java.util.Set.of(), List.of(), 100, 60_000, 10, 3, 60_000, 3_600_000, 250, 0, 5_000, 300_000,
                600_000);
        assertThat(AlarmEngine.definitions(noDefaults, DEMO, List.of(new Source(extra, true))))
                .extracting(AlarmDefinition::id).containsExactly("hlt.level.lo");
    }

    @Test
    void aBadConfigurationIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ConfiguredAlarm.parse(config("FV 1", "pv", "HI", 1, "high", "")))
                .hasMessageContaining("zone");
        assertThatThrownBy(() -> ConfiguredAlarm.parse(config("fv1", "pv", "HUGE", 1, "high", "")))
                .hasMessageContaining("kind 'HUGE'");
        assertThatThrownBy(() -> ConfiguredAlarm.parse(config("fv1", "pv", "HI", 1, "urgent", "")))
                .hasMessageContaining("priority 'urgent'");
        assertThatThrownBy(() -> ConfiguredAlarm.parse(config("fv1", "p v", "HI", 1, "high", "")))
                .hasMessageContaining("tag 'p v'");
        assertThat(ConfiguredAlarm.parse(config("fv1", "", "HI", 1, "high", "")).id()).isEqualTo("fv1.pv.hi");
        assertThatThrownBy(() -> ConfiguredAlarm.parse(config("fv1", "pv", "RATE", 0, "high", "")))
                .hasMessageContaining("above 0");
        assertThatThrownBy(() -> ConfiguredAlarm.parse(config("fv1", "pump", "DISCRETE", 0, "high", "")))
                .hasMessageContaining("abnormal state");
        assertThatThrownBy(() -> new ConfiguredAlarm(config("fv1", "pv", "HI", Double.NaN, "high", "")))
                .isInstanceOf(IllegalArgumentException.class);
        AlarmDefinition comm = ConfiguredAlarm.parse(config("fv1", "", "comm_loss", 0, "LOW", ""));
        assertThat(comm.id()).isEqualTo("fv1.comm");
        assertThat(comm.message()).isEqualTo("communication lost: fv1");
    }

    static AlarmConfig config(String zone, String tag, String kind, double limit, String priority, String message) {
        return new AlarmConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AlarmConfig.class;
            }

            @Override
            public String id() {
                return "";
            }

            @Override
            public String zone() {
                return zone;
            }

            @Override
            public String tag() {
                return tag;
            }

            @Override
            public String kind() {
                return kind;
            }

            @Override
            public double limit() {
                return limit;
            }

            @Override
            public String state() {
                return "";
            }

            @Override
            public String priority() {
                return priority;
            }

            @Override
            public double deadband() {
                return 0;
            }

            @Override
            public long on_delay_ms() {
                return 0;
            }

            @Override
            public long off_delay_ms() {
                return 0;
            }

            @Override
            public String message() {
                return message;
            }

            @Override
            public boolean suppressed() {
                return false;
            }

            @Override
            public boolean enabled() {
                return true;
            }
        };
    }
}
