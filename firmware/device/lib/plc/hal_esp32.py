# The ESP32-S3 hardware layer: the only module (with boot.py and main.py) that touches machine,
# network and the sensor drivers. The logic modules get an instance of Esp32Hardware and never
# import any of this, so they run unchanged on the host.
import time

import ds18x20
import network
import onewire
from machine import ADC, SPI, Pin
import machine

from plc.analog import AnalogInput
from plc.sensors import SensorFilter, ds18b20_fault, max31865_fault
from plc.ticks import ticks_diff

DS18B20_CONVERSION_MS = 750   # 12-bit resolution
MAX31865_READ_MS = 200        # the chip converts continuously; reading faster buys nothing
SERVICE_PIN = 0               # the DevKit's BOOT button: pressed just after reset = service mode

_COLOURS = {"red": (40, 0, 0), "amber": (40, 16, 0), "green": (0, 30, 0), "blue": (0, 0, 40)}

# MAX31865 registers and configuration bits
_MAX_CONFIG = 0x00
_MAX_RTD = 0x01
_MAX_FAULT = 0x07
_MAX_VBIAS = 0x80
_MAX_AUTO = 0x40
_MAX_3WIRE = 0x10
_MAX_FAULT_CLEAR = 0x02
_MAX_50HZ = 0x01


class _OneWireBus:
    """One DS18B20 bus: conversions are started and collected across loop passes, never waited
    for (a conversion takes 750 ms; the loop runs every 50 ms)."""

    def __init__(self, pin):
        self.ds = ds18x20.DS18X20(onewire.OneWire(Pin(pin)))
        self.sensors = []  # (name, rom or None, filter)
        self.started = None
        self.found = []

    def add(self, name, rom_hex, flt):
        self.sensors.append((name, _rom(rom_hex), flt))

    def poll(self, now):
        if self.started is not None and ticks_diff(now, self.started) < DS18B20_CONVERSION_MS:
            return
        if self.started is not None:
            for name, rom, flt in self.sensors:
                self._collect(rom, flt)
        try:
            if not self.found:
                self.found = self.ds.scan()
            self.ds.convert_temp()
            self.started = now
        except Exception:
            self.started = None
            self.found = []
            for name, rom, flt in self.sensors:
                flt.bad("no_response")

    def _collect(self, rom, flt):
        if rom is None:
            # Without a configured ROM the bus must carry exactly one sensor.
            if len(self.found) != 1:
                flt.bad("rom_needed" if self.found else "no_response")
                return
            rom = self.found[0]
        try:
            value = self.ds.read_temp(rom)
        except Exception:  # CRC error, or nobody answered
            value = None
        fault = ds18b20_fault(value, flt.value)
        if fault is None:
            flt.good(value)
        else:
            flt.bad(fault)


class _Max31865:
    def __init__(self, spi, cs_pin, cfg):
        self.spi = spi
        self.cs = Pin(cs_pin, Pin.OUT, value=1)
        self.cfg = cfg
        self.last = None
        bits = _MAX_VBIAS | _MAX_AUTO | _MAX_FAULT_CLEAR
        if cfg["wires"] == 3:
            bits |= _MAX_3WIRE
        if cfg.get("mains_hz", 60) == 50:
            bits |= _MAX_50HZ
        self.config_bits = bits & ~_MAX_FAULT_CLEAR
        self._write(_MAX_CONFIG, bits)

    def _write(self, reg, value):
        self.cs(0)
        try:
            self.spi.write(bytes((reg | 0x80, value)))
        finally:
            self.cs(1)

    def _read(self, reg, n):
        self.cs(0)
        try:
            self.spi.write(bytes((reg,)))
            return self.spi.read(n)
        finally:
            self.cs(1)

    def poll(self, now, flt):
        if self.last is not None and ticks_diff(now, self.last) < MAX31865_READ_MS:
            return
        self.last = now
        try:
            raw = self._read(_MAX_RTD, 2)
            word = (raw[0] << 8) | raw[1]
            status = self._read(_MAX_FAULT, 1)[0] if word & 1 else 0
        except Exception:
            flt.bad("spi_error")
            return
        c = self.cfg
        value, fault = max31865_fault(word, status, c["min"], c["max"], c["r0"], c["rref"])
        if fault is None:
            flt.good(value)
        else:
            flt.bad(fault)
            self._write(_MAX_CONFIG, self.config_bits | _MAX_FAULT_CLEAR)


