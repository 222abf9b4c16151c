# Temperature sensor logic without hardware: fault detection for DS18B20 readings, the PT100
# conversion of a MAX31865 reading, and a filter that tolerates a single bad read.

DS18B20_POWER_ON = 85.0     # scratchpad value before the first conversion
DS18B20_DISCONNECTED = -127.0
DS18B20_MIN = -55.0
DS18B20_MAX = 125.0

# Callendar-Van Dusen coefficients (IEC 60751)
CVD_A = 3.9083e-3
CVD_B = -5.775e-7

# MAX31865 fault status bits
MAX31865_FAULTS = (
    (0x80, "rtd_high"),      # RTD above the high threshold: open RTD
    (0x40, "rtd_low"),       # RTD below the low threshold: shorted RTD
    (0x20, "refin_high"),
    (0x10, "refin_low"),
    (0x08, "rtdin_low"),     # force- open
    (0x04, "overvoltage"),
)


def ds18b20_fault(value, previous=None):
    """Fault code for a DS18B20 reading, or None when it is plausible.

    85.0 is what the sensor returns before its first conversion (after a brown-out, or a missed
    conversion). A real 85 degC (kettle, HLT) is only believed when the previous good reading
    was close to it."""
    if value is None:
        return "no_response"
    if value == DS18B20_DISCONNECTED:
        return "disconnected"
    if value == DS18B20_POWER_ON and (previous is None or abs(previous - DS18B20_POWER_ON) > 5.0):
        return "power_on_value"
    if not DS18B20_MIN <= value <= DS18B20_MAX:
        return "out_of_range"
    return None


def rtd_to_celsius(ratio, r0=100.0, rref=430.0):
    """MAX31865 ADC ratio (code / 32768) -> degC for a PT100 (r0=100) or PT1000 (r0=1000)."""
    r = ratio * rref
    x = r / r0 - 1.0
    if x >= 0.0:
        # The quadratic of IEC 60751 for T >= 0, in the form that avoids cancellation when
        # computed in single precision: T = 2x / (A + sqrt(A^2 + 4Bx)).
        return 2.0 * x / (CVD_A + (CVD_A * CVD_A + 4.0 * CVD_B * x) ** 0.5)
    # Below 0 degC: a polynomial fit in r (ohms normalised to a PT100), good to 0.01 K to -100.
    rn = r * (100.0 / r0)
    return -242.02 + rn * (2.2228 + rn * (2.5859e-3 + rn * (-4.8260e-6 + rn * (-2.8183e-8 + rn * 1.5243e-10))))


def max31865_fault(rtd_word, fault_status, min_c, max_c, r0=100.0, rref=430.0):
    """(degC or None, fault code or None) from the RTD register pair and the fault register."""
    if rtd_word & 1 or fault_status:
        for bit, code in MAX31865_FAULTS:
            if fault_status & bit:
                return None, code
        return None, "fault"
    ratio = (rtd_word >> 1) / 32768.0
    if ratio <= 0.0:
        return None, "rtd_low"
    t = rtd_to_celsius(ratio, r0, rref)
    # Beyond the configured range by a wide margin: a broken wire or a wrong reference resistor.
    span = max_c - min_c
    if t < min_c - span or t > max_c + span:
        return None, "out_of_range"
    return t, None


class SensorFilter:
    """Holds the last good value through one failed read; reports a fault after `tolerate` + 1
    failed reads in a row. A single glitch on a long one-wire cable must not trip the loop."""

    def __init__(self, tolerate=1):
        self.tolerate = tolerate
        self.value = None
        self.fault = None  # with no value: not read yet
        self.failures = 0

    def good(self, value):
        self.value = value
        self.fault = None
        self.failures = 0

    def bad(self, code):
        self.failures += 1
        if self.failures > self.tolerate or self.value is None:
            self.value = None
            self.fault = code
