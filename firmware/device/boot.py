# Runs first at every reset (power-up, watchdog, crash): drive every configured output to its
# de-energised level before anything else happens. GPIOs float as inputs until this line runs,
# so the SSR and relay drivers also need their pull-downs (README, "Wiring").
import json

from machine import Pin

try:
    with open("config.json") as f:
        _outputs = json.load(f).get("outputs") or {}
    for _name in _outputs:
        _o = _outputs[_name]
        Pin(_o["pin"], Pin.OUT, value=0 if _o.get("active_high", True) else 1)
except Exception as e:
    print("boot: outputs not preset (%s)" % e)
