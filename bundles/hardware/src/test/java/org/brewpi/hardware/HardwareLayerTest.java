package org.brewpi.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.brewpi.api.alarm.AlarmPriority;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.command.Command;
import org.brewpi.api.health.HealthContributor.Status;
import org.brewpi.api.interlock.CommandGuard;
import org.brewpi.api.interlock.EmergencyStop.State;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.hardware.Fakes.FakePlant;
import org.brewpi.hardware.Fakes.FixedAlarms;
import org.brewpi.hardware.Fakes.ListAudit;
import org.brewpi.hardware.Fakes.RecordingGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;

/** The hardware layer on the real Pi4J mock pins, driven tick by tick with an explicit clock. */
class HardwareLayerTest {

    @TempDir
    Path dev; // an empty /dev: no GPIO chip, so auto takes the mock

    final FakePlant plant = new FakePlant();
    final RecordingGate gate = new RecordingGate();
    final FixedAlarms alarms = new FixedAlarms();
    final ListAudit audit = new ListAudit();
    final List<HardwareLayer> opened = new ArrayList<>();

    @BeforeEach
    void plant() {
        plant.put(Fakes.zone("hlt", ZoneState.ONLINE, "auto"));
        plant.put(Fakes.zone("kettle", ZoneState.ONLINE, "manual"));
        plant.put(Fakes.zone("mash", ZoneState.ONLINE, "off"));
        plant.put(Fakes.zone("fv1", ZoneState.OFFLINE, "auto"));
    }

    @AfterEach
    void close() {
        opened.forEach(HardwareLayer::deactivate);
    }

    HardwareLayer layer(Map<String, Object> config) {
        HardwareLayer h = new HardwareLayer(() -> 0, dev);
        opened.add(h);
        h.configure(config);
        h.openPins(0);
        h.setGate(gate);
        h.setPlant(plant);
        h.setAlarms(alarms);
        h.setAudit(audit);
        return h;
    }

    HardwareLayer layer() {
        return layer(Map.of("estop.debounce.ms", "30"));
    }

    static MockDigitalInput estopPin(HardwareLayer h) {
        return h.pins().context.registry().get(Pins.ESTOP);
    }

    static boolean high(HardwareLayer h, String id) {
        DigitalOutput out = h.pins().context.registry().get(id);
        return out.state() == DigitalState.HIGH;
    }

    private List<String> forcedZones() {
        return gate.commands.stream().map(Command::zone).sorted().toList();
    }

    @Test
    void pressingHoldsEveryReachableZoneOffAndRefusesEnergisingWrites() {
        HardwareLayer h = layer();
        assertThat(h.pins().provider).isEqualTo(Pins.MOCK);
        h.tick(0);
        assertThat(h.state()).isEqualTo(State.CLEAR);

        estopPin(h).mockState(DigitalState.HIGH); // the normally-closed loop opens
        h.tick(10);
        assertThat(h.state()).as("not before the debounce time").isEqualTo(State.CLEAR);
        h.tick(40);
        assertThat(h.state()).isEqualTo(State.PRESSED);
        assertThat(h.pressedAt()).isEqualTo(40);

        // hlt and kettle are running; mash is already off; fv1 is offline (commanded when it returns)
        assertThat(forcedZones()).containsExactly("hlt", "kettle");
        assertThat(h.unheld()).as("shown in health while held").containsExactly("fv1");
        assertThat(gate.commands).allSatisfy(c -> {
            assertThat(c.op()).isEqualTo(Command.WRITE);
            assertThat(c.tag()).isEqualTo("mode");
            assertThat(c.value()).isEqualTo("off");
            assertThat(c.origin()).isEqualTo("estop");
            assertThat(c.user()).isEqualTo("estop");
        });
        assertThat(audit.entries).extracting(AuditEntry::action, AuditEntry::actor, AuditEntry::entryPoint,
                AuditEntry::oldValue, AuditEntry::newValue).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("estop.press", "estop", "internal", "CLEAR", "PRESSED"));