class Esp32Hardware:
    def __init__(self, cfg):
        self.filters = {}
        self.buses = {}
        self.rtds = {}
        spi = None
        sensors = cfg["sensors"]
        for name in sensors:
            s = sensors[name]
            flt = SensorFilter()
            self.filters[name] = flt
            if s["type"] == "ds18b20":
                bus = self.buses.get(s["pin"])
                if bus is None:
                    bus = _OneWireBus(s["pin"])
                    self.buses[s["pin"]] = bus
                bus.add(name, s.get("rom"), flt)
            else:
                if spi is None:
                    spi = SPI(s.get("spi", 1), baudrate=1000000, polarity=0, phase=1,
                              sck=Pin(s.get("sck", 12)), mosi=Pin(s.get("mosi", 11)),
                              miso=Pin(s.get("miso", 13)))
                self.rtds[name] = _Max31865(spi, s["cs"], s)
        self.outputs = {}
        for name in cfg["outputs"]:
            o = cfg["outputs"][name]
            self.outputs[name] = (Pin(o["pin"], Pin.OUT, value=0 if o["active_high"] else 1),
                                  o["active_high"])
        self.inputs = {}
        for name in cfg["inputs"]:
            i = cfg["inputs"][name]
            # estop: NC contact to GND with pull-up, so pressed or cut wire reads 1 = stop.
            # level: a float switch closing to GND when wet reads 0 = wet (wet_level).
            pin = Pin(i["pin"], Pin.IN, Pin.PULL_UP)
            if i["kind"] == "estop":
                self.inputs[name] = (pin, i.get("stop_level", 1))
            elif i["kind"] == "level":
                self.inputs[name] = (pin, i.get("wet_level", 0))
            else:
                self.inputs[name] = (pin, i.get("on_level", 1))
        self.adcs = {}
        for name in cfg["analog"]:
            a = cfg["analog"][name]
            # No pull-up or pull-down: the shunt (or the divider's lower leg) sets the level, and a
            # broken loop then reads 0 V = below NE 43's 3.6 mA.
            adc = ADC(Pin(a["pin"]), atten=_atten(a["atten_db"]))
            self.adcs[name] = (adc, AnalogInput(a))
        self.pixel = None
        led = cfg.get("led") or {}
        if led.get("pin") is not None:
            import neopixel
            self.pixel = neopixel.NeoPixel(Pin(led["pin"]), 1)

    def read_temperatures(self, now):
        for pin in self.buses:
            self.buses[pin].poll(now)
        for name in self.rtds:
            self.rtds[name].poll(now, self.filters[name])
        out = {}
        for name in self.filters:
            flt = self.filters[name]
            out[name] = (flt.value, flt.fault)
        return out

    def read_analog(self, now):
        """{input: (value or None, fault or None)} from `samples` reads per pass, in microvolts
        corrected by the chip's eFuse calibration (read_uv)."""
        out = {}
        for name in self.adcs:
            adc, inp = self.adcs[name]
            try:
                reads = [adc.read_uv() for _ in range(inp.samples)]
            except Exception:
                reads = None
            inp.update(reads)
            out[name] = (inp.value, inp.fault)
        return out

    def read_inputs(self):
        out = {}
        for name in self.inputs:
            pin, level = self.inputs[name]
            out[name] = pin.value() == level
        return out

    def set_outputs(self, states):
        for name in states:
            pin, active_high = self.outputs[name]
            pin.value(1 if bool(states[name]) == active_high else 0)

    def all_off(self):
        for name in self.outputs:
            pin, active_high = self.outputs[name]
            pin.value(0 if active_high else 1)

    def led(self, colour):
        if self.pixel is not None:
            self.pixel[0] = _COLOURS.get(colour, (0, 0, 0))
            self.pixel.write()

    def epoch_ms(self):
        # Epoch time only once NTP has set the clock (the RTC starts at its epoch at power-up).
        t = time.gmtime()
        if t[0] < 2024:
            return None
        seconds = time.time()
        if time.gmtime(0)[0] == 2000:  # ports that count from 2000
            seconds += 946684800
        return seconds * 1000

    def reset_cause(self):
        causes = {machine.PWRON_RESET: "power_on", machine.HARD_RESET: "hard",
                  machine.WDT_RESET: "watchdog", machine.DEEPSLEEP_RESET: "deep_sleep",
                  machine.SOFT_RESET: "soft"}
        return causes.get(machine.reset_cause(), "other")


