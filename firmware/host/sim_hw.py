# A simulated hardware layer for running the firmware on the host: the same methods as
# plc.hal_esp32.Esp32Hardware, over a lumped thermal model of the vessel. Tests reach into it to
# open the E-stop loop, drain the level switch, break a sensor or overheat the vessel.
import time

from plc import analog
from plc.analog import AnalogInput
from plc.ticks import ticks_diff

WATER_J_PER_KG_K = 4186.0

# Per zone type: kg of liquid, heater W, cooling W per K above the coolant, coolant degC,
# heat loss W/K to ambient, process heat W (fermentation, the fermenters' load on the chiller).
PRESETS = {
    "hlt": dict(mass=100.0, heater_w=5500.0, cool_w_per_k=0.0, coolant_c=0.0, loss_w_per_k=8.0, process_w=0.0),
    "mash": dict(mass=60.0, heater_w=3000.0, cool_w_per_k=0.0, coolant_c=0.0, loss_w_per_k=6.0, process_w=0.0),
    "kettle": dict(mass=80.0, heater_w=5500.0, cool_w_per_k=0.0, coolant_c=0.0, loss_w_per_k=10.0, process_w=0.0),
    "cip": dict(mass=50.0, heater_w=3000.0, cool_w_per_k=0.0, coolant_c=0.0, loss_w_per_k=6.0, process_w=0.0),
    "fermenter": dict(mass=50.0, heater_w=150.0, cool_w_per_k=60.0, coolant_c=-2.0, loss_w_per_k=4.0, process_w=40.0),
    "brite": dict(mass=50.0, heater_w=0.0, cool_w_per_k=60.0, coolant_c=-2.0, loss_w_per_k=4.0, process_w=0.0),
    "glycol": dict(mass=150.0, heater_w=0.0, cool_w_per_k=0.0, coolant_c=0.0, loss_w_per_k=10.0, process_w=300.0,
                   compressor_w=2500.0),
    "generic": dict(mass=50.0, heater_w=2000.0, cool_w_per_k=40.0, coolant_c=0.0, loss_w_per_k=5.0, process_w=0.0),
}


class ThermalModel:
    def __init__(self, mass, heater_w, cool_w_per_k, coolant_c, loss_w_per_k, process_w,
                 ambient_c=20.0, t0=None, compressor_w=0.0, boil_c=None):
        self.capacity = mass * WATER_J_PER_KG_K
        self.heater_w = heater_w
        self.cool_w_per_k = cool_w_per_k
        self.coolant_c = coolant_c
        self.compressor_w = compressor_w
        self.loss_w_per_k = loss_w_per_k
        self.process_w = process_w
        self.ambient_c = ambient_c
        self.boil_c = boil_c
        self.t = ambient_c if t0 is None else t0

    def step(self, dt_s, heating, cooling):
        q = self.process_w - self.loss_w_per_k * (self.t - self.ambient_c)
        if heating:
            q += self.heater_w
        if cooling:
            q -= self.compressor_w or self.cool_w_per_k * max(0.0, self.t - self.coolant_c)
        self.t += q * dt_s / self.capacity
        if self.boil_c is not None and self.t > self.boil_c:
            self.t = self.boil_c  # the rest of the energy boils water off


class SimHardware:
    def __init__(self, cfg, clock, time_scale=1.0, ambient_c=20.0, t0=None):
        self.cfg = cfg
        self.clock = clock
        self.time_scale = time_scale
        preset = dict(PRESETS[cfg["type"]])
        boil = 100.0 if cfg["type"] in ("hlt", "mash", "kettle", "cip") else None
        self.model = ThermalModel(ambient_c=ambient_c, t0=t0, boil_c=boil, **preset)
        self.roles = {}
        for name in cfg["outputs"]:
            self.roles[name] = cfg["outputs"][name]["role"]
        self.outputs = {name: False for name in cfg["outputs"]}
        self.on_ms = {name: 0 for name in cfg["outputs"]}   # accumulated on-time (sim time)
        self.switches = {name: 0 for name in cfg["outputs"]}  # number of off->on edges
        self.inputs = {}
        for name in cfg["inputs"]:
            kind = cfg["inputs"][name]["kind"]
            self.inputs[name] = kind == "level"  # E-stop loop closed, vessel full
        self.sensor_faults = {}  # sensor -> fault code the next reads report
        # Analog inputs at the ADC: the vessel's level in the input's units (% by default), turned
        # into the microvolts the pin would see and read through the firmware's own conversion.
        # A test forces the loop instead with `signals` (mA or V; 0.0 = a broken wire).
        self.levels = {}
        self.signals = {}
        self.analog = {}
        for name in cfg.get("analog") or {}:
            spec = cfg["analog"][name]
            self.levels[name] = spec["min"] + 0.7 * (spec["max"] - spec["min"])
            self.analog[name] = AnalogInput(spec)
        self.colour = None
        self.last = clock()

    # ---- what the firmware calls ---------------------------------------------------------------

    def read_temperatures(self, now):
        self._advance(now)
        out = {}
        for name in self.cfg["sensors"]:
            fault = self.sensor_faults.get(name)
            if fault:
                out[name] = (None, fault)
                continue
            t = self.model.t
            if self.cfg["sensors"][name]["type"] == "ds18b20":
                t = round(t * 16.0) / 16.0  # 0.0625 K steps
            out[name] = (t, None)
        return out

    def read_inputs(self):
        return dict(self.inputs)

    def read_analog(self, now):
        out = {}
        for name in self.analog:
            inp = self.analog[name]
            spec = inp.spec
            signal = self.signals.get(name)
            if signal is None:
                signal = analog.unscale(self.levels[name], spec["cal"])
            full_uv = analog.full_scale_mv(spec["atten_db"]) * 1000.0
            uv = max(0.0, min(analog.uv_of(signal, spec), full_uv))  # the ADC clips at full scale
            inp.update([uv] * inp.samples)
            out[name] = (inp.value, inp.fault)
        return out

    def set_outputs(self, states):
        for name in states:
            on = bool(states[name])
            if on and not self.outputs[name]:
                self.switches[name] += 1
            self.outputs[name] = on

    def all_off(self):
        for name in self.outputs:
            self.outputs[name] = False

    def led(self, colour):
        self.colour = colour

    def epoch_ms(self):
        return int(time.time() * 1000)

    def reset_cause(self):
        return "power_on"

    # ---- the physics ---------------------------------------------------------------------------

    def _advance(self, now):
        dt_ms = ticks_diff(now, self.last)
        self.last = now
        if dt_ms <= 0:
            return
        heating = any(self.outputs[n] for n in self.outputs if self.roles[n] == "heat")
        cooling = any(self.outputs[n] for n in self.outputs if self.roles[n] == "cool")
        for name in self.outputs:
            if self.outputs[name]:
                self.on_ms[name] += dt_ms * self.time_scale
        self.model.step(dt_ms / 1000.0 * self.time_scale, heating, cooling)

    @property
    def temperature(self):
        return self.model.t

    def set_temperature(self, t):
        self.model.t = t
