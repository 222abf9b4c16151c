# A zone's configuration: config.json (kept in git) merged with secrets.json (provisioned per board,
# never in git), checked once at boot so that a bad file stops the board with a clear message
# instead of running a half-configured plant.
import json

from plc import analog, protocol

HOT_TYPES = ("hlt", "mash", "kettle", "cip")
SENSOR_TYPES = ("ds18b20", "pt100")
OUTPUT_ROLES = ("heat", "cool", "switch")
MODES = ("off", "auto", "manual")
# estop: true = stop demanded (normally-closed loop open); level: true = liquid present
INPUT_KINDS = ("estop", "level", "digital")
# What a switch output does when the zone enters fail-safe by itself (hold_last zones; policy off
# switches everything off): "off" = closed/stopped, "hold" = keeps its state.
SWITCH_FAILSAFE = ("off", "hold")
# The tags each zone type declares like the simulator does, because the plant-wide interlocks that
# ship with the box read or force them (bundles/settings DemoPlant): name -> "switch" (an on/off
# output the SCADA writes, off = valve closed / pump stopped, and off in any fail-safe) or "level"
# (a read-only level switch input, true = liquid present) or "analog" (a level transmitter in %,
# 0..100, like the simulator's `level`). omit_tags lists any a vessel lacks.
TYPE_TAGS = {
    "hlt": {"level_switch": "level"},
    "mash": {"pump": "switch"},
    "kettle": {"inlet_valve": "switch", "level": "analog"},
    "fermenter": {"cip": "switch", "product_valve": "switch"},
    "brite": {"cip": "switch", "product_valve": "switch"},
    "glycol": {"pump": "switch"},
}
TLS_CA_DEFAULT = "brewpi-cert.pem"
RESERVED_TAGS = ("sv", "out", "manual_out", "mode")


class ConfigError(Exception):
    pass


def _merge(base, extra):
    # secrets.json may carry any subset of config.json (usually wifi/mqtt passwords)
    for key in extra:
        if type(extra[key]) is dict and type(base.get(key)) is dict:
            _merge(base[key], extra[key])
        else:
            base[key] = extra[key]
    return base


def _section(cfg, name):
    s = cfg.get(name)
    if s is None:
        s = {}
        cfg[name] = s
    if type(s) is not dict:
        raise ConfigError("%s must be an object" % name)
    return s


def _default(d, key, value):
    if d.get(key) is None:
        d[key] = value


def _need(d, key, kind, where):
    x = d.get(key)
    ok = {"int": protocol.is_int, "num": protocol.is_num, "str": lambda v: type(v) is str,
          "bool": lambda v: type(v) is bool}[kind](x)
    if not ok:
        raise ConfigError("%s.%s must be %s (got %r)" % (where, key, kind, x))
    return x


def parse(config_text, secrets_text=None):
    try:
        cfg = json.loads(config_text)
    except Exception:
        raise ConfigError("config.json is not valid JSON")
    if type(cfg) is not dict:
        raise ConfigError("config.json must hold an object")
    if secrets_text:
        try:
            secrets = json.loads(secrets_text)
        except Exception:
            raise ConfigError("secrets.json is not valid JSON")
        if type(secrets) is not dict:
            raise ConfigError("secrets.json must hold an object")
        _merge(cfg, secrets)
    return normalise(cfg)


def load_files(config_path="config.json", secrets_path="secrets.json"):
    with open(config_path) as f:
        text = f.read()
    secrets = None
    try:
        with open(secrets_path) as f:
            secrets = f.read()
    except OSError:
        pass  # no secrets yet: the board runs its loops locally and reports the missing password
    return parse(text, secrets)


