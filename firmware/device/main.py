# The zone PLC: loads config.json (+ secrets.json), builds the ESP32-S3 hardware layer and runs
# the control loop forever under the hardware watchdog.
# Press the BOOT button while the LED blinks blue just after reset to skip the loop (service
# mode: the REPL stays free for mpremote, no watchdog running).
import sys
import time

import machine

from plc import hal_esp32, indicator
from plc.config import ConfigError, load_files

CRASH_LOG = "crash.txt"
CRASH_LOG_MAX = 8192


def _log_crash(e):
    import os
    try:
        mode = "a"
        try:
            if os.stat(CRASH_LOG)[6] > CRASH_LOG_MAX:
                mode = "w"  # keep the flash from filling up with the same trace
        except OSError:
            pass
        with open(CRASH_LOG, mode) as f:
            f.write("--- %d\n" % time.time())
            sys.print_exception(e, f)
    except Exception:
        pass


def main():
    if hal_esp32.service_requested():
        print("service mode: control loop not started")
        hal_esp32.show(None, indicator.SERVICE[0])
        return
    try:
        cfg = load_files("config.json", "secrets.json")
    except (ConfigError, OSError, ValueError) as e:
        # Outputs stay as boot.py left them (off). Ctrl-C in mpremote stops the blinking.
        print("config refused: %s" % e)
        while True:
            hal_esp32.show(None, indicator.CONFIG_ERROR[0])
            time.sleep_ms(125)
            hal_esp32.show(None, None)
            time.sleep_ms(125)

    from umqtt.simple import MQTTClient

    from plc.app import App

    hw = hal_esp32.Esp32Hardware(cfg)
    if not cfg["mqtt"]["password"]:
        print("secrets.json has no mqtt password: the broker will refuse this PLC")
    app = App(cfg, hw, MQTTClient, net=hal_esp32.Wifi(cfg),
              wdt=machine.WDT(timeout=cfg["watchdog_ms"]), sleep_ms=time.sleep_ms)
    try:
        app.run()
    except KeyboardInterrupt:
        # Ctrl-C from mpremote: outputs off, REPL free. The watchdog is still armed and resets
        # the board after watchdog_ms, which is also the bench test of the watchdog.
        hw.all_off()
        print("control loop stopped: outputs off, watchdog reset in %d ms" % cfg["watchdog_ms"])
        raise
    except Exception as e:
        # A bug, not a plant condition: outputs off, keep the trace, start again clean.
        hw.all_off()
        print("control loop crashed:")
        sys.print_exception(e)
        _log_crash(e)
        time.sleep_ms(1000)
        machine.reset()


main()
