# The zone's control logic: modes, interlocks in every mode, writes, fail-safe policies.
from mptest import approx, eq
from plc import config
from plc.zone import Zone


def _cfg(zone):
    with open("/zones/%s/config.json" % zone) as f:
        return config.parse(f.read())


class Rig:
    """A zone fed by hand: one loop pass per call, 50 ms apart."""

    def __init__(self, zone, pv=20.0):
        self.cfg = _cfg(zone)
        self.now = 0
        self.zone = Zone(self.cfg, self.now)
        self.pv = pv
        self.fault = None
        self.inputs = {}
        for name in self.cfg["inputs"]:
            self.inputs[name] = self.cfg["inputs"][name]["kind"] == "level"  # loop closed, wet
        self.outputs = {}

    def run(self, ms=50):
        end = self.now + ms
        while True:
            self.zone.sense({"pv": (None if self.fault else self.pv, self.fault)}, self.inputs)
            self.outputs = dict(self.zone.control(self.now))
            if self.now >= end:
                return self.outputs
            self.now += 50

    def write(self, tag, value):
        return self.zone.write(tag, value)

    def events(self, kind=None):
        return [e for e in self.zone.take_events() if kind is None or e[0] == kind]


def _heating(rig, ms=4000):
    # any heater pulse within a few TPO cycles
    end = rig.now + ms
    while rig.now < end:
        if rig.run(50)["heater"]:
            return True
    return False


def test_hot_zone_starts_off_and_heats_in_auto():
    r = Rig("hlt", pv=20.0)
    eq(r.zone.mode, "off")
    eq(_heating(r), False, "off: no heat")
    eq(r.write("sv", 65.0), (True, None, None))
    eq(r.write("mode", "auto"), (True, None, None))
    eq(_heating(r), True, "auto below the setpoint heats")


def test_overtemp_trips_in_every_mode():
    for mode in ("off", "auto", "manual"):
        r = Rig("hlt", pv=60.0)
        r.write("sv", 85.0)
        r.write("mode", mode)
        if mode == "manual":
            r.write("manual_out", 100.0)
        r.run(1000)
        r.events()
        r.pv = 92.5  # trip at 92
        out = r.run(50)
        eq(out["heater"], False, mode + ": heater off at once")
        eq(r.events("interlock"), [("interlock", "overtemp", True, "pv 92.5 > trip 92.0")], mode)
        eq(_heating(r, 3000), False, mode + ": stays off while tripped")
        r.pv = 90.0  # below the trip, inside the hysteresis (3 K)
        eq(r.zone.reset_trips(), "overtemp stays latched until 3.0 K below the trip", mode)
        eq(_heating(r, 3000), False, mode + ": hysteresis")
        r.pv = 80.0  # cool again, and below the setpoint
        eq(_heating(r, 3000), False, mode + ": latched, nothing comes back by itself")
        eq(r.events("interlock"), [], mode + ": no clearing without a reset")
        eq(r.zone.reset_trips(), None, mode)
        eq(r.events("interlock"), [("interlock", "overtemp", False, "reset at pv 80.0")], mode)
        eq(_heating(r), mode != "off", mode + ": heat back only where the mode asks for it")


def test_overtemp_trips_in_failsafe_hold_last():
    r = Rig("fv1", pv=18.0)
    r.write("mode", "manual")
    r.write("manual_out", 100.0)  # heating belt full on
    r.zone.enter_failsafe()  # hold_last: keeps running
    eq(_heating(r), True, "hold_last keeps the outputs it had")
    r.pv = 35.5
    eq(r.run(50)["heater"], False)
    eq(r.events("interlock")[0][1], "overtemp")


def test_estop_stops_everything_and_nothing_restarts():
    r = Rig("hlt", pv=40.0)
    r.write("sv", 70.0)
    r.write("mode", "auto")
    r.write("pump", True)
    r.run(500)
    eq(r.outputs["pump"], True)
    r.events()
    r.inputs["estop"] = True  # loop opened: pressed or a cut wire
    out = r.run(50)
    eq(out, {"heater": False, "pump": False})
    eq(r.events("interlock")[0][:3], ("interlock", "estop", True))
    eq(r.zone.mode, "off")
    eq(r.write("mode", "auto")[1], "interlocked")
    eq(r.write("pump", True)[1], "interlocked")
    eq(r.write("sv", 60.0)[0], True, "a setpoint is no danger")
    r.inputs["estop"] = False
    r.run(2000)
    eq(r.outputs, {"heater": False, "pump": False}, "released: still off")
    eq(r.zone.mode, "off")
    eq(r.write("mode", "auto")[0], True, "the operator starts it again")


