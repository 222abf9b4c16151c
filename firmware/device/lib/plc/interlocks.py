# Local interlocks. They are evaluated on every loop pass, in every mode (fail-safe included), from
# the readings alone: no command can bypass them (a reset only re-arms a trip whose cause is gone).
#   estop      E-stop loop open (pressed, or a cut wire): every output off
#   overtemp   a sensor above its trip: heating off, latched; the SCADA's reset clears it once the
#              sensor is `trip_hyst_c` below the trip (a safety trip never re-arms heat by itself)
#   low_level  the heater's level switch reads dry: heating off
#   min_level  the analog level (heater_min_level) is below its minimum, or has no good reading
#              (a transmitter fault is no proof of liquid): heating off until it is `hyst` above
# A temperature sensor that carries a trip and has failed also blocks heating (nothing proves the
# vessel is below its trip); that fault is reported as a sensor event by the zone.


class Interlocks:
    def __init__(self, cfg):
        locks = cfg["interlocks"]
        self.control_sensor = cfg["control"]["sensor"]
        self.trips = locks["trip_c"]
        self.hyst = float(locks["trip_hyst_c"])
        self.heater_needs = locks.get("heater_needs")
        m = locks.get("heater_min_level") or {}
        self.level_tag = m.get("tag")
        self.level_min = m.get("min")
        self.level_hyst = m.get("hyst")
        inputs = cfg["inputs"]
        self.estops = [n for n in inputs if inputs[n]["kind"] == "estop"]
        self.active = {}  # code -> message, for the trips in force
        self.trip_sensor_failed = False

    def _code(self, sensor):
        return "overtemp" if sensor == self.control_sensor else "overtemp_" + sensor

    def evaluate(self, temps, inputs, levels=None):
        """temps: {sensor: degC or None}; inputs: {name: bool}; levels: {analog input: value or
        None}. Returns the changes as a list of (code, active, message)."""
        changes = []
        stop = False
        for name in self.estops:
            if inputs.get(name, True):  # unknown reads as stop
                stop = True
        self._set("estop", stop, "E-stop loop open" if stop else "E-stop loop closed", changes)

        failed = False
        for sensor in self.trips:
            trip = self.trips[sensor]
            value = temps.get(sensor)
            code = self._code(sensor)
            if value is None:
                failed = True  # heating is blocked anyway until the sensor reads again
            elif value > trip and code not in self.active:
                self._set(code, True, "%s %.1f > trip %.1f" % (sensor, value, trip), changes)
        self.trip_sensor_failed = failed

        if self.heater_needs is not None:
            wet = inputs.get(self.heater_needs, False)
            self._set("low_level", not wet, "%s reads %s" % (self.heater_needs, "wet" if wet else "dry"), changes)
        if self.level_tag is not None:
            self._min_level((levels or {}).get(self.level_tag), changes)
        return changes

    def _min_level(self, value, changes):
        tag = self.level_tag
        if value is None:
            self._set("min_level", True, "%s has no good reading: heater needs %s >= %.1f" % (
                tag, tag, self.level_min), changes)
            return
        # Below the minimum blocks; clearing takes `hyst` more, so a boiling surface cannot chatter it.
        limit = self.level_min + (self.level_hyst if "min_level" in self.active else 0.0)
        low = value < limit
        self._set("min_level", low, "%s %.1f %s %.1f" % (tag, value, "<" if low else ">=", limit), changes)

    def reset(self, temps):
        """The SCADA's reset: clears the over-temperature trips whose sensor has cooled down.
        Returns (changes, trips still latched)."""
        changes = []
        for sensor in self.trips:
            code = self._code(sensor)
            value = temps.get(sensor)
            if code in self.active and value is not None and value < self.trips[sensor] - self.hyst:
                self._set(code, False, "reset at %s %.1f" % (sensor, value), changes)
        still = [c for c in self.active if c.startswith("overtemp")]
        return changes, still

    def _set(self, code, active, msg, changes):
        if active and code not in self.active:
            self.active[code] = msg
            changes.append((code, True, msg))
        elif not active and code in self.active:
            del self.active[code]
            changes.append((code, False, msg))

    @property
    def all_off(self):
        return "estop" in self.active

    @property
    def heat_blocked(self):
        return bool(self.active) or self.trip_sensor_failed
