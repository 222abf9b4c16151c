# The ESP32-S3 hardware layer, boot.py and main.py under MicroPython with stand-ins for machine,
# network and the sensor drivers (tests/mpy/board_fakes): pin levels, active-low relays, the
# normally-closed E-stop, the MAX31865 registers, non-blocking DS18B20 conversions.
import json
import os
import sys

from mptest import approx, eq

sys.path.insert(0, "/tests/board_fakes")

import ds18x20  # noqa: E402  (the fake)
import machine  # noqa: E402  (the fake)
import network  # noqa: E402  (the fake)
from plc import config  # noqa: E402
from plc import hal_esp32  # noqa: E402

ROM = b"\x28\xff\x01\x02\x03\x04\x05\x06"


def _cfg(zone):
    with open("/zones/%s/config.json" % zone) as f:
        return config.parse(f.read())


def _rtd_word(t):
    r = 100.0 * (1 + 3.9083e-3 * t - 5.775e-7 * t * t)
    return int(r / 430.0 * 32768) << 1


def test_outputs_start_off_and_respect_polarity():
    machine.pins.clear()
    hw = hal_esp32.Esp32Hardware(_cfg("hlt"))
    eq((machine.pins[5].level, machine.pins[7].level), (0, 1), "SSR off, active-low relay off")
    hw.set_outputs({"heater": True, "pump": True})
    eq((machine.pins[5].level, machine.pins[7].level), (1, 0))
    hw.all_off()
    eq((machine.pins[5].level, machine.pins[7].level), (0, 1))


def test_estop_is_normally_closed_and_level_reads_wet_low():
    machine.pins.clear()
    hw = hal_esp32.Esp32Hardware(_cfg("hlt"))
    machine.pins[16].level = 0  # NC loop closed to GND
    machine.pins[15].level = 0  # float switch closed: wet
    eq(hw.read_inputs(), {"estop": False, "level_switch": True})
    machine.pins[16].level = 1  # pressed, or the wire is cut: the pull-up wins
    machine.pins[15].level = 1
    eq(hw.read_inputs(), {"estop": True, "level_switch": False})
    eq(machine.pins[16].pull, machine.Pin.PULL_UP)


def test_max31865_reading_and_faults():
    machine.pins.clear()
    hw = hal_esp32.Esp32Hardware(_cfg("hlt"))
    spi = hw.rtds["pv"].spi
    eq(spi.mode, (0, 1), "SPI mode 1")
    eq(spi.writes[0], (0, 0x80 | 0x40 | 0x10 | 0x02), "bias, auto conversion, 3-wire, 60 Hz, clear")
    spi.set_rtd(_rtd_word(66.0))
    value, fault = hw.read_temperatures(0)["pv"]
    approx(value, 66.0, 0.05)
    eq(fault, None)
    spi.set_rtd(_rtd_word(66.0) | 1, 0x80)  # open RTD
    eq(hw.read_temperatures(100)["pv"], (value, None), "read at most every 200 ms")
    eq(hw.read_temperatures(200)["pv"], (value, None), "one glitch held")
    eq(hw.read_temperatures(400)["pv"], (None, "rtd_high"))
    eq(spi.writes[-1], (0, 0x80 | 0x40 | 0x10 | 0x02), "fault cleared for the next try")


def test_ds18b20_conversions_never_wait():
    machine.pins.clear()
    ds18x20.ROMS[:] = [ROM]
    ds18x20.VALUES[ROM] = 18.5
    del ds18x20.conversions[:]
    hw = hal_esp32.Esp32Hardware(_cfg("fv1"))
    eq(hw.read_temperatures(0)["pv"], (None, None), "first conversion running")
    eq(hw.read_temperatures(700)["pv"], (None, None))
    eq(len(ds18x20.conversions), 1)
    eq(hw.read_temperatures(750)["pv"], (18.5, None))
    eq(len(ds18x20.conversions), 2, "next conversion started at once")
    ds18x20.VALUES[ROM] = 85.0  # brown-out: power-on value
    hw.read_temperatures(1500)
    eq(hw.read_temperatures(2250)["pv"], (None, "power_on_value"))
    ds18x20.VALUES[ROM] = OSError("CRC error")
    hw.read_temperatures(3000)
    eq(hw.read_temperatures(3750)["pv"], (None, "no_response"))
    ds18x20.VALUES[ROM] = 18.25
    eq(hw.read_temperatures(4500)["pv"], (18.25, None))


def test_ds18b20_bus_gone():
    machine.pins.clear()
    ds18x20.ROMS[:] = []
    hw = hal_esp32.Esp32Hardware(_cfg("fv1"))
    eq(hw.read_temperatures(0)["pv"], (None, "no_response"))


