# Host-side harness: a firmware zone running its real loop in a thread (simulated vessel, paho-backed
# umqtt adapter) and a stand-in SCADA, both on the real broker. Every run uses its own topic root
# and zone ids, so parallel runs on the same broker never see each other.
import json
import os
import socket
import sys
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
FIRMWARE = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(FIRMWARE, "device", "lib"))
sys.path.insert(0, os.path.join(FIRMWARE, "host"))

import paho.mqtt.client as paho  # noqa: E402
from paho_umqtt import MQTTClient  # noqa: E402
from plc import config, protocol  # noqa: E402
from plc.app import App  # noqa: E402
from plc.ticks import ticks_ms  # noqa: E402
from sim_hw import SimHardware  # noqa: E402


def broker_address():
    # The machine's Mosquitto (anonymous allowed); FIRMWARE_TEST_BROKER=host:port points elsewhere.
    host, _, port = os.environ.get("FIRMWARE_TEST_BROKER", "127.0.0.1:1883").partition(":")
    return host, int(port or 1883)


def unique(prefix):
    return prefix + uuid.uuid4().hex[:10]


def zone_config(zone, **overrides):
    """A zone's config.json with a unique zone id and topic root and test-speed timing."""
    with open(os.path.join(FIRMWARE, "zones", zone, "config.json")) as f:
        raw = json.load(f)
    host, port = broker_address()
    zone_id = unique("t")
    raw["zone"] = zone_id
    raw["mqtt"].update({"host": host, "port": port, "user": zone_id, "password": "",
                        "topic_root": "fwtest/" + unique("r") + "/v1",
                        "backoff_min_ms": 200, "backoff_max_ms": 1600, "connect_timeout_ms": 1000})
    raw.update({"period_ms": 200, "loop_ms": 20, "hb_timeout_ms": 1000})
    for name in raw["outputs"]:
        o = raw["outputs"][name]
        if o["role"] != "switch":
            o["cycle_ms"] = 400
            o["min_pulse_ms"] = 0
    for key in list(overrides):
        value = overrides[key]
        if isinstance(value, dict) and isinstance(raw.get(key), dict):
            raw[key].update(value)
        else:
            raw[key] = value
    return config.parse(json.dumps(raw))


class Firmware:
    """The firmware loop in a thread, as main.py runs it on the board."""

    def __init__(self, cfg, time_scale=1.0, ambient_c=20.0, t0=None):
        self.cfg = cfg
        self.logs = []
        self.hw = SimHardware(cfg, ticks_ms, time_scale=time_scale, ambient_c=ambient_c, t0=t0)
        self.app = App(cfg, self.hw, MQTTClient, sleep_ms=lambda ms: time.sleep(ms / 1000.0),
                       log=self._log, hw_name="host-sim")
        self.stop = threading.Event()
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _log(self, line):
        self.logs.append("%.3f %s" % (time.monotonic(), line))

    def _run(self):
        try:
            self.app.run(self.stop.is_set)
        except BaseException as e:  # reported by the test's tearDown
            self.error = e

    def start(self):
        self.thread.start()
        return self

    def close(self):
        self.stop.set()
        self.thread.join(5)
        client = self.app.link.client
        if client is not None:
            client.disconnect()


