# One zone's control logic: readings in, output states out. No MQTT and no pins here: the app
# feeds readings from the hardware layer and commands from the link, and applies the outputs.
from plc.interlocks import Interlocks
from plc.pid import PID, clamp
from plc.protocol import is_num
from plc.ticks import ticks_diff
from plc.tpo import TimeProportioning

MODES = ("off", "auto", "manual")


class Zone:
    def __init__(self, cfg, now):
        self.cfg = cfg
        c = cfg["control"]
        self.sensor = c["sensor"]
        self.sv = float(c["sv"])
        self.sv_min = float(c["sv_min"])
        self.sv_max = float(c["sv_max"])
        self.out_min = float(c["out_min"])
        self.out_max = float(c["out_max"])
        self.period_ms = cfg["period_ms"]
        self.policy = cfg["failsafe"]
        self.pid = PID(c["kp"], c["ki"], c["kd"], self.out_min, self.out_max)
        self.interlocks = Interlocks(cfg)
        self.mode = cfg["start_mode"]
        self.manual_out = 0.0
        self.out = 0.0  # what the loop drives, % (negative = cooling)
        self.temps = {}
        self.faults = {}  # sensor -> fault code, for the sensors that have one
        for name in cfg["sensors"]:
            self.temps[name] = None
        self.levels = {}  # analog inputs (a level transmitter): value or None
        for name in cfg["analog"]:
            self.levels[name] = None
        self.inputs = {}
        for name in cfg["inputs"]:
            self.inputs[name] = False
        self.switches = {}
        self.tpo = {}
        outputs = cfg["outputs"]
        for name in outputs:
            o = outputs[name]
            if o["role"] == "switch":
                self.switches[name] = False
            else:
                self.tpo[name] = TimeProportioning(o["cycle_ms"], o["min_pulse_ms"])
        self.outputs = {}
        for name in outputs:
            self.outputs[name] = False
        self.last_pid = None
        self.events = []  # (kind, code, active, msg) waiting to be published

    # ---- readings ------------------------------------------------------------------------------

    def sense(self, temps, inputs, analog=None):
        """temps: {sensor: (degC or None, fault code or None)}, (None, None) before the first
        reading; inputs: {name: bool}; analog: {input: (value or None, fault code or None)} like
        temps, None when not read this pass."""
        for name in self.temps:
            self._reading(self.temps, name, temps.get(name, (None, "no_reading")))
        if analog is not None:
            for name in self.levels:
                self._reading(self.levels, name, analog.get(name, (None, "no_reading")))
        for name in inputs:
            if name in self.inputs:
                self.inputs[name] = bool(inputs[name])
        for code, active, msg in self.interlocks.evaluate(self.temps, self.inputs, self.levels):
            self.events.append(("interlock", code, active, msg))
            if code == "estop" and active:
                # Releasing the E-stop must not restart anything: the operator starts it again.
                self._all_stopped()

    def _reading(self, store, name, reading):
        value, fault = reading
        if value is None and fault is None:
            store[name] = None  # first conversion still running: not a fault yet
            return
        old = self.faults.get(name)
        if fault != old:
            if fault is None:
                del self.faults[name]
                self.events.append(("sensor", name, False, "%s reads again" % name))
            else:
                self.faults[name] = fault
                self.events.append(("sensor", name, True, "%s: %s" % (name, fault)))
        store[name] = None if fault else value

    def _all_stopped(self):
        self._set_mode("off")
        self.manual_out = 0.0
        for name in self.switches:
            self.switches[name] = False

    @property
    def pv(self):
        return self.temps.get(self.sensor)

    # ---- control -------------------------------------------------------------------------------

    def control(self, now):
        """Runs the PID once per period and returns {output: on} for this instant."""
        if self.last_pid is None or ticks_diff(now, self.last_pid) >= self.period_ms:
            dt_ms = self.period_ms if self.last_pid is None else ticks_diff(now, self.last_pid)
            self.last_pid = now
            self._regulate(dt_ms / 1000.0)
        elif self.mode == "manual":
            self.out = clamp(self.manual_out, self.out_min, self.out_max)
        locks = self.interlocks
        if locks.heat_blocked and self.out > 0.0:
            self.out = 0.0
        heat = self.out / 100.0 if self.out > 0.0 else 0.0
        cool = -self.out / 100.0 if self.out < 0.0 else 0.0
        outputs = self.cfg["outputs"]
        for name in outputs:
            role = outputs[name]["role"]
            if role == "switch":
                on = self.switches[name]
            else:
                on = self.tpo[name].update(now, heat if role == "heat" else cool)
            if locks.all_off or (role == "heat" and locks.heat_blocked):
                on = False
            self.outputs[name] = on
        return self.outputs

    def _regulate(self, dt_s):
        pv = self.pv
        if self.mode == "off":
            self.out = 0.0
        elif self.mode == "manual":
            self.out = clamp(self.manual_out, self.out_min, self.out_max)
            if pv is not None:
                self.pid.track(self.out, self.sv, pv)
        elif pv is None:
            # Nothing to regulate on: outputs off, restart from zero when the sensor is back.
            self.out = 0.0
            self.pid.reset()
        else:
            self.out = self.pid.update(self.sv, pv, dt_s)
            if self.interlocks.heat_blocked and self.out > 0.0:
                # The heater cannot act: keep the integral from winding up meanwhile.
                self.pid.track(0.0, self.sv, pv)
                self.out = 0.0

    def _set_mode(self, mode):
        if mode == self.mode:
            return
        pv = self.pv
        if mode == "auto":
            if self.mode == "manual" and pv is not None:
                self.pid.track(self.manual_out, self.sv, pv)  # bumpless manual -> auto
            else:
                self.pid.reset()
        elif mode == "manual":
            self.manual_out = self.out if self.mode == "auto" else 0.0  # bumpless auto -> manual
            self.out = clamp(self.manual_out, self.out_min, self.out_max)
        else:
            self.out = 0.0
        self.mode = mode

    # ---- fail-safe -----------------------------------------------------------------------------

    def enter_failsafe(self):
        if self.policy == "off":
            # Hot side: heaters and pumps off, valves de-energised, at once; heat never comes back
            # by itself (after the SCADA's reset the zone is online in mode off).
            self._all_stopped()
            return
        # hold_last: keep regulating the last setpoint, but close the valves and stop the pumps
        # the SCADA switches (CIP, product valve, glycol pump): with nobody watching the plant-wide
        # interlocks, their safe state is off. They stay off until the SCADA writes them again.
        outputs = self.cfg["outputs"]
        for name in self.switches:
            if outputs[name]["failsafe"] == "off":
                self.switches[name] = False

    # ---- commands ------------------------------------------------------------------------------

    def reset_trips(self):
        """Clears the latched over-temperature trips that may be cleared; returns a note on
        those that stay, or None."""
        changes, still = self.interlocks.reset(self.temps)
        for code, active, msg in changes:
            self.events.append(("interlock", code, active, msg))
        if still:
            return "%s stays latched until %.1f K below the trip" % (", ".join(still), self.interlocks.hyst)
        return None

    def write(self, tag, value):
        """Applies a write; returns (ok, err, msg)."""
        if tag == "sv":
            if not is_num(value):
                return False, "bad_type", "sv takes a number"
            if not self.sv_min <= value <= self.sv_max:
                return False, "out_of_range", "sv %s outside %s..%s" % (value, self.sv_min, self.sv_max)
            self.sv = float(value)
        elif tag == "manual_out":
            if not is_num(value):
                return False, "bad_type", "manual_out takes a number"
            if not self.out_min <= value <= self.out_max:
                return False, "out_of_range", "manual_out %s outside %s..%s" % (
                    value, self.out_min, self.out_max)
            self.manual_out = float(value)
        elif tag == "mode":
            if type(value) is not str:
                return False, "bad_type", "mode takes a string"
            if value not in MODES:
                return False, "out_of_range", "mode must be off, auto or manual"
            if value != "off" and self.interlocks.all_off:
                return False, "interlocked", "E-stop active"
            self._set_mode(value)
        elif tag in self.switches:
            if type(value) is not bool:
                return False, "bad_type", "%s takes true or false" % tag
            if value and self.interlocks.all_off:
                return False, "interlocked", "E-stop active"
            self.switches[tag] = value
        elif (tag in self.temps or tag in self.levels or tag in self.outputs or tag in self.inputs
              or tag == "out"):
            return False, "read_only", "%s is read-only" % tag
        else:
            return False, "unknown_tag", "no tag %s" % tag
        return True, None, None

    # ---- what the zone reports -----------------------------------------------------------------

    def tag_values(self):
        tags = {}
        for name in self.temps:
            tags[name] = self.temps[name]
        for name in self.levels:
            tags[name] = self.levels[name]
        tags["sv"] = self.sv
        tags["out"] = self.out
        tags["manual_out"] = self.manual_out
        tags["mode"] = self.mode
        for name in self.outputs:
            tags[name] = self.outputs[name]
        for name in self.inputs:
            tags[name] = self.inputs[name]
        return tags

    def bad_tags(self):
        return sorted(self.faults)

    def discrete_state(self):
        """What is worth an immediate tele when it changes (not the pulsing heater/valve outputs)."""
        return (self.mode, tuple(sorted(self.switches.items())), tuple(sorted(self.inputs.items())),
                tuple(sorted(self.faults)), self.sv)

    def take_events(self):
        events = self.events
        self.events = []
        return events