def test_configured_rom_is_used():
    machine.pins.clear()
    other = b"\x28\xaa\x00\x00\x00\x00\x00\x01"
    ds18x20.ROMS[:] = [other, ROM]
    ds18x20.VALUES[ROM] = 19.0
    ds18x20.VALUES[other] = 50.0
    cfg = _cfg("fv1")
    cfg["sensors"]["pv"]["rom"] = "28:ff:01:02:03:04:05:06"
    hw = hal_esp32.Esp32Hardware(cfg)
    hw.read_temperatures(0)
    eq(hw.read_temperatures(800)["pv"], (19.0, None))
    cfg["sensors"]["pv"]["rom"] = None
    hw = hal_esp32.Esp32Hardware(cfg)
    hw.read_temperatures(0)
    eq(hw.read_temperatures(800)["pv"], (None, "rom_needed"), "two sensors, no ROM: refuse to guess")


def test_wifi_connects_without_waiting():
    cfg = _cfg("fv1")
    cfg["wifi"]["password"] = "pw"
    wifi = hal_esp32.Wifi(cfg)
    wlan = network.wlans[-1]
    eq(wlan.on, True)
    eq(wifi.is_up(), False)
    wifi.ensure(0)
    wifi.ensure(5000)
    eq(wlan.connects, [("brewery", "pw")], "one attempt per 10 s")
    wifi.ensure(10000)
    eq(len(wlan.connects), 2)


def test_reset_cause_names():
    hw = hal_esp32.Esp32Hardware(_cfg("fv1"))
    machine.cause = machine.WDT_RESET
    eq(hw.reset_cause(), "watchdog")
    machine.cause = machine.PWRON_RESET
    eq(hw.reset_cause(), "power_on")


def test_boot_py_presets_outputs_off():
    machine.pins.clear()
    with open("/zones/hlt/config.json") as f:
        text = f.read()
    here = os.getcwd()
    os.chdir("/board")
    try:
        with open("config.json", "w") as f:
            f.write(text)
        with open("boot.py") as f:
            exec(f.read(), {})
    finally:
        os.remove("config.json")
        os.chdir(here)
    outputs = json.loads(text)["outputs"]
    eq(sorted(machine.pins), sorted(o["pin"] for o in outputs.values()))
    eq((machine.pins[5].level, machine.pins[5].mode), (0, machine.Pin.OUT), "heater SSR low")
    eq(machine.pins[7].level, 1, "active-low pump relay high")


def test_plant_valves_and_pumps_on_their_pins_start_and_reset_closed():
    # kettle inlet_valve GPIO 8; fermenter cip GPIO 8, product_valve GPIO 9; glycol pump GPIO 7
    for zone, pins in (("kettle", {"inlet_valve": 8}), ("fv1", {"cip": 8, "product_valve": 9}),
                       ("glycol", {"pump": 7})):
        machine.pins.clear()
        cfg = _cfg(zone)
        hw = hal_esp32.Esp32Hardware(cfg)
        for name in pins:
            pin = machine.pins[pins[name]]
            off = 0 if cfg["outputs"][name]["active_high"] else 1
            eq((pin.mode, pin.level), (machine.Pin.OUT, off), "%s.%s starts de-energised" % (zone, name))
            hw.set_outputs({name: True})
            eq(pin.level, 1 - off, "%s.%s driven" % (zone, name))
            hw.all_off()  # what main.py does when the loop stops or crashes
            eq(pin.level, off, "%s.%s off again" % (zone, name))
        machine.pins.clear()
        _boot(zone)  # what runs after a watchdog reset
        for name in pins:
            off = 0 if cfg["outputs"][name]["active_high"] else 1
            eq(machine.pins[pins[name]].level, off, "%s.%s preset off by boot.py" % (zone, name))


def test_hlt_level_switch_is_an_input_on_gpio15():
    machine.pins.clear()
    hw = hal_esp32.Esp32Hardware(_cfg("hlt"))
    eq((machine.pins[15].mode, machine.pins[15].pull), (machine.Pin.IN, machine.Pin.PULL_UP))
    machine.pins[15].level = 0
    eq(hw.read_inputs()["level_switch"], True, "float switch closed to GND: covered")
    eq(15 in [pin.id for pin, high in hw.outputs.values()], False, "an input, never driven")


def _boot(zone):
    with open("/zones/%s/config.json" % zone) as f:
        text = f.read()
    here = os.getcwd()
    os.chdir("/board")
    try:
        with open("config.json", "w") as f:
            f.write(text)
        with open("boot.py") as f:
            exec(f.read(), {})
    finally:
        os.remove("config.json")
        os.chdir(here)


def test_boot_py_survives_a_missing_config():
    here = os.getcwd()
    os.chdir("/board")
    try:
        with open("boot.py") as f:
            exec(f.read(), {})
    finally:
        os.chdir(here)


def test_main_py_compiles():
    with open("/board/main.py") as f:
        compile(f.read(), "main.py", "exec")


def test_service_mode_button():
    machine.pins.clear()
    machine.Pin(0).level = 1  # released (pull-up)
    eq(hal_esp32.service_requested(60), False)
    machine.pins[0].level = 0  # pressed
    eq(hal_esp32.service_requested(60), True)
