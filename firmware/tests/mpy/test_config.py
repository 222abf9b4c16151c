# config.json + secrets.json: defaults, checks with clear messages, the tags a zone exposes.
import json

from mptest import eq, raises
from plc import config
from plc.config import ConfigError

ZONES = ("hlt", "mash", "kettle", "fv1", "fv2", "glycol")


def _read(zone):
    with open("/zones/%s/config.json" % zone) as f:
        return f.read()


def test_every_example_zone_loads():
    for z in ZONES:
        cfg = config.parse(_read(z))
        eq(cfg["zone"], z)
        hot = cfg["type"] in config.HOT_TYPES
        eq(cfg["failsafe"], "off" if hot else "hold_last", z + " policy")
        eq(cfg["start_mode"], "off" if hot else "auto", z + " start mode")


def test_secrets_are_merged_over_the_config():
    cfg = config.parse(_read("fv1"), '{"wifi":{"password":"w"},"mqtt":{"password":"m"}}')
    eq(cfg["wifi"]["password"], "w")
    eq(cfg["mqtt"]["password"], "m")
    eq(cfg["mqtt"]["host"], "192.168.1.2", "the rest kept")
    eq(cfg["mqtt"]["user"], "fv1", "user defaults to the zone id")


def test_minimal_config_gets_defaults():
    cfg = config.parse('{"zone":"fv9","type":"fermenter","sensors":{"pv":{"type":"ds18b20","pin":4}},'
                       '"omit_tags":["cip","product_valve"]}')
    eq(cfg["hb_timeout_ms"], 5000)
    eq(cfg["mqtt"]["port"], 1883)
    eq(cfg["mqtt"]["tls"], None, "plain MQTT unless the config asks for TLS")
    eq(cfg["mqtt"]["topic_root"], "brewpi/v1")
    eq(cfg["control"]["sensor"], "pv")


def _refused(text, secrets=None):
    return str(raises(ConfigError, config.parse, text, secrets))


def _with(zone, change):
    cfg = json.loads(_read(zone))
    change(cfg)
    return json.dumps(cfg)


def test_bad_configs_are_refused_with_the_field_named():
    eq("JSON" in _refused("{"), True)
    eq("zone" in _refused('{"zone":"FV#1","type":"fermenter"}'), True)
    eq("type" in _refused('{"zone":"x","type":"toaster"}'), True)
    eq("secrets" in _refused(_read("fv1"), "[1"), True)

    def no_trip(c):
        c["interlocks"] = {}
    eq("over-temperature" in _refused(_with("hlt", no_trip)), True, "heating without a trip")

    def bad_pin_role(c):
        c["outputs"]["heater"]["role"] = "toast"
    eq("outputs.heater.role" in _refused(_with("hlt", bad_pin_role)), True)

    def sv_outside(c):
        c["control"]["sv"] = 99.0
    eq("sv" in _refused(_with("fv1", sv_outside)), True)

    def bad_root(c):
        c["mqtt"]["topic_root"] = "brewpi/#"
    eq("topic_root" in _refused(_with("fv1", bad_root)), True)

    def accented_root(c):
        c["mqtt"]["topic_root"] = "cervecer\u00eda/v1"
    eq("ASCII" in _refused(_with("fv1", accented_root)), True)

    def level_unknown(c):
        c["interlocks"]["heater_needs"] = "nothing"
    eq("heater_needs" in _refused(_with("hlt", level_unknown)), True)

    def clash(c):
        c["outputs"]["sv"] = {"pin": 9, "role": "switch"}
    eq("already a tag" in _refused(_with("fv1", clash)), True)


def test_tags_follow_the_config():
    cfg = config.parse(_read("hlt"))
    tags = {}
    for t in config.tag_defs(cfg):
        tags[t["name"]] = t
    eq(sorted(tags), ["estop", "heater", "level_switch", "manual_out", "mode", "out", "pump", "pv", "sv"])
    eq(tags["pump"]["rw"], True, "switch outputs are writable")
    eq(tags["heater"]["rw"], False, "the loop drives the heater")
    eq(tags["sv"]["max"], 85.0)
    eq(tags["mode"]["values"], ["off", "auto", "manual"])
    eq((tags["out"]["min"], tags["out"]["max"]), (0.0, 100.0), "heat only")
    cfg = config.parse(_read("glycol"))
    out = [t for t in config.tag_defs(cfg) if t["name"] == "out"][0]
    eq((out["min"], out["max"]), (-100.0, 0.0), "cool only")
