package org.brewpi.zone.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagDef;
import org.brewpi.api.zone.TagKind;
import org.brewpi.api.zone.ZoneInfo;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.protocol.Messages.Status;
import org.brewpi.protocol.Messages.Telemetry;
import org.junit.jupiter.api.Test;

class ZoneTrackerTest {

    private final ZoneTracker zone = new ZoneTracker("fv1", "mqtt");

    private static ZoneInfo birth(long boot) {
        return new ZoneInfo("fv1", "fermenter", "1.0.0", "esp32-s3", boot, "hold_last", 1000,
                List.of(new TagDef("pv", TagKind.ANALOG, "degC", -5.0, 40.0, null, false),
                        new TagDef("sv", TagKind.ANALOG, "degC", -2.0, 30.0, null, true)));
    }

    private static Telemetry tele(long boot, long seq, Map<String, Object> tags, List<String> bad) {
        return new Telemetry(boot, seq, seq * 1000, tags, bad);
    }

    @Test
    void startsOfflineUntilTheStatusSaysOnline() {
        assertThat(zone.snapshot().state()).isEqualTo(ZoneState.OFFLINE);
        zone.birth(birth(7), 1);
        zone.status(new Status(ZoneState.ONLINE, 7L, null), 2);
        assertThat(zone.snapshot().state()).isEqualTo(ZoneState.ONLINE);
    }

    @Test
    void countsGapsDuplicatesAndReboots() {
        zone.birth(birth(7), 0);
        assertThat(zone.telemetry(tele(7, 1, Map.of("pv", 18.0), List.of()), 10)).hasSize(1);
        assertThat(zone.telemetry(tele(7, 2, Map.of("pv", 18.1), List.of()), 20)).hasSize(1);
        assertThat(zone.telemetry(tele(7, 2, Map.of("pv", 99.0), List.of()), 30)).as("duplicate dropped").isEmpty();
        assertThat(zone.telemetry(tele(7, 1, Map.of("pv", 99.0), List.of()), 31)).as("old seq dropped").isEmpty();
        assertThat(zone.telemetry(tele(7, 6, Map.of("pv", 18.2), List.of()), 40)).hasSize(1);
        // reboot: a new boot number, seq starts again
        assertThat(zone.telemetry(tele(99, 0, Map.of("pv", 18.3), List.of()), 50)).hasSize(1);
        assertThat(zone.telemetry(tele(99, 1, Map.of("pv", 18.4), List.of()), 60)).hasSize(1);
        var c = zone.counters();
        assertThat(c.telemetry()).isEqualTo(5);
        assertThat(c.duplicates()).isEqualTo(2);
        assertThat(c.gaps()).isEqualTo(1);
        assertThat(c.missed()).isEqualTo(3);
        assertThat(c.reboots()).isEqualTo(1);
        assertThat(zone.snapshot().tags().get("pv").value()).isEqualTo(18.4);
    }

    @Test
    void eventsShareTheSequenceWithTelemetry() {
        zone.birth(birth(7), 0);
        zone.telemetry(tele(7, 1, Map.of("pv", 18.0), List.of()), 10);
        assertThat(zone.event(7, 2, 15)).isTrue();
        assertThat(zone.event(7, 2, 16)).as("redelivered event").isFalse();
        zone.telemetry(tele(7, 3, Map.of("pv", 18.1), List.of()), 20);
        assertThat(zone.counters().gaps()).isZero();
        assertThat(zone.counters().duplicates()).isEqualTo(1);
        assertThat(zone.counters().events()).isEqualTo(1);
    }

    @Test
    void rebirthWithANewBootIsAReboot() {
        zone.birth(birth(7), 0);
        zone.telemetry(tele(7, 5, Map.of("pv", 18.0), List.of()), 10);
        zone.birth(birth(8), 20);
        assertThat(zone.counters().reboots()).isEqualTo(1);
        assertThat(zone.telemetry(tele(8, 0, Map.of("pv", 18.0), List.of()), 30)).as("seq restarts, no gap").hasSize(1);
        assertThat(zone.counters().gaps()).isZero();
    }

    @Test
    void badSensorsAndNullsAreBad() {
        zone.birth(birth(7), 0);
        var samples = zone.telemetry(tele(7, 1, java.util.Collections.singletonMap("pv", null), List.of("sv")), 10);
        assertThat(samples).extracting(t -> t.tag() + ":" + t.quality()).containsExactly("pv:BAD", "sv:BAD");
    }

    @Test
    void tagsGoStaleAfterThreePeriodsAndOfflineWithTheWill() {
        zone.birth(birth(7), 0);
        zone.status(new Status(ZoneState.ONLINE, 7L, null), 0);
        zone.telemetry(tele(7, 1, Map.of("pv", 18.0, "sv", 18.0), List.of()), 1000);
        zone.telemetry(tele(7, 2, Map.of("pv", 18.1), List.of()), 3500); // sv missing: it ages
        assertThat(zone.checkStale(4000)).isEmpty();
        assertThat(zone.checkStale(4001)).extracting(t -> t.tag()).containsExactly("sv");
        assertThat(zone.checkStale(4002)).as("reported once").isEmpty();
        assertThat(zone.checkStale(6501)).extracting(t -> t.tag()).containsExactly("pv");
        var offline = zone.status(new Status(ZoneState.OFFLINE, null, null), 7000);
        assertThat(offline).extracting(t -> t.quality()).containsOnly(Quality.OFFLINE).hasSize(2);
        assertThat(zone.snapshot().tags().get("pv").value()).as("last value kept, marked").isEqualTo(18.1);
        zone.telemetry(tele(7, 3, Map.of("pv", 18.2), List.of()), 8000);
        assertThat(zone.snapshot().tags().get("pv").quality()).isEqualTo(Quality.GOOD);
    }
}
