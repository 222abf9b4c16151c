#!/usr/bin/python3
"""Runs one zone's firmware on this computer: the real control loop, fail-safe and MQTT link, over a
simulated vessel, against a real broker. Useful to try a config.json before flashing a board, or to
stand in for a missing PLC.

    /usr/bin/python3 host/run_zone.py zones/fv1/config.json --host 127.0.0.1 --time-scale 60

Needs Debian's python3-paho-mqtt (hence /usr/bin/python3). Ctrl-C stops it; the broker then
publishes the zone's will (offline)."""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "device", "lib"))
sys.path.insert(0, HERE)

from paho_umqtt import MQTTClient  # noqa: E402
from plc import config  # noqa: E402
from plc.app import App  # noqa: E402
from plc.ticks import ticks_ms  # noqa: E402
from sim_hw import SimHardware  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("config", help="the zone's config.json")
    p.add_argument("--secrets", help="secrets.json with the broker password (optional)")
    p.add_argument("--host", help="broker host (default: the config's)")
    p.add_argument("--port", type=int, help="broker port (default: the config's)")
    p.add_argument("--user", help="MQTT user (default: the zone id)")
    p.add_argument("--password", help="MQTT password (default: from --secrets)")
    p.add_argument("--root", help="topic root (default: the config's, brewpi/v1)")
    p.add_argument("--zone", help="run under another zone id")
    p.add_argument("--tls-ca", help="MQTT over TLS, trusting this certificate file (the box's brewpi-cert.pem)")
    p.add_argument("--tls-name", help="name to check in the broker's certificate (default: --host)")
    p.add_argument("--time-scale", type=float, default=1.0, help="physics speed-up (default 1)")
    p.add_argument("--ambient", type=float, default=20.0, help="ambient degC (default 20)")
    args = p.parse_args(argv)

    with open(args.config) as f:
        text = f.read()
    secrets = None
    if args.secrets:
        with open(args.secrets) as f:
            secrets = f.read()
    raw = json.loads(text)
    if args.zone:
        raw["zone"] = args.zone
        raw.setdefault("mqtt", {})["user"] = args.zone
    mqtt = raw.setdefault("mqtt", {})
    for key, value in (("host", args.host), ("port", args.port), ("user", args.user),
                       ("password", args.password), ("topic_root", args.root)):
        if value is not None:
            mqtt[key] = value
    if args.tls_ca:
        mqtt["tls"] = {"ca": args.tls_ca}
        if args.tls_name:
            mqtt["tls"]["server_name"] = args.tls_name
    try:
        cfg = config.parse(json.dumps(raw), secrets)
    except config.ConfigError as e:
        print("config refused: %s" % e, file=sys.stderr)
        return 2
    hw = SimHardware(cfg, ticks_ms, time_scale=args.time_scale, ambient_c=args.ambient)
    app = App(cfg, hw, MQTTClient, sleep_ms=lambda ms: time.sleep(ms / 1000.0), hw_name="host-sim")
    print("zone %s (%s) on %s:%d%s, root %s, time x%g; Ctrl-C stops" % (
        cfg["zone"], cfg["type"], cfg["mqtt"]["host"], cfg["mqtt"]["port"],
        " (TLS)" if cfg["mqtt"]["tls"] else "",
        cfg["mqtt"]["topic_root"], args.time_scale))
    try:
        app.run()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
