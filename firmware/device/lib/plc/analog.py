# Analog inputs without hardware: a hydrostatic level transmitter on a 4-20 mA loop read across a
# shunt resistor (or a 0-10 V transmitter through a divider) on an ESP32-S3 ADC pin. The hardware
# layer hands in the ADC's calibrated microvolts; this turns them into the loop signal (mA or V),
# checks it against NAMUR NE 43, averages it and scales it to engineering units (% level).

CURRENT = "4-20mA"
VOLTAGE = "voltage"
SIGNALS = (CURRENT, VOLTAGE)

# NAMUR NE 43: 3.8..20.5 mA carries the measurement; <= 3.6 mA or >= 21 mA signals a failure
# (open loop / wire break / no loop power / transmitter downscale alarm, resp. a short circuit or
# the transmitter's upscale alarm). The band in between is read, clamped to the tag's range.
NE43_LOW_MA = 3.6
NE43_HIGH_MA = 21.0

# ESP32-S3 ADC: measurable range per attenuation (ESP-IDF: 0-950, 0-1250, 0-1750, 0-3100 mV).
# Only ADC1 (GPIO 1-10) is usable: ADC2 is shared with the Wi-Fi radio.
FULL_SCALE_MV = ((0, 950), (2.5, 1250), (6, 1750), (11, 3100))
ADC1_PINS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


def full_scale_mv(atten_db):
    for db, mv in FULL_SCALE_MV:
        if db == atten_db:
            return mv
    return None


def signal_of(uv, spec):
    """Microvolts at the pin -> loop current in mA, or volts at the transmitter's terminals."""
    if spec["signal"] == CURRENT:
        return uv / 1000.0 / spec["shunt_ohm"]   # uV / ohm = uA
    return uv / 1000000.0 * spec["divider"]


def uv_of(signal, spec):
    """The inverse of signal_of: what the pin sees for a loop current (mA) or voltage (V)."""
    if spec["signal"] == CURRENT:
        return signal * spec["shunt_ohm"] * 1000.0
    return signal / spec["divider"] * 1000000.0


def fault_of(signal, spec):
    """Fault code for one read's signal, or None when it carries a measurement."""
    low = spec.get("fault_low")
    high = spec.get("fault_high")
    current = spec["signal"] == CURRENT
    if low is not None and signal <= low:
        return "ne43_low" if current else "signal_low"
    if high is not None and signal >= high:
        return "ne43_high" if current else "signal_high"
    return None


def scale(signal, cal, lo, hi):
    """Signal -> engineering value along the calibration points [[signal, value], ...] (signals
    rising; piecewise linear, e.g. a dished kettle bottom), clamped to lo..hi."""
    i = 1
    while i < len(cal) - 1 and signal > cal[i][0]:
        i += 1
    s0, v0 = cal[i - 1]
    s1, v1 = cal[i]
    value = v0 + (signal - s0) * (v1 - v0) / (s1 - s0)
    if value < lo:
        return lo
    if value > hi:
        return hi
    return value


def unscale(value, cal):
    """Engineering value -> signal along the calibration points (for simulators and tests)."""
    i = 1
    while i < len(cal) - 1 and value > cal[i][1]:
        i += 1
    s0, v0 = cal[i - 1]
    s1, v1 = cal[i]
    return s0 + (value - v0) * (s1 - s0) / (v1 - v0)


class AnalogInput:
    """One analog input: each loop pass brings `samples` ADC reads (or None when the ADC raised).
    A pass whose reads all carry a measurement adds their mean to a moving average over the last
    `average` passes; a pass with any faulty read (a loose terminal shows up here, not as a
    wrong number) is left out and the last value is held. `fault_passes` faulty passes in a row
    make the input BAD (value None, fault code); as many good ones in a row make it good again,
    starting a fresh average."""

    def __init__(self, spec):
        self.spec = spec
        self.samples = spec["samples"]
        self.window = spec["average"]
        self.passes = spec["fault_passes"]
        self.history = []
        self.value = None
        self.fault = None
        self.signal = None      # the last pass's mean signal (mA or V), for diagnostics
        self.bad_run = 0
        self.good_run = 0

    def update(self, reads):
        spec = self.spec
        code = None
        total = 0.0
        if not reads:
            code = "adc_error"
        else:
            for uv in reads:
                s = signal_of(uv, spec)
                total += s
                if code is None:
                    code = fault_of(s, spec)
            self.signal = total / len(reads)
        if code is not None:
            self.good_run = 0
            self.bad_run += 1
            if self.fault is not None or self.bad_run >= self.passes:
                self.fault = code
                self.value = None
                self.history = []
            return
        self.bad_run = 0
        if self.fault is not None:
            self.good_run += 1
            if self.good_run < self.passes:
                return
            self.fault = None
            self.good_run = 0
        self.history.append(self.signal)
        if len(self.history) > self.window:
            self.history.pop(0)
        mean = sum(self.history) / len(self.history)
        self.value = scale(mean, spec["cal"], spec["min"], spec["max"])