def normalise(cfg):
    """Fill defaults and check every field; returns the same dict."""
    zone = cfg.get("zone")
    if not protocol.valid_zone_id(zone):
        raise ConfigError("zone must match [a-z0-9][a-z0-9-]{0,31} (got %r)" % (zone,))
    ztype = cfg.get("type")
    if ztype not in protocol.ZONE_TYPES:
        raise ConfigError("type must be one of %s" % ", ".join(protocol.ZONE_TYPES))
    hot = ztype in HOT_TYPES
    _default(cfg, "label", zone)
    _default(cfg, "failsafe", "off" if hot else "hold_last")
    if cfg["failsafe"] not in protocol.FAILSAFE_POLICIES:
        raise ConfigError("failsafe must be off or hold_last")
    _default(cfg, "start_mode", "off" if hot else "auto")
    if cfg["start_mode"] not in MODES:
        raise ConfigError("start_mode must be off, auto or manual")
    _default(cfg, "period_ms", 1000)
    _default(cfg, "loop_ms", 50)
    _default(cfg, "hb_timeout_ms", 5000)
    _default(cfg, "watchdog_ms", 8000)
    for key in ("period_ms", "loop_ms", "hb_timeout_ms", "watchdog_ms"):
        if _need(cfg, key, "int", "config") <= 0:
            raise ConfigError("%s must be positive" % key)
    if cfg["loop_ms"] > cfg["period_ms"]:
        raise ConfigError("loop_ms must not exceed period_ms")

    wifi = _section(cfg, "wifi")
    _default(wifi, "ssid", "")
    _default(wifi, "password", "")

    mqtt = _section(cfg, "mqtt")
    _default(mqtt, "host", "127.0.0.1")
    _tls(mqtt)
    _default(mqtt, "port", 8883 if mqtt["tls"] else 1883)
    _default(mqtt, "user", zone)
    _default(mqtt, "password", "")
    _default(mqtt, "topic_root", "brewpi/v1")
    _default(mqtt, "keepalive_s", 30)
    _default(mqtt, "connect_timeout_ms", 2000)
    _default(mqtt, "backoff_min_ms", 500)
    _default(mqtt, "backoff_max_ms", 30000)
    _need(mqtt, "host", "str", "mqtt")
    _need(mqtt, "topic_root", "str", "mqtt")
    for key in ("port", "keepalive_s", "connect_timeout_ms", "backoff_min_ms", "backoff_max_ms"):
        if _need(mqtt, key, "int", "mqtt") <= 0:
            raise ConfigError("mqtt.%s must be positive" % key)
    if mqtt["backoff_max_ms"] < mqtt["backoff_min_ms"]:
        raise ConfigError("mqtt.backoff_max_ms must be >= backoff_min_ms")
    root = mqtt["topic_root"]
    if (not root or "+" in root or "#" in root or root.endswith("/")
            or len(root.encode("utf-8")) != len(root)):
        raise ConfigError("mqtt.topic_root must be a plain ASCII topic prefix")

    sensors = _section(cfg, "sensors")
    if not sensors:
        raise ConfigError("at least one temperature sensor is needed")
    for name in sensors:
        s = sensors[name]
        where = "sensors." + name
        if type(s) is not dict or s.get("type") not in SENSOR_TYPES:
            raise ConfigError("%s.type must be ds18b20 or pt100" % where)
        _default(s, "min", -20)
        _default(s, "max", 120)
        _need(s, "min", "num", where)
        _need(s, "max", "num", where)
        if s["type"] == "pt100":
            _default(s, "rref", 430.0)
            _default(s, "r0", 100.0)
            _default(s, "wires", 3)
            _need(s, "rref", "num", where)
            _need(s, "r0", "num", where)

    control = _section(cfg, "control")
    _default(control, "sensor", "pv" if "pv" in sensors else sorted(sensors)[0])
    if control["sensor"] not in sensors:
        raise ConfigError("control.sensor names no sensor")
    _default(control, "sv_min", 0.0)
    _default(control, "sv_max", 100.0)
    _default(control, "sv", control["sv_min"])
    _default(control, "kp", 10.0)
    _default(control, "ki", 0.02)
    _default(control, "kd", 0.0)
    for key in ("sv", "sv_min", "sv_max", "kp", "ki", "kd"):
        _need(control, key, "num", "control")
    if not control["sv_min"] <= control["sv"] <= control["sv_max"]:
        raise ConfigError("control.sv must lie within sv_min..sv_max")

    outputs = _section(cfg, "outputs")
    roles = {}
    for name in outputs:
        o = outputs[name]
        where = "outputs." + name
        if type(o) is not dict or o.get("role") not in OUTPUT_ROLES:
            raise ConfigError("%s.role must be heat, cool or switch" % where)
        _default(o, "active_high", True)
        _need(o, "active_high", "bool", where)
        if o["role"] == "switch":
            _default(o, "failsafe", "off")
            if o["failsafe"] not in SWITCH_FAILSAFE:
                raise ConfigError("%s.failsafe must be off or hold" % where)
        else:
            _default(o, "cycle_ms", 2000 if o["role"] == "heat" else 20000)
            _default(o, "min_pulse_ms", o["cycle_ms"] // 20)
            _need(o, "cycle_ms", "int", where)
            _need(o, "min_pulse_ms", "int", where)
            if o["cycle_ms"] < 100 or not 0 <= o["min_pulse_ms"] * 2 <= o["cycle_ms"]:
                raise ConfigError("%s: cycle_ms >= 100 and min_pulse_ms <= cycle_ms/2" % where)
        roles[o["role"]] = True
        if name in sensors or name in ("sv", "out", "manual_out", "mode"):
            raise ConfigError("%s: the name is already a tag" % where)
    _default(control, "out_min", -100.0 if roles.get("cool") else 0.0)
    _default(control, "out_max", 100.0 if roles.get("heat") else 0.0)
    _need(control, "out_min", "num", "control")
    _need(control, "out_max", "num", "control")
    if not -100.0 <= control["out_min"] <= 0.0 <= control["out_max"] <= 100.0:
        raise ConfigError("control: need -100 <= out_min <= 0 <= out_max <= 100")

    inputs = _section(cfg, "inputs")
    for name in inputs:
        i = inputs[name]
        if type(i) is not dict:
            raise ConfigError("inputs.%s must be an object" % name)
        _default(i, "kind", name if name in INPUT_KINDS else "digital")
        if i["kind"] not in INPUT_KINDS:
            raise ConfigError("inputs.%s.kind must be estop, level or digital" % name)
        if name in outputs or name in sensors or name in RESERVED_TAGS:
            raise ConfigError("inputs.%s: the name is already a tag" % name)

    analogs = _section(cfg, "analog")
    for name in analogs:
        if name in outputs or name in sensors or name in inputs or name in RESERVED_TAGS:
            raise ConfigError("analog.%s: the name is already a tag" % name)
        _analog(analogs[name], "analog." + name)

    locks = _section(cfg, "interlocks")
    _default(locks, "trip_hyst_c", 2.0)
    _need(locks, "trip_hyst_c", "num", "interlocks")
    trips = locks.get("trip_c")
    if trips is None:
        trips = {}
    elif protocol.is_num(trips):
        trips = {control["sensor"]: trips}
    elif type(trips) is not dict:
        raise ConfigError("interlocks.trip_c must be a number or {sensor: number}")
    for name in trips:
        if name not in sensors or not protocol.is_num(trips[name]):
            raise ConfigError("interlocks.trip_c.%s: unknown sensor or not a number" % name)
    if roles.get("heat") and control["sensor"] not in trips:
        raise ConfigError("a zone that heats needs an over-temperature trip on its control sensor")
    locks["trip_c"] = trips
    level = locks.get("heater_needs")
    if level is not None and level not in inputs:
        raise ConfigError("interlocks.heater_needs names no input")
    _min_level(locks, analogs, inputs)
    _type_tags(cfg, ztype, outputs, inputs, analogs)
    _pins_unique(cfg, sensors, outputs, inputs, analogs)
    return cfg


def _analog(a, where):
    # A level transmitter: 4-20 mA across a shunt (NE 43 limits), or a voltage through a divider.
    if type(a) is not dict:
        raise ConfigError("%s must be an object" % where)
    pin = _need(a, "pin", "int", where)
    if pin not in analog.ADC1_PINS:
        raise ConfigError("%s.pin must be an ADC1 pin, GPIO 1-10 (ADC2 is unusable while the Wi-Fi runs)"
                          % where)
    _default(a, "signal", analog.CURRENT)
    if a["signal"] not in analog.SIGNALS:
        raise ConfigError("%s.signal must be %s or %s" % (where, analog.CURRENT, analog.VOLTAGE))
    _default(a, "atten_db", 11)
    full_mv = analog.full_scale_mv(a["atten_db"]) if protocol.is_num(a["atten_db"]) else None
    if full_mv is None:
        raise ConfigError("%s.atten_db must be 0, 2.5, 6 or 11" % where)
    _default(a, "unit", "%")
    _default(a, "min", 0)
    _default(a, "max", 100)
    _need(a, "unit", "str", where)
    if _need(a, "min", "num", where) >= _need(a, "max", "num", where):
        raise ConfigError("%s: min must be below max" % where)
    current = a["signal"] == analog.CURRENT
    if current:
        if not _need(a, "shunt_ohm", "num", where) > 0:
            raise ConfigError("%s.shunt_ohm must be positive" % where)
        # NE 43's limits are the standard's, not a setting
        a["fault_low"] = analog.NE43_LOW_MA
        a["fault_high"] = analog.NE43_HIGH_MA
        _default(a, "cal", [[4.0, a["min"]], [20.0, a["max"]]])
        top = analog.NE43_HIGH_MA
    else:
        _default(a, "divider", 1.0)
        if not _need(a, "divider", "num", where) >= 1.0:
            raise ConfigError("%s.divider must be >= 1 (volts in per volt at the pin)" % where)
        _default(a, "cal", [[0.0, a["min"]], [10.0, a["max"]]])
        for key in ("fault_low", "fault_high"):
            if a.get(key) is not None:
                _need(a, key, "num", where)
            else:
                a[key] = None
        top = None
    cal = a["cal"]
    if type(cal) is not list or len(cal) < 2:
        raise ConfigError("%s.cal must list at least two [signal, value] points" % where)
    last = None
    for p in cal:
        if (type(p) is not list or len(p) != 2 or not protocol.is_num(p[0])
                or not protocol.is_num(p[1])):
            raise ConfigError("%s.cal: each point is [signal, value] (got %r)" % (where, p))
        if last is not None and not (p[0] > last[0] and p[1] != last[1]):
            raise ConfigError("%s.cal: signals must rise and values differ from point to point" % where)
        last = p
    if current and not (analog.NE43_LOW_MA < cal[0][0] and cal[-1][0] < analog.NE43_HIGH_MA):
        raise ConfigError("%s.cal: points must lie between NE 43's 3.6 and 21 mA" % where)
    if not current:
        top = cal[-1][0] if a["fault_high"] is None else max(cal[-1][0], a["fault_high"])
    # The ADC must see beyond the top of the signal, or a short circuit reads as a full vessel.
    pin_mv = analog.uv_of(top, a) / 1000.0
    if pin_mv > 0.95 * full_mv:
        raise ConfigError("%s: %g %s gives %d mV at the pin, beyond the ADC's %d mV at %s dB (less 5 %%); "
                          "%s" % (where, top, "mA" if current else "V", pin_mv, full_mv, a["atten_db"],
                                  "use a smaller shunt" if current else "divide more (a larger divider)"))
    if current and analog.uv_of(analog.NE43_LOW_MA, a) / 1000.0 < 0.05 * full_mv:
        raise ConfigError("%s: shunt_ohm too small: 3.6 mA must read above 5 %% of the ADC's range" % where)
    for key, default, high in (("samples", 4, 64), ("average", 10, 200), ("fault_passes", 3, 100)):
        _default(a, key, default)
        if not 1 <= _need(a, key, "int", where) <= high:
            raise ConfigError("%s.%s must be 1..%d" % (where, key, high))


def _min_level(locks, analogs, inputs):
    # The heater also needs the analog level above a minimum: a second channel next to the float
    # switch (heater_needs), never instead of it (diverse: a drifting transmitter can read 30 % in
    # an empty kettle, a float switch cannot).
    m = locks.get("heater_min_level")
    if m is None:
        return
    where = "interlocks.heater_min_level"
    if type(m) is not dict or m.get("tag") not in analogs:
        raise ConfigError("%s.tag must name an analog input" % where)
    if locks.get("heater_needs") is None:
        raise ConfigError("%s needs interlocks.heater_needs (the float switch) as well: the analog "
                          "level is a second channel, not a replacement" % where)
    _default(m, "hyst", 2.0)
    a = analogs[m["tag"]]
    if not a["min"] <= _need(m, "min", "num", where) < a["max"]:
        raise ConfigError("%s.min must lie within the input's range" % where)
    if _need(m, "hyst", "num", where) < 0:
        raise ConfigError("%s.hyst must not be negative" % where)


def _pins_unique(cfg, sensors, outputs, inputs, analogs):
    # Two functions on one GPIO would drive a valve from another output's state: refuse.
    used = {}
    for name in sensors:
        s = sensors[name]
        for key in ("pin", "cs", "sck", "mosi", "miso"):
            if s.get(key) is not None:
                used[s[key]] = "sensors." + name  # one-wire buses and the SPI bus are shared
    led = (cfg.get("led") or {}).get("pin")
    if led is not None:
        used[led] = "led"
    for section, items in (("outputs", outputs), ("inputs", inputs), ("analog", analogs)):
        for name in items:
            pin = _need(items[name], "pin", "int", section + "." + name)
            if pin in used:
                raise ConfigError("%s.%s: GPIO %d is already %s" % (section, name, pin, used[pin]))
            used[pin] = section + "." + name


def _tls(mqtt):
    # false (plain MQTT), true (CA file brewpi-cert.pem), or {"ca": file, "server_name": name}
    tls = mqtt.get("tls")
    if tls is None or tls is False:
        mqtt["tls"] = None
        return
    if tls is True:
        tls = {}
    if type(tls) is not dict:
        raise ConfigError("mqtt.tls must be false, true or {ca, server_name}")
    _default(tls, "ca", TLS_CA_DEFAULT)
    _default(tls, "server_name", mqtt["host"])
    for key in ("ca", "server_name"):
        if not _need(tls, key, "str", "mqtt.tls"):
            raise ConfigError("mqtt.tls.%s must not be empty" % key)
    mqtt["tls"] = tls


def _type_tags(cfg, ztype, outputs, inputs, analogs):
    omit = cfg.get("omit_tags")
    if omit is None:
        omit = cfg["omit_tags"] = []
    if type(omit) is not list:
        raise ConfigError("omit_tags must be a list of tag names")
    wanted = TYPE_TAGS.get(ztype, {})
    for name in wanted:
        if name in omit:
            continue
        if wanted[name] == "switch":
            o = outputs.get(name)
            if o is None or o["role"] != "switch":
                raise ConfigError("a %s zone needs outputs.%s (role switch) for the plant's interlocks, "
                                  "or %s in omit_tags" % (ztype, name, name))
            if o["failsafe"] != "off":
                raise ConfigError("outputs.%s.failsafe must be off: its safe state is off" % name)
        elif wanted[name] == "analog":
            a = analogs.get(name)
            if a is None:
                raise ConfigError("a %s zone needs analog.%s (a level transmitter) for the plant's interlocks, "
                                  "or %s in omit_tags" % (ztype, name, name))
            if (a["unit"], a["min"], a["max"]) != ("%", 0, 100):
                raise ConfigError("analog.%s must read %% from 0 to 100, as the plant's interlocks expect" % name)
        else:
            i = inputs.get(name)
            if i is None or i["kind"] != "level":
                raise ConfigError("a %s zone needs inputs.%s (kind level) for the plant's interlocks, "
                                  "or %s in omit_tags" % (ztype, name, name))


def tag_defs(cfg):
    """The tags the zone exposes, as listed in its birth message."""
    control = cfg["control"]
    tags = []
    for name in sorted(cfg["sensors"]):
        s = cfg["sensors"][name]
        tags.append({"name": name, "kind": "analog", "unit": "degC", "min": s["min"], "max": s["max"],
                     "rw": False})
    for name in sorted(cfg["analog"]):
        a = cfg["analog"][name]
        tags.append({"name": name, "kind": "analog", "unit": a["unit"], "min": a["min"], "max": a["max"],
                     "rw": False})
    tags.append({"name": "sv", "kind": "analog", "unit": "degC", "min": control["sv_min"],
                 "max": control["sv_max"], "rw": True})
    for name in ("out", "manual_out"):
        tags.append({"name": name, "kind": "analog", "unit": "%", "min": control["out_min"],
                     "max": control["out_max"], "rw": name == "manual_out"})
    tags.append({"name": "mode", "kind": "enum", "values": list(MODES), "rw": True})
    for name in sorted(cfg["outputs"]):
        tags.append({"name": name, "kind": "bool", "rw": cfg["outputs"][name]["role"] == "switch"})
    for name in sorted(cfg["inputs"]):
        tags.append({"name": name, "kind": "bool", "rw": False})
    return tags
