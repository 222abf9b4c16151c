# The kettle's analog level over the real broker with the whole loop: the simulated ADC pin gets
# the microvolts a 4-20 mA transmitter drives across the 120 ohm shunt, the firmware's own
# conversion reads them, and the SCADA sees `level` declared as the simulator declares it, reported
# in every tele, and BAD (null, in `bad`, a sensor event naming the NE 43 fault) when the loop breaks
# or shorts, with the heater held off until it reads again.
import time

from harness import zone_config
from test_loop import LoopTest

SIM_LEVEL = {"name": "level", "kind": "analog", "unit": "%", "min": 0, "max": 100, "rw": False}


def level_tele(value, tol=0.5):
    return lambda k, m: (k == "tele" and m["tags"].get("level") is not None
                         and abs(m["tags"]["level"] - value) <= tol and "level" not in m.get("bad", []))


class LevelTest(LoopTest):
    def test_kettle_level_reported_and_bad_on_a_wire_break(self):
        self.start(zone_config("kettle"), t0=60.0)
        self.hw.signals["level"] = 14.4  # mA: 65 % on the 4..20 mA span
        self.online()
        birth = self.scada.of_kind("birth")[-1]
        self.assertIn(SIM_LEVEL, birth["tags"])
        self.assertIsNotNone(self.scada.wait_for(level_tele(65.0), 2), "level 65 % in tele")
        self.refused({"v": 1, "op": "write", "tag": "level", "value": 50}, "read_only")

        self.ok({"v": 1, "op": "write", "tag": "mode", "value": "manual"})
        self.ok({"v": 1, "op": "write", "tag": "manual_out", "value": 100.0})
        self.wait_until(lambda: self.hw.outputs["heater"], 3, "the heater to come on")

        since = time.monotonic()
        self.hw.signals["level"] = 0.0  # the loop's wire is cut: no current through the shunt
        event = self.scada.wait_for(lambda k, m: k == "event" and m["kind"] == "sensor"
                                    and m["code"] == "level" and m["active"], 2, since)
        self.assertIsNotNone(event, "sensor event for the wire break")
        self.assertIn("ne43_low", event["msg"])
        tele = self.scada.wait_for(lambda k, m: k == "tele" and "level" in m.get("bad", []), 2, since)
        self.assertIsNotNone(tele, "level listed bad")
        self.assertIsNone(tele["tags"]["level"], "no plausible number while faulted")
        lock = self.scada.wait_for(lambda k, m: k == "event" and m["code"] == "min_level" and m["active"], 2, since)
        self.assertIsNotNone(lock, "the heater's level interlock")
        self.heater_stays_off(0.5)

        since = time.monotonic()
        self.hw.signals["level"] = 25.0  # shorted: above NE 43's 21 mA
        self.assertIsNotNone(self.scada.wait_for(
            lambda k, m: k == "event" and m["code"] == "level" and "ne43_high" in m.get("msg", ""), 2, since))
        self.heater_stays_off(0.3)

        since = time.monotonic()
        self.hw.signals["level"] = 12.0  # repaired: 50 %
        self.assertIsNotNone(self.scada.wait_for(level_tele(50.0), 3, since), "level good again")
        self.assertIsNotNone(self.scada.wait_for(
            lambda k, m: k == "event" and m["code"] == "min_level" and not m["active"], 2, since))
        self.wait_until(lambda: self.hw.outputs["heater"], 3, "the heater to come on again")

    def test_mash_level_in_birth_and_tele(self):
        self.start(zone_config("mash"))
        self.online()
        self.assertIn(SIM_LEVEL, self.scada.of_kind("birth")[-1]["tags"])
        self.assertIsNotNone(self.scada.wait_for(level_tele(70.0), 2), "the simulated vessel at 70 %")
