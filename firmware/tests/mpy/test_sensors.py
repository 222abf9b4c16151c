# Sensor fault detection and the PT100 conversion, checked against the IEC 60751 equation.
from mptest import approx, eq, f32
from plc import sensors
from plc.sensors import SensorFilter

A = 3.9083e-3
B = -5.775e-7
C = -4.183e-12


def _resistance(t, r0=100.0):
    if t >= 0:
        return r0 * (1 + A * t + B * t * t)
    return r0 * (1 + A * t + B * t * t + C * (t - 100) * t * t * t)


def test_ds18b20_faults():
    eq(sensors.ds18b20_fault(-127.0), "disconnected")
    eq(sensors.ds18b20_fault(85.0), "power_on_value")
    eq(sensors.ds18b20_fault(85.0, 20.0), "power_on_value")
    eq(sensors.ds18b20_fault(85.0, 84.5), None, "a kettle really at 85")
    eq(sensors.ds18b20_fault(None), "no_response")
    eq(sensors.ds18b20_fault(127.9), "out_of_range")
    eq(sensors.ds18b20_fault(18.0625), None)
    eq(sensors.ds18b20_fault(-10.5), None)


def test_pt100_above_zero():
    for t in (0.0, 0.5, 18.0, 65.0, 78.0, 100.0, 150.0, 250.0):
        approx(sensors.rtd_to_celsius(_resistance(t) / 430.0), t, 0.005, "T=%s" % t)


def test_pt100_below_zero():
    for t in (-0.5, -5.0, -20.0, -50.0, -100.0):
        approx(sensors.rtd_to_celsius(_resistance(t) / 430.0), t, 0.05, "T=%s" % t)


def test_pt1000():
    approx(sensors.rtd_to_celsius(_resistance(66.0, 1000.0) / 4300.0, 1000.0, 4300.0), 66.0, 0.005)


def test_pt100_in_single_precision():
    # the ESP32-S3 computes this in float32: the cancellation-free form keeps it well under 0.01 K
    for t in (0.05, 1.0, 18.0, 66.6, 99.9):
        ratio = f32(_resistance(t) / 430.0)
        approx(f32(sensors.rtd_to_celsius(ratio)), t, 0.01, "T=%s" % t)


def test_max31865_words():
    word = int(_resistance(66.0) / 430.0 * 32768) << 1
    t, fault = sensors.max31865_fault(word, 0, 0, 110)
    approx(t, 66.0, 0.05)
    eq(fault, None)
    eq(sensors.max31865_fault(word | 1, 0x80, 0, 110), (None, "rtd_high"), "open RTD")
    eq(sensors.max31865_fault(word | 1, 0x40, 0, 110), (None, "rtd_low"), "shorted RTD")
    eq(sensors.max31865_fault(word | 1, 0, 0, 110), (None, "fault"))
    eq(sensors.max31865_fault(0, 0, 0, 110), (None, "rtd_low"))
    eq(sensors.max31865_fault(0xFFFE, 0, 0, 110), (None, "out_of_range"), "open, thresholds off")


def test_filter_holds_one_glitch():
    f = SensorFilter()
    eq((f.value, f.fault), (None, None), "not read yet")
    f.good(20.0)
    f.bad("no_response")
    eq((f.value, f.fault), (20.0, None), "one glitch held")
    f.bad("no_response")
    eq((f.value, f.fault), (None, "no_response"))
    f.good(20.5)
    eq((f.value, f.fault), (20.5, None))


def test_filter_reports_at_once_without_a_good_value():
    f = SensorFilter()
    f.bad("disconnected")
    eq(f.fault, "disconnected")
