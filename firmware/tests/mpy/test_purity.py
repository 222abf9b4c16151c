# The logic modules take their hardware as a parameter: they import neither machine nor network
# (so the same code runs on the host), and nothing that the ESP32-S3 port of MicroPython lacks
# (this WebAssembly build carries extras such as abc, datetime and logging; the board does not).
import os

from mptest import eq

LIB = "/lib/plc"
HARDWARE_LAYER = "hal_esp32.py"
# modules in the ESP32 port's firmware image (MicroPython 1.2x)
ON_THE_BOARD = ("json", "random", "struct", "math", "time", "sys", "gc", "os", "errno",
                "collections", "micropython", "binascii", "select", "socket", "ssl")
HARDWARE = ("machine", "network", "onewire", "ds18x20", "neopixel", "esp", "esp32", "ntptime",
            "umqtt", "socket")


def _imports(path):
    found = []
    with open(path) as f:
        for line in f:
            words = line.strip().split()
            if len(words) >= 2 and words[0] in ("import", "from"):
                found.append(words[1].split(".")[0].rstrip(","))
    return found


def test_logic_modules_import_no_hardware():
    checked = 0
    for name in sorted(os.listdir(LIB)):
        if not name.endswith(".py") or name == HARDWARE_LAYER:
            continue
        for module in _imports(LIB + "/" + name):
            eq(module in HARDWARE, False, "%s imports %s" % (name, module))
            eq(module == "plc" or module in ON_THE_BOARD, True, "%s imports %s" % (name, module))
        checked += 1
    eq(checked >= 12, True, "%d modules checked" % checked)


def test_only_the_hardware_layer_touches_the_board():
    eq("machine" in _imports(LIB + "/" + HARDWARE_LAYER), True)
    eq("network" in _imports(LIB + "/" + HARDWARE_LAYER), True)
