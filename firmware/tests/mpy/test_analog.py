# The analog level input: microvolts at the ADC pin -> loop mA -> % level, the average of N reads,
# NAMUR NE 43 faults, the config checks, the zone's tag and its heater interlock, and the ESP32-S3
# hardware layer against a stand-in ADC (tests/mpy/board_fakes/machine.py).
import json
import sys

from mptest import approx, eq, f32, raises
from plc import analog, config, protocol
from plc.analog import AnalogInput
from plc.config import ConfigError
from plc.zone import Zone

sys.path.insert(0, "/tests/board_fakes")

import machine  # noqa: E402  (the fake)
from plc import hal_esp32  # noqa: E402

# what sim-bundle's ZoneProfile.tags() declares for the hot zones' level
SIM_LEVEL = {"name": "level", "kind": "analog", "unit": "%", "min": 0, "max": 100, "rw": False}


def _raw(zone):
    with open("/zones/%s/config.json" % zone) as f:
        return json.loads(f.read())


def _cfg(zone="kettle", change=None):
    raw = _raw(zone)
    if change is not None:
        change(raw)
    return config.parse(json.dumps(raw))


def _spec(**changes):
    spec = dict(_cfg()["analog"]["level"])
    spec.update(changes)
    return spec


def _uv(ma, shunt=120.0):
    return ma * shunt * 1000.0


def _pass(inp, ma, n=None):
    inp.update([_uv(ma)] * (n or inp.samples))


# ---- conversion ------------------------------------------------------------------------------

def test_microvolts_to_milliamps_to_percent():
    spec = _spec()
    eq((spec["shunt_ohm"], spec["atten_db"], spec["cal"]), (120.0, 11, [[4.0, 0], [20.0, 100]]))
    approx(analog.signal_of(480000, spec), 4.0, 1e-9, "4 mA x 120 ohm = 0.48 V")
    approx(analog.signal_of(2400000, spec), 20.0, 1e-9)
    for ma, pct in ((4.0, 0.0), (8.0, 25.0), (12.0, 50.0), (16.8, 80.0), (20.0, 100.0)):
        approx(analog.scale(ma, spec["cal"], 0, 100), pct, 1e-6, "%s mA" % ma)
        approx(analog.uv_of(analog.unscale(pct, spec["cal"]), spec), _uv(ma), 1e-3, "inverse")


def test_ne43_band_edges_clamp_to_the_range():
    spec = _spec()
    eq(analog.scale(3.7, spec["cal"], 0, 100), 0, "3.6..4 mA: under-range, reads 0 %")
    eq(analog.scale(20.8, spec["cal"], 0, 100), 100, "20..21 mA: over-range, reads 100 %")


def test_a_dished_bottom_is_calibrated_piecewise():
    cal = [[4.0, 0], [5.6, 5], [20.0, 100]]  # the dish holds 5 % over the first 1.6 mA
    approx(analog.scale(4.8, cal, 0, 100), 2.5, 1e-6)
    approx(analog.scale(5.6, cal, 0, 100), 5.0, 1e-6)
    approx(analog.scale(12.8, cal, 0, 100), 52.5, 1e-6)
    approx(analog.unscale(52.5, cal), 12.8, 1e-6)


def test_voltage_transmitter_through_a_divider():
    spec = _cfg(change=lambda r: r["analog"]["level"].update(
        {"signal": "voltage", "divider": 4.3, "cal": [[0.0, 0], [10.0, 100]]}))["analog"]["level"]
    approx(analog.signal_of(1162791, spec), 5.0, 1e-4, "10 V / 4.3 = 2.33 V full scale")
    eq((spec["fault_low"], spec["fault_high"]), (None, None), "0-10 V has no live zero to watch")
    live = _cfg(change=lambda r: r["analog"]["level"].update(
        {"signal": "voltage", "divider": 4.3, "cal": [[2.0, 0], [10.0, 100]], "fault_low": 1.8,
         "fault_high": 10.5}))["analog"]["level"]
    eq(analog.fault_of(1.0, live), "signal_low", "2-10 V: a broken wire reads 0 V")
    eq(analog.fault_of(10.6, live), "signal_high")
    eq(analog.fault_of(6.0, live), None)


def test_in_single_precision():
    # the ESP32-S3 computes in float32
    spec = _spec()
    for ma in (4.0, 9.6, 12.0, 19.9):
        pct = analog.scale(f32(analog.signal_of(f32(_uv(ma)), spec)), spec["cal"], 0, 100)
        approx(f32(pct), (ma - 4.0) * 6.25, 0.001, "%s mA" % ma)


