# The tags the plant-wide interlocks of the demo plant read or force (bundles/settings DemoPlant),
# declared by the firmware as the simulator declares them (sim-bundle ZoneProfile): the kettle's
# inlet_valve, a fermenter's cip and product_valve, the glycol and mash pumps (writable on/off
# outputs) and the HLT's level_switch (a read-only input). Their fail-safe state is off.
import json

import fakes
from mptest import eq, raises
from plc import config, protocol
from plc.app import App
from plc.config import ConfigError
from plc.zone import Zone

# zone -> {tag: rw}, as sim-bundle's ZoneProfile.tags() declares them (all kind bool, no unit)
SIMULATOR = {
    "hlt": {"level_switch": False},
    "mash": {"pump": True},
    "kettle": {"inlet_valve": True},
    "fv1": {"cip": True, "product_valve": True},
    "fv2": {"cip": True, "product_valve": True},
    "glycol": {"pump": True},
}


def _raw(zone):
    with open("/zones/%s/config.json" % zone) as f:
        return json.loads(f.read())


def _cfg(zone, change=None):
    raw = _raw(zone)
    if change is not None:
        change(raw)
    return config.parse(json.dumps(raw))


def test_birth_declares_the_interlock_tags_like_the_simulator():
    for zone in SIMULATOR:
        cfg = _cfg(zone)
        defs = {}
        for t in config.tag_defs(cfg):
            defs[t["name"]] = t
        birth = json.loads(protocol.birth(zone, cfg["type"], "1", "esp32-s3", 1, cfg["failsafe"], 1000,
                                          config.tag_defs(cfg)))
        eq(protocol.check("birth", birth, zone), None, zone)
        for name in SIMULATOR[zone]:
            eq(defs.get(name), {"name": name, "kind": "bool", "rw": SIMULATOR[zone][name]}, zone + "." + name)


def test_each_type_must_declare_them_or_omit_them_on_purpose():
    def drop(section, name):
        def change(raw):
            del raw[section][name]
            if raw["interlocks"].get("heater_needs") == name:
                del raw["interlocks"]["heater_needs"]
        return change
    for zone, section, name in (("kettle", "outputs", "inlet_valve"), ("fv1", "outputs", "cip"),
                                ("fv1", "outputs", "product_valve"), ("glycol", "outputs", "pump"),
                                ("mash", "outputs", "pump"), ("hlt", "inputs", "level_switch")):
        msg = str(raises(ConfigError, _cfg, zone, drop(section, name)))
        eq(("%s.%s" % (section, name) in msg, "omit_tags" in msg), (True, True), msg)

        def omitted(raw):
            drop(section, name)(raw)
            raw["omit_tags"] = [name]
        eq(name in [t["name"] for t in config.tag_defs(_cfg(zone, omitted))], False)


def test_their_kind_and_safe_state_are_checked():
    def as_heater(raw):
        raw["outputs"]["inlet_valve"]["role"] = "heat"
    eq("role switch" in str(raises(ConfigError, _cfg, "kettle", as_heater)), True)

    def as_digital(raw):
        raw["inputs"]["level_switch"]["kind"] = "digital"
    eq("kind level" in str(raises(ConfigError, _cfg, "hlt", as_digital)), True)

    def held(raw):
        raw["outputs"]["product_valve"]["failsafe"] = "hold"
    eq("safe state is off" in str(raises(ConfigError, _cfg, "fv1", held)), True)

    def odd(raw):
        raw["outputs"]["cip"]["failsafe"] = "open"
    eq("outputs.cip.failsafe" in str(raises(ConfigError, _cfg, "fv1", odd)), True)

    def same_pin(raw):
        raw["outputs"]["product_valve"]["pin"] = 8
    eq("GPIO 8 is already outputs." in str(raises(ConfigError, _cfg, "fv1", same_pin)), True)

    def on_the_bus(raw):
        raw["outputs"]["inlet_valve"]["pin"] = 12
    eq("GPIO 12 is already sensors.pv" in str(raises(ConfigError, _cfg, "kettle", on_the_bus)), True)