        assertThat(h.check(Command.write("kettle", "heater", true, "rest", "ana"))).get()
                .satisfies(r -> assertThat(r.error()).isEqualTo("estop"));
        assertThat(h.check(Command.write("kettle", "mode", "off", "rest", "ana"))).isEmpty();
    }

    @Test
    void theHoldRetriesZonesThatAreNotOffYetAndTakesZonesThatComeBack() {
        HardwareLayer h = layer(Map.of("estop.debounce.ms", "0", "force.retry.ms", "1000"));
        estopPin(h).mockState(DigitalState.HIGH);
        h.tick(0);
        assertThat(forcedZones()).containsExactly("hlt", "kettle");
        // hlt obeyed, kettle did not answer yet; fv1 comes back online in auto
        plant.put(Fakes.zone("hlt", ZoneState.ONLINE, "off"));
        plant.put(Fakes.zone("fv1", ZoneState.ONLINE, "auto"));
        gate.commands.clear();
        h.tick(500);
        assertThat(forcedZones()).as("fv1 at once, kettle not before the retry time").containsExactly("fv1");
        gate.commands.clear();
        h.tick(1200);
        assertThat(forcedZones()).containsExactly("kettle");
    }

    @Test
    void releaseNeedsAnAuditedResetAndResetNeedsRelease() {
        HardwareLayer h = layer();
        estopPin(h).mockState(DigitalState.HIGH);
        h.tick(0);
        h.tick(30);
        assertThat(h.state()).isEqualTo(State.PRESSED);
        assertThatThrownBy(() -> h.reset("ana", "hmi")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still pressed").hasNoCause();

        estopPin(h).mockState(DigitalState.LOW);
        h.tick(100);
        h.tick(130);
        assertThat(h.state()).isEqualTo(State.RESET_NEEDED);
        assertThat(h.check(Command.write("kettle", "mode", "auto", "rest", "ana"))).isPresent();

        assertThatThrownBy(() -> h.reset(" ", "hmi")).isInstanceOf(IllegalArgumentException.class);
        audit.broken = true;
        assertThatThrownBy(() -> h.reset("ana", "hmi")).isInstanceOf(IllegalStateException.class).hasCause(
                new IllegalStateException("disk full"));
        assertThat(h.state()).as("not reset without its record").isEqualTo(State.RESET_NEEDED);
        audit.broken = false;

        assertThat(h.reset("ana", "hmi")).isEqualTo(State.CLEAR);
        assertThat(h.state()).isEqualTo(State.CLEAR);
        assertThat(h.check(Command.write("kettle", "mode", "auto", "rest", "ana"))).isEmpty();
        assertThat(audit.entries).extracting(AuditEntry::action)
                .containsExactly("estop.press", "estop.release", "estop.reset");
        AuditEntry reset = audit.entries.get(2);
        assertThat(reset.actor()).isEqualTo("ana");
        assertThat(reset.entryPoint()).isEqualTo("hmi");
        assertThat(reset.oldValue()).isEqualTo("RESET_NEEDED");
        assertThat(reset.newValue()).isEqualTo("CLEAR");
        assertThat(h.reset("ana", "hmi")).as("nothing to reset").isEqualTo(State.CLEAR);
        assertThat(audit.entries).hasSize(3);
    }

    @Test
    void aShortSpikeOnTheLoopDoesNotStopThePlant() {
        HardwareLayer h = layer();
        estopPin(h).mockState(DigitalState.HIGH);
        h.tick(0);
        estopPin(h).mockState(DigitalState.LOW);
        h.tick(10);
        h.tick(100);
        assertThat(h.state()).isEqualTo(State.CLEAR);
        assertThat(gate.commands).isEmpty();
    }

    @Test
    void edgesBetweenTwoPollsRestartTheDebounce() {
        HardwareLayer h = layer();
        estopPin(h).mockState(DigitalState.HIGH);
        h.tick(0);
        // the contact bounces between polls (edges arrive on Pi4J's thread) and ends open
        for (int i = 0; i < 1000; i++) {
            estopPin(h).mockState(i % 2 == 0 ? DigitalState.LOW : DigitalState.HIGH);
        }
        h.tick(25);
        h.tick(40);
        assertThat(h.state()).as("open for 30 ms since the poll at 0, but it bounced at 25").isEqualTo(State.CLEAR);
        h.tick(55);
        assertThat(h.state()).isEqualTo(State.PRESSED);
    }

    @Test
    void beaconAndHornPinsFollowTheAlarms() {
        HardwareLayer h = layer(Map.of("flash.fast.period.ms", "400", "flash.slow.period.ms", "1000"));
        h.tick(0);
        assertThat(high(h, Pins.BEACON)).isFalse();
        assertThat(high(h, Pins.HORN)).isFalse();

        alarms.alarms = List.of(AnnunciationTest.alarm("hlt.pv.hihi", AlarmPriority.CRITICAL, AlarmState.UNACK_ACTIVE));
        h.tick(1200); // alarms are polled every 200 ms; fast flash: lit for the first 200 ms of each 400
        assertThat(high(h, Pins.HORN)).isTrue();
        assertThat(high(h, Pins.BEACON)).isTrue();
        h.tick(1450);
        assertThat(high(h, Pins.BEACON)).isFalse();
        h.tick(1600);
        assertThat(high(h, Pins.BEACON)).isTrue();

        alarms.alarms = List.of(AnnunciationTest.alarm("hlt.pv.hihi", AlarmPriority.CRITICAL, AlarmState.ACK_ACTIVE));
        h.tick(2000);
        assertThat(high(h, Pins.HORN)).as("silenced by the acknowledge").isFalse();
        for (long t = 2000; t < 3000; t += 50) {
            h.tick(t);
            assertThat(high(h, Pins.BEACON)).as("steady at %d", t).isTrue();
        }
        alarms.alarms = List.of();
        h.tick(3000);
        assertThat(high(h, Pins.BEACON)).isFalse();
    }

    @Test
    void activeLowOutputsAreInvertedOnThePin() {
        HardwareLayer h = layer(Map.of("horn.active.level", "low", "beacon.active.level", "low"));
        h.tick(0);
        assertThat(high(h, Pins.HORN)).as("idle = high on an active-low output").isTrue();
        alarms.alarms = List.of(AnnunciationTest.alarm("a", AlarmPriority.HIGH, AlarmState.UNACK_ACTIVE));
        h.tick(1000);
        assertThat(high(h, Pins.HORN)).isFalse();
    }

    @Test
    void watchdogPulsesOnlyWithGateAndInterlockGuard() {
        HardwareLayer h = layer(Map.of("watchdog.period.ms", "100"));
        h.unsetGate(gate);
        CommandGuard interlocks = command -> java.util.Optional.empty();
        h.addGuard(interlocks, Map.of(CommandGuard.GUARD_NAME, "interlocks"));
        assertThat(levels(h, 0)).as("no gate").containsOnly(false);
        assertThat(h.watchdogStop()).isEqualTo("no command gate");

        h.setGate(gate);
        assertThat(levels(h, 1000)).containsExactly(true, false, true, false, true, false, true, false, true, false);
        assertThat(h.details()).extractingByKey("watchdog").asString().contains("running=true");

        h.removeGuard(interlocks);
        assertThat(levels(h, 2000)).as("no interlock guard").containsOnly(false);
        assertThat(h.watchdogStop()).isEqualTo("no interlocks guard");
        // on the mock the stop is shown, not counted against the box
        assertThat(h.status()).isEqualTo(Status.UP);
    }

    /** The watchdog pin's level every 100 ms for one second from {@code from}. */
    private static List<Boolean> levels(HardwareLayer h, long from) {
        List<Boolean> levels = new ArrayList<>();
        for (long t = from; t < from + 1000; t += 10) {
            h.tick(t);
            if ((t - from) % 100 == 0) {
                levels.add(high(h, Pins.WATCHDOG));
            }
        }
        return levels;
    }

    @Test
    void gpiodThatCannotOpenHoldsThePlantAndIsDown() {
        HardwareLayer h = layer(Map.of("provider", "gpiod", "estop.debounce.ms", "0"));
        assertThat(h.pins()).isNull();
        h.tick(0);
        assertThat(h.state()).as("an E-stop nobody can read counts as pressed").isEqualTo(State.PRESSED);
        assertThat(forcedZones()).containsExactly("hlt", "kettle");
        assertThat(h.status()).isEqualTo(Status.DOWN);
        assertThat(h.details().get("providerReason")).asString().startsWith("GPIO not open");
    }

    @Test
    void healthSaysMockAndWhy() throws Exception {
        HardwareLayer h = layer();
        h.tick(0);
        assertThat(h.status()).isEqualTo(Status.UP);
        Map<String, Object> d = h.details();
        assertThat(d.get("provider")).isEqualTo("mock");
        assertThat(d.get("providerReason")).asString().contains("no ").contains("gpiochip*");
        assertThat(d.get("pins")).isEqualTo(Map.of("estop", 17, "beacon", 27, "horn", 22, "watchdog", 23));
        assertThat(d.get("estop")).asString().contains("state=CLEAR");

        // auto with a GPIO chip present but gpiod unusable (not a Pi): the mock, shown as DEGRADED
        Files.createFile(dev.resolve("gpiochip0"));
        HardwareLayer fallback = layer();
        assertThat(fallback.pins().provider).isEqualTo(Pins.MOCK);
        assertThat(fallback.pins().reason).contains("gpiod failed");
        assertThat(fallback.status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void aBadConfigurationKeepsTheDefaultsAndSaysSo() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("estop.pin", "99");
        HardwareLayer h = layer(bad);
        assertThat(h.settings()).isEqualTo(Settings.DEFAULTS);
        assertThat(h.status()).isEqualTo(Status.DEGRADED);
        assertThat(h.details().get("configError")).asString().contains("estop.pin 99");
    }

    @Test
    void onItsOwnThreadAndAcrossAConfigurationChangeTheLatchHolds() {
        HardwareLayer h = new HardwareLayer(null, Map.of("provider", "mock", "estop.debounce.ms", "20"));
        opened.add(h);
        h.setGate(gate);
        h.setPlant(plant);
        h.setAudit(audit);
        estopPin(h).mockState(DigitalState.HIGH);
        await().atMost(Duration.ofSeconds(2)).until(() -> h.state() == State.PRESSED);
        await().atMost(Duration.ofSeconds(2)).until(() -> gate.commands.size() >= 2);
        estopPin(h).mockState(DigitalState.LOW);
        await().atMost(Duration.ofSeconds(2)).until(() -> h.state() == State.RESET_NEEDED);

        h.modified(Map.of("provider", "mock", "estop.pin", "5"));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.pins() != null && h.settings().estopPin() == 5);
        assertThat(h.details().get("pins")).asString().contains("estop=5");
        assertThat(h.state()).as("new pins do not reset the E-stop").isEqualTo(State.RESET_NEEDED);
        assertThat(h.reset("ana", "hmi")).isEqualTo(State.CLEAR);
    }
}
