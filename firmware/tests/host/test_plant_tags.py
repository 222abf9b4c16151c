# The tags the demo plant's interlocks read or force, over the real broker with the whole loop:
# each writable one (kettle inlet_valve, fermenter cip and product_valve, glycol pump) is written,
# acked, reported and driven, refused like the other outputs, and closed/stopped by the PLC itself
# when the SCADA's heartbeat stops; the HLT's level_switch is a read-only input that holds the heat.
import time

from harness import zone_config
from test_loop import LoopTest

SWITCHES = {"kettle": ("inlet_valve",), "fv1": ("cip", "product_valve"), "glycol": ("pump",)}


class PlantTagTest(LoopTest):
    def check_switches(self, zone):
        self.start(zone_config(zone))
        self.online()
        birth = self.scada.of_kind("birth")[-1]
        declared = dict((t["name"], t) for t in birth["tags"])
        for name in SWITCHES[zone]:
            self.assertEqual(declared[name], {"name": name, "kind": "bool", "rw": True})
            self.refused({"v": 1, "op": "write", "tag": name, "value": 1}, "bad_type")
            self.refused({"v": 1, "op": "write", "tag": name, "value": "true"}, "bad_type")
            since = time.monotonic()
            self.ok({"v": 1, "op": "write", "tag": name, "value": True})
            self.wait_until(lambda: self.hw.outputs[name], 2, name + " driven")
            tele = self.scada.wait_for(lambda k, m: k == "tele" and m["tags"].get(name) is True, 2, since)
            self.assertIsNotNone(tele, name + " reported open/running")

        self.scada.heartbeats(False)
        self.assertIsNotNone(self.failsafe_entry(self.scada.last_heartbeat))
        since = time.monotonic()
        for name in SWITCHES[zone]:
            self.wait_until(lambda: not self.hw.outputs[name], 1, name + " off in fail-safe")
        tele = self.scada.wait_for(lambda k, m: k == "tele", 2, since)
        self.assertEqual([tele["tags"][n] for n in SWITCHES[zone]], [False] * len(SWITCHES[zone]))
        self.refused({"v": 1, "op": "write", "tag": SWITCHES[zone][0], "value": True}, "failsafe")
        return since

    def test_kettle_inlet_valve(self):
        self.check_switches("kettle")
        self.assertEqual(self.app.zone.mode, "off", "policy off: the whole zone stops")

    def test_fermenter_cip_and_product_valve(self):
        self.check_switches("fv1")
        self.assertEqual(self.app.zone.mode, "auto", "hold_last: still regulating")

    def test_glycol_pump(self):
        since = self.check_switches("glycol")
        self.scada.heartbeats(True)  # hold_last leaves fail-safe by itself ...
        self.assertIsNotNone(self.scada.wait_for(lambda k, m: k == "status" and m["state"] == "online", 3, since))
        time.sleep(0.5)
        self.assertFalse(self.hw.outputs["pump"], "... but the pump waits for the SCADA to start it again")
        self.ok({"v": 1, "op": "write", "tag": "pump", "value": True})
        self.wait_until(lambda: self.hw.outputs["pump"], 2, "pump on again")

    def test_hlt_level_switch(self):
        self.start(zone_config("hlt"), t0=40.0)
        self.online()
        birth = self.scada.of_kind("birth")[-1]
        self.assertIn({"name": "level_switch", "kind": "bool", "rw": False}, birth["tags"])
        self.refused({"v": 1, "op": "write", "tag": "level_switch", "value": True}, "read_only")
        self.ok({"v": 1, "op": "write", "tag": "sv", "value": 70.0})
        self.ok({"v": 1, "op": "write", "tag": "mode", "value": "auto"})
        self.wait_until(lambda: self.hw.outputs["heater"], 3, "the heater to come on")
        since = time.monotonic()
        self.hw.inputs["level_switch"] = False  # drained below the element
        event = self.scada.wait_for(lambda k, m: k == "event" and m["code"] == "low_level" and m["active"], 2, since)
        self.assertIsNotNone(event)
        tele = self.scada.wait_for(lambda k, m: k == "tele" and m["tags"]["level_switch"] is False, 2, since)
        self.assertIsNotNone(tele)
        self.heater_stays_off(0.5)