def test_estop_also_closes_cooling():
    r = Rig("fv1", pv=25.0)
    r.run(1000)
    eq(r.zone.out < 0.0, True, "cooling demanded")
    r.inputs["estop"] = True
    eq(r.run(50), {"glycol_valve": False, "heater": False, "cip": False, "product_valve": False})


def test_heater_needs_liquid():
    r = Rig("hlt", pv=40.0)
    r.write("sv", 70.0)
    r.write("mode", "auto")
    eq(_heating(r), True)
    r.events()
    r.inputs["level_switch"] = False
    eq(r.run(50)["heater"], False)
    eq(r.events("interlock")[0][1:3], ("low_level", True))
    eq(_heating(r), False)
    r.inputs["level_switch"] = True
    eq(_heating(r), True, "refilled")


def test_failed_sensor_blocks_heat_and_is_reported():
    r = Rig("hlt", pv=40.0)
    r.write("sv", 70.0)
    r.write("mode", "auto")
    r.run(1000)
    r.events()
    r.fault = "disconnected"
    eq(r.run(50)["heater"], False)
    eq(r.events("sensor"), [("sensor", "pv", True, "pv: disconnected")])
    eq(r.zone.bad_tags(), ["pv"])
    eq(r.zone.tag_values()["pv"], None)
    eq(_heating(r), False)
    r.fault = None
    r.run(50)
    eq(r.events("sensor")[0][2], False)
    eq(_heating(r), True)


def test_first_reading_pending_is_not_a_fault():
    r = Rig("fv1")
    r.zone.sense({"pv": (None, None)}, {})
    eq(r.events(), [])
    eq(r.zone.bad_tags(), [])


def test_writes_are_checked_against_the_plc_limits():
    r = Rig("fv1")
    eq(r.write("sv", 31.0)[1], "out_of_range")
    eq(r.write("sv", -2.5)[1], "out_of_range")
    eq(r.write("sv", "18")[1], "bad_type")
    eq(r.write("sv", True)[1], "bad_type")
    eq(r.write("pv", 10.0)[1], "read_only")
    eq(r.write("out", 10.0)[1], "read_only")
    eq(r.write("glycol_valve", True)[1], "read_only", "the loop drives the valve")
    eq(r.write("estop", False)[1], "read_only")
    eq(r.write("nothing", 1)[1], "unknown_tag")
    eq(r.write("mode", "turbo")[1], "out_of_range")
    eq(r.write("mode", 1)[1], "bad_type")
    eq(r.write("manual_out", -101)[1], "out_of_range")
    eq(r.zone.sv, 18.0, "nothing changed")
    eq(r.write("sv", 12)[0], True)
    eq(r.zone.sv, 12.0)


def test_bumpless_transfer_both_ways():
    r = Rig("fv1", pv=18.5)
    r.write("sv", 18.0)
    r.run(3000)
    out_auto = r.zone.out
    eq(out_auto < 0.0, True, "cooling")
    r.write("mode", "manual")
    approx(r.zone.manual_out, out_auto, 1e-3, "auto -> manual keeps the output")
    r.write("manual_out", -40.0)
    r.run(2000)
    approx(r.zone.out, -40.0, 1e-3)
    r.write("mode", "auto")
    r.run(1000)
    approx(r.zone.out, -40.0, 0.5, "manual -> auto starts from the manual output")


def test_off_policy_failsafe_stops_the_zone():
    r = Rig("hlt", pv=50.0)
    r.write("sv", 70.0)
    r.write("mode", "auto")
    r.write("pump", True)
    r.run(500)
    r.zone.enter_failsafe()
    eq(r.run(50), {"heater": False, "pump": False})
    eq(r.zone.mode, "off")


def test_hold_last_failsafe_keeps_regulating():
    r = Rig("fv1", pv=22.0)
    r.run(1000)
    before = r.zone.out
    r.zone.enter_failsafe()
    r.run(1000)
    eq(r.zone.mode, "auto")
    eq(r.zone.out < 0.0 and before < 0.0, True, "still cooling")


def test_tele_view():
    r = Rig("hlt", pv=20.0)
    r.run(100)
    tags = r.zone.tag_values()
    eq(sorted(tags), ["estop", "heater", "level_switch", "manual_out", "mode", "out", "pump", "pv", "sv"])
    before = r.zone.discrete_state()
    r.write("pump", True)
    eq(r.zone.discrete_state() != before, True, "a switch change is worth a tele at once")