# ---- NE 43 faults ----------------------------------------------------------------------------

def test_ne43_limits():
    spec = _spec()
    for ma, code in ((0.0, "ne43_low"), (3.0, "ne43_low"), (3.6, "ne43_low"), (3.61, None), (3.8, None),
                     (12.0, None), (20.5, None), (20.99, None), (21.0, "ne43_high"), (24.0, "ne43_high")):
        eq(analog.fault_of(analog.signal_of(_uv(ma), spec), spec), code, "%s mA" % ma)


def test_a_shorted_loop_saturates_the_adc_above_21_ma():
    # 3.1 V full scale at 11 dB / 120 ohm = 25.8 mA: a clipped read is still a high fault
    spec = _spec()
    eq(analog.fault_of(analog.signal_of(3100000, spec), spec), "ne43_high")


# ---- filter ------------------------------------------------------------------------------------

def test_average_of_the_reads_and_of_the_last_passes():
    inp = AnalogInput(_spec(samples=4, average=3))
    eq((inp.value, inp.fault), (None, None), "not read yet")
    inp.update([_uv(11.9), _uv(12.1), _uv(11.8), _uv(12.2)])
    approx(inp.value, 50.0, 1e-4, "mean of one pass's reads")
    _pass(inp, 13.6)
    approx(inp.value, 55.0, 1e-4, "(12 + 13.6) / 2 mA")
    _pass(inp, 15.2)
    _pass(inp, 16.8)
    approx(inp.value, 70.0, 1e-4, "the first pass left the window of 3")


def test_a_wire_break_goes_bad_after_fault_passes_holding_the_value_meanwhile():
    inp = AnalogInput(_spec(fault_passes=3))
    _pass(inp, 12.0)
    _pass(inp, 0.0)
    eq((inp.value is not None, inp.fault), (True, None), "one bad pass: last value held")
    approx(inp.value, 50.0, 1e-4, "the bad read is not averaged in")
    _pass(inp, 0.0)
    eq(inp.fault, None)
    _pass(inp, 0.0)
    eq((inp.value, inp.fault), (None, "ne43_low"), "three in a row: BAD, no plausible number")
    _pass(inp, 25.0)
    eq(inp.fault, "ne43_high", "now shorted: the code follows")
    _pass(inp, 16.0)
    _pass(inp, 16.0)
    eq((inp.value, inp.fault), (None, "ne43_high"), "two good passes are not enough")
    _pass(inp, 0.0)
    _pass(inp, 16.0)
    _pass(inp, 16.0)
    eq(inp.fault, "ne43_low", "the good run starts again after a bad pass")
    _pass(inp, 16.0)
    eq(inp.fault, None)
    approx(inp.value, 75.0, 1e-4, "a fresh average: nothing from before the fault")


def test_a_loose_terminal_is_a_fault_not_a_wrong_level():
    inp = AnalogInput(_spec(samples=4, fault_passes=2))
    for _ in range(3):
        inp.update([_uv(12.0), 0.0, _uv(12.0), _uv(12.0)])  # mean 9 mA would read 31 %
    eq((inp.value, inp.fault), (None, "ne43_low"))


def test_adc_errors():
    inp = AnalogInput(_spec(fault_passes=1))
    inp.update(None)
    eq((inp.value, inp.fault), (None, "adc_error"))


# ---- config ------------------------------------------------------------------------------------

def _refused(change, zone="kettle"):
    return str(raises(ConfigError, _cfg, zone, change))


def _level(**fields):
    def change(raw):
        raw["analog"]["level"].update(fields)
    return change


def test_config_defaults():
    cfg = config.parse('{"zone":"k2","type":"kettle","sensors":{"pv":{"type":"ds18b20","pin":4}},'
                       '"omit_tags":["inlet_valve"],"analog":{"level":{"pin":2,"shunt_ohm":120}}}')
    a = cfg["analog"]["level"]
    eq((a["signal"], a["atten_db"], a["cal"], a["unit"], a["min"], a["max"]),
       ("4-20mA", 11, [[4.0, 0], [20.0, 100]], "%", 0, 100))
    eq((a["samples"], a["average"], a["fault_passes"], a["fault_low"], a["fault_high"]), (4, 10, 3, 3.6, 21.0))


