# A stand-in for MicroPython's machine module: enough of Pin, SPI, ADC and WDT to run the ESP32-S3
# hardware layer and boot.py under the WebAssembly port, recording what they do to the pins.
PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5
cause = WDT_RESET
pins = {}


def reset_cause():
    return cause


def reset():
    raise SystemExit("machine.reset()")


class Pin:
    IN = 1
    OUT = 3
    PULL_UP = 2

    def __init__(self, pin_id, mode=-1, pull=-1, value=None):
        self.id = pin_id
        self.mode = mode
        self.pull = pull
        old = pins.get(pin_id)
        self.level = old.level if old is not None else 0
        if value is not None:
            self.level = value
        pins[pin_id] = self

    def value(self, v=None):
        if v is None:
            return self.level
        self.level = 1 if v else 0

    def __call__(self, v=None):
        return self.value(v)


class SPI:
    """A MAX31865 on the bus: register writes (address | 0x80) and reads."""

    def __init__(self, spi_id, baudrate=0, polarity=0, phase=0, sck=None, mosi=None, miso=None):
        self.mode = (polarity, phase)
        self.regs = bytearray(8)
        self.writes = []
        self.pointer = 0

    def write(self, buf):
        buf = bytes(buf)
        if buf[0] & 0x80:
            addr = buf[0] & 0x7F
            self.writes.append((addr, buf[1]))
            self.regs[addr] = buf[1]
        else:
            self.pointer = buf[0]

    def read(self, n):
        out = bytes(self.regs[self.pointer:self.pointer + n])
        self.pointer += n
        return out

    def set_rtd(self, word, fault=0):
        self.regs[1] = (word >> 8) & 0xFF
        self.regs[2] = word & 0xFF
        self.regs[7] = fault


class ADC:
    """An ESP32 ADC channel: read_uv() gives the pin's level in microvolts (set by the test in
    `uv`, by pin id), clipped to the attenuation's full scale like the real converter."""
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3
    FULL_SCALE_UV = (950000, 1250000, 1750000, 3100000)
    uv = {}
    error = {}  # pin id -> exception the next reads raise

    def __init__(self, pin, atten=None):
        self.pin = pin
        self.atten = atten
        self.reads = 0

    def read_uv(self):
        self.reads += 1
        e = ADC.error.get(self.pin.id)
        if e is not None:
            raise e
        return max(0, min(ADC.uv.get(self.pin.id, 0), ADC.FULL_SCALE_UV[self.atten]))


class WDT:
    def __init__(self, id=0, timeout=5000):
        self.timeout = timeout

    def feed(self):
        pass