class Wifi:
    """Station-mode Wi-Fi, never waited for: connect() returns at once and the link polls."""

    RETRY_MS = 10000

    def __init__(self, cfg):
        self.ssid = cfg["wifi"]["ssid"]
        self.password = cfg["wifi"]["password"]
        self.ntp_host = cfg.get("ntp_host")
        self.wlan = network.WLAN(network.STA_IF)
        self.wlan.active(True)
        self.last_try = None
        self.clock_set = False

    def is_up(self):
        up = self.wlan.isconnected()
        if up and self.ntp_host and not self.clock_set:
            self.clock_set = True  # one try per boot; tele falls back to ms since boot
            try:
                import ntptime
                ntptime.host = self.ntp_host
                ntptime.timeout = 1
                ntptime.settime()
            except Exception as e:
                print("ntp: clock not set (%s)" % e)
        return up

    def ensure(self, now):
        if not self.ssid:
            return
        if self.last_try is not None and ticks_diff(now, self.last_try) < self.RETRY_MS:
            return
        self.last_try = now
        try:
            self.wlan.disconnect()
        except Exception:
            pass
        try:
            self.wlan.connect(self.ssid, self.password)
        except Exception as e:
            print("wifi: connect to %s failed (%s)" % (self.ssid, e))


def service_requested(window_ms=1500):
    """True when the BOOT button is pressed during the first moments after reset (the LED blinks
    blue meanwhile). Holding it *through* the reset would start the ROM loader instead."""
    button = Pin(SERVICE_PIN, Pin.IN, Pin.PULL_UP)
    start = time.ticks_ms()
    while time.ticks_diff(time.ticks_ms(), start) < window_ms:
        if button.value() == 0:
            return True
        show(None, "blue" if (time.ticks_ms() // 250) % 2 else None)
        time.sleep_ms(20)
    show(None, None)
    return False


def show(cfg, colour):
    """Lights the status LED before (or without) the main loop: service mode, config errors."""
    led = (cfg or {}).get("led") or {}
    pin = led.get("pin", 48)
    try:
        import neopixel
        pixel = neopixel.NeoPixel(Pin(pin), 1)
        pixel[0] = _COLOURS.get(colour, (0, 0, 0))
        pixel.write()
    except Exception:
        pass


def _atten(db):
    for value, const in ((0, ADC.ATTN_0DB), (2.5, ADC.ATTN_2_5DB), (6, ADC.ATTN_6DB), (11, ADC.ATTN_11DB)):
        if db == value:
            return const
    raise ValueError("atten_db %r" % (db,))


def _rom(rom_hex):
    if not rom_hex:
        return None
    digits = rom_hex.replace(":", "").replace(" ", "")
    return bytes(int(digits[i:i + 2], 16) for i in range(0, len(digits), 2))