def test_config_errors_name_the_field():
    for change, words in (
            (_level(pin=14), "ADC1 pin"),
            (_level(pin="1"), "analog.level.pin must be int"),
            (_level(signal="0-20mA"), "analog.level.signal"),
            (_level(atten_db=12), "atten_db"),
            (_level(shunt_ohm=0), "shunt_ohm must be positive"),
            (_level(shunt_ohm=None), "analog.level.shunt_ohm must be num"),
            (_level(shunt_ohm=250.0), "use a smaller shunt"),                # 21 mA = 5.25 V
            (_level(shunt_ohm=120.0, atten_db=6), "beyond the ADC"),         # 2.52 V > 1.75 V
            (_level(shunt_ohm=5.0), "shunt_ohm too small"),
            (_level(cal=[[4.0, 0]]), "at least two"),
            (_level(cal=[[20.0, 100], [4.0, 0]]), "signals must rise"),
            (_level(cal=[[4.0, 0], ["20", 100]]), "[signal, value]"),
            (_level(cal=[[0.0, 0], [20.0, 100]]), "NE 43"),
            (_level(min=100, max=0), "min must be below max"),
            (_level(samples=0), "samples must be 1..64"),
            (_level(average=1.5), "average must be int"),
            (_level(fault_passes=0), "fault_passes"),
            (_level(signal="voltage", divider=1.0, cal=[[0.0, 0], [10.0, 100]]), "a larger divider"),
            (_level(signal="voltage", divider=0.5), "divider must be >= 1"),
            (_level(unit="mm"), "must read % from 0 to 100"),
            (_level(max=120), "must read % from 0 to 100")):
        msg = _refused(change)
        eq(words in msg, True, msg)


def test_pins_and_names_do_not_clash():
    eq("GPIO 5 is already outputs.heater" in _refused(_level(pin=5)), True)

    def on_the_switch(raw):
        raw["inputs"]["level_switch"]["pin"] = 1
    eq("GPIO 1 is already inputs.level_switch" in _refused(on_the_switch), True)

    def on_the_bus(raw):
        raw["analog"]["level"]["pin"] = 10  # the MAX31865's chip select
    eq("GPIO 10 is already sensors.pv" in _refused(on_the_bus), True)

    def named_pv(raw):
        raw["analog"]["pv"] = raw["analog"]["level"]
    eq("analog.pv: the name is already a tag" in _refused(named_pv), True)


def test_the_kettle_needs_its_level_or_omits_it_on_purpose():
    def drop(raw):
        del raw["analog"]["level"]
        del raw["interlocks"]["heater_min_level"]
    msg = _refused(drop)
    eq(("analog.level" in msg, "omit_tags" in msg), (True, True), msg)

    def omitted(raw):
        drop(raw)
        raw["omit_tags"] = ["level"]
    eq("level" in [t["name"] for t in config.tag_defs(_cfg("kettle", omitted))], False)

    def mash_without(raw):
        del raw["analog"]["level"]
        del raw["interlocks"]["heater_min_level"]
    eq(_cfg("mash", mash_without)["analog"], {}, "no plant rule reads the mash level: optional")


def test_heater_min_level_config():
    def unknown(raw):
        raw["interlocks"]["heater_min_level"]["tag"] = "pv"
    eq("heater_min_level.tag must name an analog input" in _refused(unknown), True)

    def analog_only(raw):
        del raw["interlocks"]["heater_needs"]
    eq("heater_needs (the float switch) as well" in _refused(analog_only), True)

    def outside(raw):
        raw["interlocks"]["heater_min_level"]["min"] = 100
    eq("min must lie within" in _refused(outside), True)

    def no_min(raw):
        del raw["interlocks"]["heater_min_level"]["min"]
    eq("heater_min_level.min must be num" in _refused(no_min), True)


def test_birth_declares_level_like_the_simulator():
    for zone in ("kettle", "mash"):
        cfg = _cfg(zone)
        tags = config.tag_defs(cfg)
        eq([t for t in tags if t["name"] == "level"], [SIM_LEVEL], zone)
        birth = json.loads(protocol.birth(zone, cfg["type"], "1", "esp32-s3", 1, "off", 1000, tags))
        eq(protocol.check("birth", birth, zone), None)


# ---- the zone: tag, quality, heater ------------------------------------------------------------

