package org.brewpi.sim.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.brewpi.sim.control.FailSafe;
import org.brewpi.sim.physics.SensorFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZonePlcTest {

    private final List<Rig> rigs = new ArrayList<>();

    private Rig rig(String zone, String type) {
        Rig rig = new Rig(zone, type);
        rigs.add(rig);
        return rig;
    }

    @AfterEach
    void everythingSentWasValid() {
        for (Rig rig : rigs) {
            assertThat(rig.outbox.invalid).as("payloads the protocol would reject").isEmpty();
        }
    }

    // ---- start-up ---------------------------------------------------------------------------------

    @Test
    void hotZonesStartOffAndColdZonesRegulateAtTheirSetpoints() {
        assertThat(rig("hlt", "hlt").plc.mode()).isEqualTo(Mode.OFF);
        assertThat(rig("mash", "mash").plc.mode()).isEqualTo(Mode.OFF);
        assertThat(rig("kettle", "kettle").plc.mode()).isEqualTo(Mode.OFF);
        Rig fv1 = rig("fv1", "fermenter");
        Rig fv2 = rig("fv2", "fermenter");
        Rig glycol = rig("glycol", "glycol");
        assertThat(fv1.plc.mode()).isEqualTo(Mode.AUTO);
        assertThat(fv1.plc.sv()).isEqualTo(18.0);
        assertThat(fv2.plc.sv()).isEqualTo(12.0);
        assertThat(glycol.plc.sv()).isEqualTo(-2.0);
        assertThat(fv1.vessel.temperature()).isEqualTo(18.0);
        assertThat(fv2.vessel.temperature()).isEqualTo(12.0);
        assertThat(glycol.vessel.temperature()).isEqualTo(-2.0);
    }

    @Test
    void onConnectItSendsBirthThenStatusThenTelemetry() {
        Rig rig = rig("fv1", "fermenter").online();
        rig.run(200, true);
        assertThat(rig.outbox.sent).extracting(RecordingOutbox.Sent::kind).startsWith("birth", "status", "tele");
        RecordingOutbox.Sent birth = rig.outbox.of("birth").get(0);
        RecordingOutbox.Sent status = rig.outbox.of("status").get(0);
        assertThat(birth.retained()).isTrue();
        assertThat(birth.qos()).isEqualTo(1);
        assertThat(status.retained()).isTrue();
        assertThat(status.qos()).isEqualTo(1);
        assertThat(rig.outbox.of("tele").get(0).qos()).isZero();
        assertThat(rig.outbox.of("tele").get(0).retained()).isFalse();
        assertThat(birth.topic()).isEqualTo("brewpi/v1/fv1/birth");

        JsonNode b = birth.json();
        assertThat(b.get("zone").textValue()).isEqualTo("fv1");
        assertThat(b.get("type").textValue()).isEqualTo("fermenter");
        assertThat(b.get("failsafe").textValue()).isEqualTo("hold_last");
        assertThat(b.get("period_ms").longValue()).isEqualTo(Rig.PERIOD);
        assertThat(b.get("boot").longValue()).isEqualTo(rig.plc.boot()).isBetween(0L, (long) Integer.MAX_VALUE);
        assertThat(names(b.get("tags"))).containsExactly("pv", "sv", "out", "mode", "glycol_valve", "cip",
                "product_valve");
        assertThat(status.json().get("state").textValue()).isEqualTo("online");
        assertThat(status.json().get("boot").longValue()).isEqualTo(rig.plc.boot());
    }

    @Test
    void periodicTelemetryKeepsThePlcsOwnPhaseThroughEventDrivenMessages() {
        Rig rig = rig("fv1", "fermenter").online();
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            int before = rig.outbox.of("tele").size();
            if (i == 35) {
                rig.write("sv", "18.5"); // an event: sent at once, the period's phase stays
            }
            rig.run(Rig.TICK, true);
            if (rig.outbox.of("tele").size() > before) {
                at.add(rig.now);
            }
        }
        List<Long> phases = at.stream().filter(t -> t > 1_000 && t != 3_600).map(t -> t % Rig.PERIOD).distinct().toList();
        assertThat(phases).as("periodic telemetry at %s", at).hasSize(1);
        assertThat(at).as("one message a period, plus the event's").hasSizeBetween(8, 10);
    }

    @Test
    void tagSetsPerZoneType() {
        assertThat(names(birthTags(rig("hlt", "hlt")))).containsExactly("pv", "sv", "out", "mode", "heater", "level",
                "level_switch");
        assertThat(names(birthTags(rig("mash", "mash")))).containsExactly("pv", "sv", "out", "mode", "heater", "pump", "level");
        assertThat(names(birthTags(rig("kettle", "kettle")))).containsExactly("pv", "sv", "out", "mode", "heater", "level",
                "inlet_valve");
        assertThat(names(birthTags(rig("fv1", "fermenter")))).containsExactly("pv", "sv", "out", "mode", "glycol_valve",
                "cip", "product_valve");
        assertThat(names(birthTags(rig("bbt1", "brite")))).containsExactly("pv", "sv", "out", "mode", "glycol_valve",
                "cip", "product_valve");
        assertThat(names(birthTags(rig("glycol", "glycol")))).containsExactly("pv", "sv", "out", "mode", "compressor",
                "pump");
        assertThat(tag(birth(rig("hlt3", "hlt")), "level_switch").get("rw").booleanValue()).isFalse();
        assertThat(tag(birth(rig("k3", "kettle")), "inlet_valve").get("rw").booleanValue()).isTrue();
        JsonNode hlt = birth(rig("hlt2", "hlt"));
        assertThat(tag(hlt, "sv").get("max").doubleValue()).isEqualTo(100.0);
        assertThat(tag(hlt, "pv").get("rw").booleanValue()).isFalse();
        assertThat(tag(hlt, "out").get("rw").booleanValue()).isFalse();
        assertThat(hlt.get("failsafe").textValue()).isEqualTo("off");
        JsonNode fv = birth(rig("fv9", "fermenter"));
        assertThat(tag(fv, "sv").get("min").doubleValue()).isEqualTo(-2.0);
        assertThat(tag(fv, "sv").get("max").doubleValue()).isEqualTo(30.0);
        assertThat(tag(fv, "out").get("min").doubleValue()).isEqualTo(-100.0);
        assertThat(tag(birth(rig("mash2", "mash")), "sv").get("max").doubleValue()).isEqualTo(80.0);
        assertThat(tag(birth(rig("k2", "kettle")), "sv").get("max").doubleValue()).isEqualTo(105.0);
        assertThat(tag(birth(rig("g2", "glycol")), "sv").get("min").doubleValue()).isEqualTo(-10.0);
    }

    @Test
    void telemetryEveryPeriodWithOneBootAndSeqRisingByOne() {
        Rig rig = rig("fv1", "fermenter").online();
        rig.run(10_000, true);
        List<JsonNode> tele = rig.outbox.of("tele").stream().map(RecordingOutbox.Sent::json).toList();
        assertThat(tele).hasSizeBetween(10, 12);
        long seq = tele.get(0).get("seq").longValue();
        for (JsonNode t : tele) {
            assertThat(t.get("boot").longValue()).isEqualTo(rig.plc.boot());
            assertThat(t.get("seq").longValue()).isEqualTo(seq++);
            assertThat(t.get("tags").get("pv").doubleValue()).isCloseTo(18.0, within(0.5));
            assertThat(t.get("tags").get("mode").textValue()).isEqualTo("auto");
            assertThat(t.has("bad")).isFalse();
        }
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.ONLINE);
    }

    // ---- commands ---------------------------------------------------------------------------------

    @Test
    void aValidWriteIsAckedAndApplied() {
        Rig rig = rig("fv1", "fermenter").online();
        JsonNode ack = rig.command("{\"v\":1,\"id\":\"c-000042\",\"op\":\"write\",\"tag\":\"sv\",\"value\":18.5}");
        assertThat(ack.toString()).isEqualTo("{\"v\":1,\"id\":\"c-000042\",\"ok\":true}");
        assertThat(rig.plc.sv()).isEqualTo(18.5);
        assertThat(rig.lastTele().get("tags").get("sv").doubleValue()).isEqualTo(18.5);
        assertThat(rig.command("{\"v\":1,\"id\":\"p-1\",\"op\":\"ping\"}").get("ok").booleanValue()).isTrue();
    }

    @Test
    void writesAreCheckedAgainstThePlcsOwnLimits() {
        Rig rig = rig("fv1", "fermenter").online();
        assertRefused(rig.write("sv", "45"), "out_of_range", "sv 45 > max 30");
        assertRefused(rig.write("sv", "-3"), "out_of_range", "sv -3 < min -2");
        assertRefused(rig.write("sv", "\"18\""), "bad_type", null);
        assertRefused(rig.write("sv", "true"), "bad_type", null);
        assertRefused(rig.write("pv", "18"), "read_only", null);
        assertRefused(rig.write("out", "-50"), "read_only", null);
        assertRefused(rig.write("heater", "true"), "unknown_tag", null);
        assertRefused(rig.write("mode", "\"turbo\""), "out_of_range", null);
        assertRefused(rig.write("mode", "1"), "bad_type", null);
        assertRefused(rig.write("glycol_valve", "\"open\""), "bad_type", null);
        // the loop owns the valve in auto
        assertRefused(rig.write("glycol_valve", "true"), "read_only", null);
        assertThat(rig.plc.sv()).isEqualTo(18.0);
        assertThat(rig.plc.mode()).isEqualTo(Mode.AUTO);
    }

    @Test
    void malformedCommandsGetAnErrorAckAndChangeNothing() {
        Rig rig = rig("fv1", "fermenter").online();
        JsonNode before = rig.lastTele().get("tags");
        assertRefused(rig.command("{\"v\":1,\"id\":\"m-1\",\"op\":\"explode\"}"), "bad_request", "bad_value");
        assertRefused(rig.command("{\"v\":1,\"id\":\"m-2\",\"op\":\"write\",\"value\":1}"), "bad_request", "bad_value");
        assertRefused(rig.command("{\"v\":1,\"id\":\"m-3\",\"op\":\"write\",\"tag\":\"sv\"}"), "bad_request", "missing_field");
        assertRefused(rig.command("{\"v\":1,\"id\":\"m-4\",\"op\":\"write\",\"tag\":\"sv\",\"value\":null}"), "bad_request", "missing_field");
        assertRefused(rig.command("{\"v\":1,\"id\":\"m-5\",\"op\":\"write\",\"tag\":\"sv\",\"value\":[1]}"), "bad_type", "bad_type");
        assertRefused(rig.command("{\"v\":2,\"id\":\"m-6\",\"op\":\"write\",\"tag\":\"sv\",\"value\":20}"), "bad_request", "wrong_version");
        assertRefused(rig.command("{\"id\":\"m-7\",\"op\":\"write\",\"tag\":\"sv\",\"value\":20}"), "bad_request", "no_version");
        // no id to answer to: nothing is published, the rejection is counted
        assertThat(rig.command("{\"v\":1,\"id\":42,\"op\":\"ping\"}")).isNull();
        assertThat(rig.command("{\"v\":1,\"op\":\"ping\"}")).isNull();
        assertThat(rig.command("not json")).isNull();
        assertThat(rig.command("[1]")).isNull();
        assertThat(rig.plc.rejected()).containsEntry("bad_value", 2L).containsEntry("not_json", 1L)
                .containsEntry("not_object", 1L).containsEntry("bad_type", 2L).containsEntry("missing_field", 3L);
        assertThat(rig.plc.sv()).isEqualTo(18.0);
        assertThat(rig.lastTele().get("tags").get("sv")).isEqualTo(before.get("sv"));
        assertThat(rig.lastTele().get("tags").get("mode")).isEqualTo(before.get("mode"));
    }

    @Test
    void aRedeliveredCommandIsAnsweredAsBeforeAndActedOnOnce() {
        Rig rig = rig("fv1", "fermenter").online();
        String first = "{\"v\":1,\"id\":\"c-1\",\"op\":\"write\",\"tag\":\"sv\",\"value\":20}";
        JsonNode ack1 = rig.command(first);
        rig.command("{\"v\":1,\"id\":\"c-2\",\"op\":\"write\",\"tag\":\"sv\",\"value\":21}");
        assertThat(rig.plc.sv()).isEqualTo(21.0);
        JsonNode again = rig.command(first);
        assertThat(again).isEqualTo(ack1);
        assertThat(rig.plc.sv()).as("c-1 must not be applied twice").isEqualTo(21.0);
        assertThat(rig.plc.duplicateCommands()).isEqualTo(1);
        // a refused command is also answered as before
        String bad = "{\"v\":1,\"id\":\"c-3\",\"op\":\"write\",\"tag\":\"sv\",\"value\":99}";
        assertThat(rig.command(bad)).isEqualTo(rig.command(bad));
        assertThat(rig.outbox.of("ack")).hasSize(5);
    }

    @Test
    void manualAndAutoTransfersAreBumpless() {
        Rig rig = rig("fv1", "fermenter").online();
        rig.vessel.setTemperature(18.4);
        rig.run(10_000, true);
        double auto = rig.plc.out();
        assertThat(auto).isLessThan(-1.0).isGreaterThan(-100.0);
        assertThat(rig.write("mode", "\"manual\"").get("ok").booleanValue()).isTrue();
        rig.run(200, true);
        assertThat(rig.plc.out()).isEqualTo(auto);
        assertThat(rig.write("mode", "\"auto\"").get("ok").booleanValue()).isTrue();
        rig.run(100, true);
        assertThat(rig.plc.out()).isCloseTo(auto, within(1.0));
        // by hand: the valve shut, then open
        rig.write("mode", "\"manual\"");
        assertThat(rig.write("glycol_valve", "false").get("ok").booleanValue()).isTrue();
        rig.run(200, true);
        assertThat(rig.plc.out()).isZero();
        assertThat(rig.lastTele().get("tags").get("glycol_valve").booleanValue()).isFalse();
        rig.write("glycol_valve", "true");
        rig.run(200, true);
        assertThat(rig.plc.out()).isEqualTo(-100.0);
        assertThat(rig.lastTele().get("tags").get("glycol_valve").booleanValue()).isTrue();
    }

    @Test
    void theValvesAndPumpsTheInterlocksWatchSwitchInAnyModeAndShowInTelemetry() {
        Rig kettle = rig("kettle", "kettle").online();
        kettle.run(200, true);
        assertThat(kettle.lastTele().get("tags").get("inlet_valve").booleanValue()).isFalse();
        assertThat(kettle.plc.mode().wire()).isEqualTo("off");
        assertThat(kettle.write("inlet_valve", "true").get("ok").booleanValue()).isTrue();
        assertRefused(kettle.write("inlet_valve", "1"), "bad_type", null);
        kettle.run(200, true);
        assertThat(kettle.lastTele().get("tags").get("inlet_valve").booleanValue()).isTrue();

        Rig fv = rig("fv1", "fermenter").online();
        fv.write("cip", "true");
        fv.write("product_valve", "true");
        fv.run(200, true);
        assertThat(fv.lastTele().get("tags").get("cip").booleanValue()).isTrue();
        assertThat(fv.plc.switchState("product_valve")).isTrue();

        Rig glycol = rig("glycol", "glycol").online();
        glycol.run(200, true);
        assertThat(glycol.lastTele().get("tags").get("pump").booleanValue()).as("the glycol loop runs").isTrue();
        glycol.write("mode", "\"off\"");
        assertThat(glycol.write("pump", "false").get("ok").booleanValue()).as("in mode off too").isTrue();

        Rig hlt = rig("hlt", "hlt").online();
        hlt.run(200, true);
        assertThat(hlt.lastTele().get("tags").get("level_switch").booleanValue()).as("80 % covers the element").isTrue();
        assertRefused(hlt.write("level_switch", "false"), "read_only", null);
    }

    @Test
    void modeOffTurnsEverythingOff() {
        Rig rig = rig("mash", "mash").online();
        rig.write("mode", "\"manual\"");
        rig.write("pump", "true");
        rig.write("heater", "true");
        rig.run(200, true);
        assertThat(rig.plc.out()).isEqualTo(100.0);
        assertThat(rig.vessel.heater()).isEqualTo(1.0);
        rig.write("mode", "\"off\"");
        rig.run(200, true);
        assertThat(rig.plc.out()).isZero();
        assertThat(rig.vessel.heater()).isZero();
        assertThat(rig.lastTele().get("tags").get("pump").booleanValue()).isFalse();
        assertRefused(rig.write("pump", "true"), "read_only", null);
    }

    // ---- interlocks and sensors -------------------------------------------------------------------

    @Test
    void theHeaterNeedsLiquid() {
        Rig rig = rig("hlt", "hlt").online();
        rig.write("mode", "\"manual\"");
        rig.write("heater", "true");
        rig.run(200, true);
        assertThat(rig.vessel.heater()).isEqualTo(1.0);
        rig.vessel.setLevelPercent(10);
        rig.run(200, true);
        assertThat(rig.vessel.heater()).isZero();
        assertThat(rig.plc.interlockActive("low_level")).isTrue();
        JsonNode trip = lastEvent(rig, "interlock");
        assertThat(trip.get("code").textValue()).isEqualTo("low_level");
        assertThat(trip.get("active").booleanValue()).isTrue();
        assertRefused(rig.write("heater", "true"), "interlocked", "low_level");
        // in auto the loop is blocked the same way
        rig.write("mode", "\"auto\"");
        rig.run(1000, true);
        assertThat(rig.vessel.heater()).isZero();
        rig.vessel.setLevelPercent(80);
        rig.run(200, true);
        assertThat(lastEvent(rig, "interlock").get("active").booleanValue()).isFalse();
        rig.run(5000, true);
        assertThat(rig.vessel.heater()).as("auto resumes once the level is back").isPositive();
    }

    @Test
    void overTemperatureTripsLatchesAndNeedsAReset() {
        Rig rig = rig("mash", "mash").online();
        rig.write("mode", "\"manual\"");
        rig.write("pump", "true");
        rig.write("heater", "true");
        rig.vessel.setTemperature(90);
        rig.run(120_000, true); // the probe catches up
        assertThat(rig.plc.interlockActive("overtemp")).isTrue();
        assertThat(rig.vessel.heater()).isZero();
        JsonNode trip = lastEvent(rig, "interlock");
        assertThat(trip.get("code").textValue()).isEqualTo("overtemp");
        assertThat(trip.get("msg").textValue()).contains(">= trip 85");
        assertRefused(rig.write("heater", "true"), "interlocked", "overtemp");
        // still hot: reset is answered but the trip stays
        JsonNode early = rig.reset();
        assertThat(early.get("ok").booleanValue()).isTrue();
        assertThat(early.get("msg").textValue()).contains("overtemp");
        assertThat(rig.plc.interlockActive("overtemp")).isTrue();
        // cooled down: it stays tripped until reset
        rig.vessel.setTemperature(60);
        rig.run(120_000, true);
        assertThat(rig.plc.interlockActive("overtemp")).isTrue();
        assertThat(rig.reset().get("ok").booleanValue()).isTrue();
        assertThat(rig.plc.interlockActive("overtemp")).isFalse();
        assertThat(lastEvent(rig, "interlock").get("active").booleanValue()).isFalse();
        // heat does not come back by itself after the trip
        rig.run(1000, true);
        assertThat(rig.vessel.heater()).isZero();
    }

    @Test
    void aFailedProbeIsReportedBadAndTheLoopLetsGo() {
        Rig rig = rig("hlt", "hlt").online();
        rig.write("mode", "\"auto\"");
        rig.run(2000, true);
        assertThat(rig.plc.out()).isPositive();
        rig.vessel.probe().setFault(SensorFault.DISCONNECTED);
        rig.run(1000, true);
        JsonNode tele = rig.lastTele();
        assertThat(tele.get("tags").get("pv").isNull()).isTrue();
        assertThat(tele.get("bad").get(0).textValue()).isEqualTo("pv");
        assertThat(rig.plc.out()).isZero();
        JsonNode fault = lastEvent(rig, "sensor");
        assertThat(fault.get("code").textValue()).isEqualTo("pv");
        assertThat(fault.get("active").booleanValue()).isTrue();
        assertThat(fault.get("msg").textValue()).contains("-127");
        rig.vessel.probe().setFault(SensorFault.NONE);
        rig.run(1000, true);
        assertThat(lastEvent(rig, "sensor").get("active").booleanValue()).isFalse();
        assertThat(rig.lastTele().has("bad")).isFalse();
    }

    @Test
    void aPowerOnReadingOf85IsAFaultButARealEightyFiveIsNot() {
        Rig rig = rig("hlt", "hlt").online();
        rig.vessel.probe().setFault(SensorFault.POWER_ON_RESET);
        rig.run(200, true);
        assertThat(rig.lastTele().has("bad")).isTrue();
        rig.vessel.probe().setFault(SensorFault.NONE);
        rig.vessel.setTemperature(84.9);
        rig.run(300_000, true);
        assertThat(rig.lastTele().has("bad")).isFalse();
        assertThat(rig.plc.pv()).isCloseTo(84.9, within(0.3));
    }

    // ---- fail-safe --------------------------------------------------------------------------------

    @Test
    void aHotZoneWithoutHeartbeatsSwitchesOffAndWaitsForAReset() {
        Rig rig = rig("hlt", "hlt").online();
        rig.write("mode", "\"auto\"");
        rig.run(3000, true);
        assertThat(rig.vessel.heater()).isPositive();
        rig.run(4900, false);
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.ONLINE);
        rig.run(200, false);
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.FAILSAFE);
        assertThat(rig.vessel.heater()).isZero();
        assertThat(rig.plc.mode()).isEqualTo(Mode.OFF);
        JsonNode status = rig.lastStatus();
        assertThat(status.get("state").textValue()).isEqualTo("failsafe");
        assertThat(status.get("reason").textValue()).isEqualTo("heartbeat_timeout");
        assertThat(rig.outbox.last("status").retained()).isTrue();
        JsonNode entered = lastEvent(rig, "failsafe");
        assertThat(entered.get("code").textValue()).isEqualTo("heartbeat_timeout");
        assertThat(entered.get("active").booleanValue()).isTrue();
        assertRefused(rig.write("sv", "70"), "failsafe", null);
        // heartbeats alone never bring heat back
        rig.run(3000, true);
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.FAILSAFE);
        assertThat(rig.reset().get("ok").booleanValue()).isTrue();
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.ONLINE);
        assertThat(rig.lastStatus().get("state").textValue()).isEqualTo("online");
        assertThat(lastEvent(rig, "failsafe").get("active").booleanValue()).isFalse();
        // online again but still off: the operator chooses to heat again
        rig.run(2000, true);
        assertThat(rig.plc.mode()).isEqualTo(Mode.OFF);
        assertThat(rig.vessel.heater()).isZero();
    }

    @Test
    void aResetWithoutFreshHeartbeatsIsRefused() {
        Rig rig = rig("kettle", "kettle").online();
        rig.run(6000, false);
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.FAILSAFE);
        assertRefused(rig.reset(), "failsafe", "no heartbeat");
    }

    @Test
    void aColdZoneHoldsItsSetpointInFailSafeAndLeavesWhenHeartbeatsReturn() {
        Rig rig = rig("fv1", "fermenter").online();
        rig.run(6000, false);
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.FAILSAFE);
        assertThat(rig.plc.mode()).isEqualTo(Mode.AUTO);
        assertThat(lastEvent(rig, "failsafe").get("msg").textValue()).contains("holding");
        // the beer warms up while the SCADA is away: the PLC still cools it
        rig.vessel.setTemperature(19);
        rig.run(60_000, false);
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.FAILSAFE);
        assertThat(rig.vessel.temperature()).isLessThan(18.9);
        assertRefused(rig.write("sv", "12"), "failsafe", "heartbeats return");
        rig.run(1000, true);
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.ONLINE);
        assertThat(lastEvent(rig, "failsafe").get("active").booleanValue()).isFalse();
        assertThat(rig.lastStatus().get("state").textValue()).isEqualTo("online");
    }

    @Test
    void theScadaGoingOfflineIsFailSafeAtOnce() {
        Rig rig = rig("fv1", "fermenter").online();
        rig.run(1000, true);
        rig.plc.onMessage(rig.topics.scadaStatus(), Rig.bytes("{\"v\":1,\"state\":\"offline\"}"), rig.now);
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.FAILSAFE);
        assertThat(rig.plc.failSafeReason()).isEqualTo("scada_offline");
    }

    @Test
    void eventsWhileTheBrokerIsAwayAreDeliveredWhenItIsBack() {
        Rig rig = rig("hlt", "hlt").online();
        rig.run(1000, true);
        rig.outbox.accepting = false;
        rig.plc.linkDown(rig.now);
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.FAILSAFE);
        assertThat(rig.plc.failSafeReason()).isEqualTo("broker_lost");
        rig.vessel.setLevelPercent(5);
        rig.run(1000, false);
        rig.outbox.accepting = true;
        rig.outbox.clear();
        rig.plc.linkUp(rig.now);
        assertThat(rig.outbox.sent).extracting(RecordingOutbox.Sent::kind).startsWith("birth", "status", "event", "event");
        assertThat(rig.events()).extracting(e -> e.get("code").textValue()).containsExactly("broker_lost", "low_level");
        assertThat(rig.lastStatus().get("reason").textValue()).isEqualTo("broker_lost");
        // the backlog kept the order of seq
        assertThat(rig.events().get(0).get("seq").longValue()).isLessThan(rig.events().get(1).get("seq").longValue());
    }

    @Test
    void badHeartbeatsAreCountedAndDoNotFeedTheWatchdog() {
        Rig rig = rig("fv1", "fermenter").online();
        for (int i = 0; i < 60; i++) {
            rig.run(100, false);
            rig.plc.onMessage(rig.topics.heartbeat(), Rig.bytes("{\"v\":1,\"seq\":\"x\",\"t\":1}"), rig.now);
        }
        assertThat(rig.plc.state()).isEqualTo(FailSafe.State.FAILSAFE);
        assertThat(rig.plc.rejected()).containsEntry("bad_type", 60L);
    }

    // ---- loops on the plant -----------------------------------------------------------------------

    @Test
    void theHltHeatsToItsSetpointWithoutMuchOvershoot() {
        Rig rig = new Rig("hlt", "hlt", 60.0);
        rigs.add(rig);
        rig.online();
        rig.write("mode", "\"auto\"");
        double peak = 0;
        for (int minute = 0; minute < 180; minute++) { // 3 h of plant time
            rig.run(1000, true);
            peak = Math.max(peak, rig.vessel.temperature());
        }
        assertThat(rig.vessel.temperature()).isCloseTo(75.0, within(0.5));
        assertThat(peak).isLessThan(76.5);
    }

    @Test
    void aFermenterHoldsItsSetpointAgainstTheHeatOfFermentation() {
        Rig rig = new Rig("fv1", "fermenter", 60.0);
        rigs.add(rig);
        rig.online();
        double worst = 0;
        for (int minute = 0; minute < 24 * 60; minute++) { // a day of plant time
            rig.run(1000, true);
            worst = Math.max(worst, Math.abs(rig.vessel.temperature() - 18.0));
        }
        assertThat(worst).isLessThan(0.3);
        assertThat(rig.plc.out()).isNegative();
    }

    private static void assertRefused(JsonNode ack, String err, String msgPart) {
        assertThat(ack).as("an ack").isNotNull();
        assertThat(ack.get("ok").booleanValue()).as(ack.toString()).isFalse();
        assertThat(ack.get("err").textValue()).as(ack.toString()).isEqualTo(err);
        if (msgPart != null) {
            assertThat(ack.get("msg").textValue()).contains(msgPart);
        }
    }

    private static JsonNode lastEvent(Rig rig, String kind) {
        List<JsonNode> events = rig.events().stream().filter(e -> e.get("kind").textValue().equals(kind)).toList();
        assertThat(events).as("events of kind " + kind).isNotEmpty();
        return events.get(events.size() - 1);
    }

    private static JsonNode birth(Rig rig) {
        rig.online();
        return rig.outbox.last("birth").json();
    }

    private static JsonNode birthTags(Rig rig) {
        return birth(rig).get("tags");
    }

    private static JsonNode tag(JsonNode birth, String name) {
        for (JsonNode tag : birth.get("tags")) {
            if (tag.get("name").textValue().equals(name)) {
                return tag;
            }
        }
        throw new AssertionError("no tag " + name);
    }

    private static List<String> names(JsonNode tags) {
        List<String> names = new ArrayList<>();
        tags.forEach(t -> names.add(t.get("name").textValue()));
        return names;
    }
}