class Scada:
    """Stands in for the SCADA: heartbeats, its retained status, commands; records every message
    the zone publishes (arrival time, kind, payload) and checks it against the protocol rules."""

    def __init__(self, cfg, heartbeat_ms=200, address=None):
        self.root = cfg["mqtt"]["topic_root"]
        self.zone = cfg["zone"]
        self.heartbeat_ms = heartbeat_ms
        self.messages = []  # (monotonic time, kind, payload dict)
        self.invalid = []
        self.cond = threading.Condition()
        self.beating = threading.Event()
        self.last_heartbeat = None
        self.hb_seq = 0
        self.cmd_seq = 0
        self.closed = False
        host, port = address or broker_address()
        self.client = paho.Client(client_id=unique("scada-"), clean_session=True, protocol=paho.MQTTv311)
        self.client.on_message = self._on_message
        self.client.will_set(self.root + "/scada/status", protocol.will(), 1, True)
        self.client.connect(host, port, 30)
        self.client.subscribe(self.root + "/" + self.zone + "/#", 1)
        self.client.loop_start()
        self.beater = threading.Thread(target=self._beat, daemon=True)
        self.beater.start()

    def _on_message(self, client, userdata, msg):
        kind = msg.topic.rsplit("/", 1)[-1]
        if kind == "cmd" or not msg.payload:
            return  # our own commands, our own clean-up of retained messages
        obj, reason, detail = protocol.decode(kind, msg.payload, self.zone)
        with self.cond:
            if reason is not None:
                self.invalid.append((kind, msg.payload, reason, detail))
            else:
                self.messages.append((time.monotonic(), kind, obj))
            self.cond.notify_all()

    def _beat(self):
        while not self.closed:
            if self.beating.wait(0.1) and not self.closed:
                self._heartbeat()
                time.sleep(self.heartbeat_ms / 1000.0)

    def _heartbeat(self):
        with self.cond:
            self.hb_seq += 1
            seq = self.hb_seq
        self.client.publish(self.root + "/scada/heartbeat",
                            json.dumps({"v": 1, "seq": seq, "t": int(time.time() * 1000)}), 0)
        self.last_heartbeat = time.monotonic()

    def online(self, state="online"):
        self.client.publish(self.root + "/scada/status", json.dumps({"v": 1, "state": state}), 1, True)

    def heartbeats(self, on):
        if on:
            self._heartbeat()  # one at once, so the caller can count from it
            self.beating.set()
        else:
            self.beating.clear()
            time.sleep(0.05)  # let a beat in flight finish before the caller reads last_heartbeat

    def send(self, payload, cid=None):
        """Publishes a command (dict, or raw bytes) and returns its id."""
        if isinstance(payload, dict):
            payload = dict(payload)
            if cid is None and "id" not in payload:
                self.cmd_seq += 1
                payload["id"] = "c-%06d" % self.cmd_seq
            cid = payload.get("id")
            payload = json.dumps(payload)
        self.client.publish(self.root + "/" + self.zone + "/cmd", payload, 1)
        return cid

    def command(self, payload, timeout=3.0):
        """Sends a command and waits for its ack (the protocol's 3 s)."""
        cid = self.send(payload)
        return self.wait_for(lambda k, m: k == "ack" and m["id"] == cid, timeout)

    def wait_for(self, match, timeout, since=0.0):
        """The first message since `since` (monotonic) that matches; None after the timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, kind, obj in self.messages:
                    if t >= since and match(kind, obj):
                        return obj
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def arrival(self, match, since=0.0):
        with self.cond:
            for t, kind, obj in self.messages:
                if t >= since and match(kind, obj):
                    return t
        return None

    def of_kind(self, kind, since=0.0):
        with self.cond:
            return [obj for t, k, obj in self.messages if k == kind and t >= since]

    def close(self):
        self.closed = True
        # leave nothing retained behind on the shared broker
        for topic in ("/scada/status", "/%s/birth" % self.zone, "/%s/status" % self.zone):
            self.client.publish(self.root + topic, b"", 1, True).wait_for_publish(2)
        self.client.disconnect()
        self.client.loop_stop()


class CuttableLink:
    """A TCP relay between the zone and the broker that the test can cut and restore: the
    network going away, without touching the shared broker."""

    def __init__(self):
        self.target = broker_address()
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.conns = []
        self.listener = None
        self.lock = threading.Lock()
        self.restore()

    def restore(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(4)
        self.listener = s
        threading.Thread(target=self._accept, args=(s,), daemon=True).start()

    def cut(self):
        with self.lock:
            listener, self.listener = self.listener, None
            conns, self.conns = self.conns, []
        listener.close()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def _accept(self, listener):
        while True:
            try:
                down, _ = listener.accept()
            except OSError:
                return
            try:
                up = socket.create_connection(self.target, timeout=2)
            except OSError:
                down.close()
                continue
            with self.lock:
                if self.listener is not listener:
                    down.close()
                    up.close()
                    return
                self.conns += [down, up]
            for a, b in ((down, up), (up, down)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while True:
                data = src.recv(4096)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.close()
            except OSError:
                pass