class Rig:
    def __init__(self, zone="kettle"):
        self.cfg = _cfg(zone)
        self.zone = Zone(self.cfg, 0)
        self.now = 0
        self.level = (60.0, None)
        self.wet = True
        self.events = []

    def run(self, ms=50):
        out = None
        for _ in range(ms // 50):
            self.now += 50
            self.zone.sense({"pv": (60.0, None)}, {"estop": False, "level_switch": self.wet},
                            {"level": self.level})
            out = dict(self.zone.control(self.now))
            self.events += self.zone.take_events()
        return out


def test_level_is_reported_read_only_and_bad_on_a_fault():
    r = Rig()
    r.run()
    eq((r.zone.tag_values()["level"], r.zone.bad_tags()), (60.0, []))
    eq(r.zone.write("level", 50.0)[:2], (False, "read_only"))
    r.level = (None, "ne43_low")
    r.run()
    eq((r.zone.tag_values()["level"], r.zone.bad_tags()), (None, ["level"]))
    eq(r.events[-2:], [("sensor", "level", True, "level: ne43_low"),
                       ("interlock", "min_level", True, "level has no good reading: heater needs level >= 20.0")])
    tele = json.loads(protocol.tele(1, 1, 1, r.zone.tag_values(), r.zone.bad_tags()))
    eq((tele["tags"]["level"], tele["bad"]), (None, ["level"]))
    r.level = (61.0, None)
    r.run()
    eq((r.zone.tag_values()["level"], r.zone.bad_tags()), (61.0, []))
    eq(r.events[-1][:3], ("interlock", "min_level", False))


def test_heater_needs_the_level_above_its_minimum_and_the_float_switch():
    r = Rig()
    r.zone.write("mode", "manual")
    r.zone.write("manual_out", 100.0)
    eq(r.run(100)["heater"], True)
    r.level = (19.5, None)
    eq(r.run(100)["heater"], False, "below 20 %")
    eq(r.events[-1][:3], ("interlock", "min_level", True))
    r.level = (21.0, None)
    eq(r.run(100)["heater"], False, "hysteresis: 22 % to clear")
    r.level = (22.5, None)
    eq(r.run(2100)["heater"], True, "on again from the next time-proportioning cycle")
    r.level = (None, "ne43_high")
    eq(r.run(100)["heater"], False, "a faulty transmitter is no proof of liquid")
    r.level = (80.0, None)
    r.wet = False
    eq(r.run(100)["heater"], False, "the float switch still rules when the transmitter says full")
    eq("low_level" in r.zone.interlocks.active, True)
    r.wet = True
    eq(r.run(2100)["heater"], True)


def test_before_the_first_reading_the_heater_waits():
    r = Rig()
    r.zone.write("mode", "manual")
    r.zone.write("manual_out", 100.0)
    r.level = (None, None)
    eq(r.run(100)["heater"], False)
    eq(r.zone.bad_tags(), [], "not read yet is not a fault")


# ---- the ESP32-S3 hardware layer ---------------------------------------------------------------

def test_hal_reads_the_adc_on_its_pin():
    machine.pins.clear()
    machine.ADC.error.clear()
    machine.ADC.uv[1] = _uv(12.0)
    hw = hal_esp32.Esp32Hardware(_cfg())
    adc = hw.adcs["level"][0]
    eq((adc.pin.id, adc.atten, adc.pin.pull), (1, machine.ADC.ATTN_11DB, -1), "GPIO 1, 11 dB, no pull")
    value, fault = hw.read_analog(0)["level"]
    approx(value, 50.0, 1e-3)
    eq((fault, adc.reads), (None, 4), "4 reads a pass")
    machine.ADC.uv[1] = 0  # wire break
    for now in (50, 100):
        approx(hw.read_analog(now)["level"][0], 50.0, 1e-3, "held")
    eq(hw.read_analog(150)["level"], (None, "ne43_low"))
    machine.ADC.uv[1] = 5000000  # shorted: the converter clips at 3.1 V = 25.8 mA
    eq(hw.read_analog(200)["level"], (None, "ne43_high"))
    machine.ADC.error[1] = OSError("adc")
    eq(hw.read_analog(250)["level"], (None, "adc_error"))
    machine.ADC.error.clear()
    machine.ADC.uv[1] = _uv(16.0)
    for now in (300, 350, 400):
        last = hw.read_analog(now)["level"]
    eq(last[1], None)
    approx(last[0], 75.0, 1e-3)
    eq(1 in [pin.id for pin, high in hw.outputs.values()], False, "an input, never driven")