class Rig:
    def __init__(self, zone, change=None):
        self.cfg = _cfg(zone, change)
        self.zone = Zone(self.cfg, 0)
        self.now = 0
        self.inputs = {}
        for name in self.cfg["inputs"]:
            self.inputs[name] = self.cfg["inputs"][name]["kind"] == "level"

    def run(self, ms=50):
        out = None
        for _ in range(ms // 50):
            self.now += 50
            self.zone.sense({"pv": (20.0, None)}, self.inputs)
            out = dict(self.zone.control(self.now))
        return out


def test_writes_follow_the_rules_of_the_other_outputs():
    for zone in ("kettle", "fv1", "glycol", "mash"):
        r = Rig(zone)
        for name in SIMULATOR[zone]:
            eq(r.run()[name], False, "%s.%s starts off (closed, stopped)" % (zone, name))
            for bad in (1, "true", None, 0.0):
                eq(r.zone.write(name, bad)[:2], (False, "bad_type"), "%s.%s = %r" % (zone, name, bad))
            eq(r.zone.write(name, True), (True, None, None))
            eq(r.run()[name], True, "driven")
            eq(r.zone.write(name, False), (True, None, None))
            eq(r.run()[name], False)
    r = Rig("hlt")
    eq(r.zone.write("level_switch", True)[:2], (False, "read_only"))
    r.inputs["level_switch"] = False
    r.run()
    eq(r.zone.tag_values()["level_switch"], False, "reports the input")


def test_estop_closes_them_and_refuses_opening():
    r = Rig("fv1")
    r.zone.write("cip", True)
    r.zone.write("product_valve", True)
    r.inputs["estop"] = True
    out = r.run()
    eq((out["cip"], out["product_valve"]), (False, False))
    eq(r.zone.write("product_valve", True)[:2], (False, "interlocked"))
    eq(r.zone.write("product_valve", False)[0], True, "closing is always allowed")


def test_failsafe_closes_valves_and_stops_pumps_on_both_policies():
    for zone in ("kettle", "fv1", "glycol", "mash"):
        r = Rig(zone)
        if zone in ("kettle", "mash"):
            r.zone.write("mode", "auto")
        for name in SIMULATOR[zone]:
            r.zone.write(name, True)
        mode = r.zone.mode
        r.run()
        r.zone.enter_failsafe()
        out = r.run()
        for name in SIMULATOR[zone]:
            eq(out[name], False, "%s.%s off in fail-safe" % (zone, name))
        eq(r.zone.mode, "off" if r.cfg["failsafe"] == "off" else mode, zone + " mode")


def test_hold_last_keeps_regulating_and_a_held_switch_keeps_its_state():
    def agitator(raw):
        raw["outputs"]["agitator"] = {"pin": 14, "role": "switch", "failsafe": "hold"}
    r = Rig("glycol", agitator)
    r.zone.write("agitator", True)
    r.zone.write("pump", True)
    r.run()
    r.zone.enter_failsafe()
    out = r.run(1000)
    eq((out["agitator"], out["pump"], r.zone.mode), (True, False, "auto"))


def test_the_plc_enters_the_safe_state_by_itself_when_the_broker_goes():
    with open("/zones/fv1/config.json") as f:
        cfg = config.parse(f.read())
    broker = fakes.Broker()
    hw = fakes.Hardware(cfg)
    clock = fakes.Clock()
    app = App(cfg, hw, broker.factory, clock=clock, sleep_ms=clock.sleep_ms, log=lambda s: None, boot_id=7)

    def run(ms):
        end = clock.now + ms
        app.run(lambda: clock.now >= end)

    def heartbeat():
        broker.deliver("brewpi/v1/scada/heartbeat", {"v": 1, "seq": 1, "t": 1})

    heartbeat()
    run(200)
    broker.deliver("brewpi/v1/fv1/cmd", {"v": 1, "id": "o-1", "op": "write", "tag": "product_valve", "value": True})
    broker.deliver("brewpi/v1/fv1/cmd", {"v": 1, "id": "o-2", "op": "write", "tag": "cip", "value": "on"})
    run(200)
    acks = broker.messages("/ack")
    eq([(a["id"], a["ok"], a.get("err")) for a in acks], [("o-1", True, None), ("o-2", False, "bad_type")])
    eq(hw.outputs["product_valve"], True)
    broker.up = False  # the Wi-Fi or the broker is gone
    run(200)
    eq((app.fs.in_failsafe, hw.outputs["product_valve"], hw.outputs["cip"]), (True, False, False))
    broker.up = True
    run(3000)
    broker.deliver("brewpi/v1/fv1/cmd", {"v": 1, "id": "o-3", "op": "write", "tag": "product_valve", "value": True})
    run(200)
    eq(broker.messages("/ack")[-1]["err"], "failsafe", "refused until the zone is online again")
    eq(hw.outputs["product_valve"], False)
