# The whole firmware loop under MicroPython, on a virtual clock with an in-memory broker: the
# watchdog, the link's will and back-off, commands, duplicates, malformed input and fail-safe.
import json

import fakes
from mptest import eq
from plc import config, protocol
from plc.app import App
from plc.ticks import ticks_diff

ROOT = "brewpi/v1"


class Plant:
    def __init__(self, zone="fv1", start=0, **overrides):
        with open("/zones/%s/config.json" % zone) as f:
            raw = json.loads(f.read())
        raw.update(overrides)
        self.cfg = config.parse(json.dumps(raw))
        self.zone = zone
        self.broker = fakes.Broker()
        self.hw = fakes.Hardware(self.cfg)
        self.clock = fakes.Clock(start)
        self.wdt = fakes.Watchdog()
        self.logs = []
        self.app = App(self.cfg, self.hw, self.broker.factory, wdt=self.wdt, clock=self.clock,
                       sleep_ms=self.clock.sleep_ms, log=self.logs.append, boot_id=4242)
        self.passes = 0
        self.heartbeats = False
        self.hb_seq = 0
        self.last_hb = None
        self.failsafe_at = None
        self.start = start

    def elapsed(self):
        return ticks_diff(self.clock(), self.start)

    def run(self, ms):
        end = self.elapsed() + ms
        self.app.run(lambda: self._pass(end))

    def _pass(self, end):
        # called by the loop before every pass
        if self.passes and self.app.fs.in_failsafe and self.failsafe_at is None:
            self.failsafe_at = self.elapsed()
        if self.elapsed() >= end:
            return True
        self.passes += 1
        if self.heartbeats and (self.last_hb is None or self.elapsed() - self.last_hb >= 1000):
            self.hb_seq += 1
            self.last_hb = self.elapsed()
            self.broker.deliver(ROOT + "/scada/heartbeat", {"v": 1, "seq": self.hb_seq, "t": 1})
        return False

    def scada(self, state):
        self.broker.deliver(ROOT + "/scada/status", {"v": 1, "state": state})

    def cmd(self, payload):
        self.broker.deliver("%s/%s/cmd" % (ROOT, self.zone), payload)

    def acks(self):
        return self.broker.messages("/ack")

    def statuses(self):
        return self.broker.messages("/status")


def _online(zone="fv1", **overrides):
    p = Plant(zone, **overrides)
    p.heartbeats = True
    p.run(200)
    p.scada("online")
    p.run(1000)
    eq(p.app.fs.state, "online")
    return p


def test_connects_with_will_and_announces_itself():
    p = Plant()
    p.run(100)
    client = p.broker.clients[0]
    eq(client.client_id, "fv1")
    eq(client.user, "fv1")
    eq(client.will, (ROOT + "/fv1/status", protocol.will(), True, 1))
    eq(client.subs, [(ROOT + "/fv1/cmd", 1), (ROOT + "/scada/heartbeat", 0), (ROOT + "/scada/status", 1)])
    eq(client.sock.timeout, 2.0, "socket reads bounded after check_msg")
    first = p.broker.published[:3]
    eq([(t.split("/")[-1], r, q) for t, m, r, q in first], [("birth", True, 1), ("status", True, 1), ("event", False, 1)])
    birth = json.loads(first[0][1])
    eq(protocol.check("birth", birth, "fv1"), None)
    eq((birth["boot"], birth["failsafe"], birth["period_ms"]), (4242, "hold_last", 1000))
    eq(json.loads(first[1][1]), {"v": 1, "state": "online", "boot": 4242})
    boot = json.loads(first[2][1])
    eq((boot["kind"], boot["code"], boot["msg"]), ("info", "boot", "fw 1.0.0, reset cause watchdog"))


def test_password_goes_as_utf8_bytes():
    # umqtt counts a str's length in characters: a non-ASCII password must travel as bytes
    p = Plant(mqtt={"host": "broker", "password": "contrase\u00f1a"})
    p.run(100)
    eq(p.broker.clients[0].pswd, b"contrase\xc3\xb1a")


def test_everything_published_is_valid():
    p = _online("hlt")
    p.cmd({"v": 1, "id": "c-1", "op": "write", "tag": "pump", "value": True})
    p.cmd({"v": 1, "id": "c-2", "op": "write", "tag": "sv", "value": 99})
    p.heartbeats = False
    p.run(7000)
    kinds = {}
    for topic, payload, retain, qos in p.broker.published:
        kind = topic.split("/")[-1]
        obj, reason, detail = protocol.decode(kind, payload, "hlt")
        eq(reason, None, "%s %s %s" % (kind, payload, detail))
        kinds[kind] = True
    eq(sorted(kinds), ["ack", "birth", "event", "status", "tele"])


def test_failsafe_within_timeout_plus_one_period():
    for zone in ("fv1", "hlt"):
        p = _online(zone)
        p.run(2500)
        p.heartbeats = False
        stopped = p.last_hb
        p.run(7000)
        fs_at = p.failsafe_at
        eq(fs_at is not None, True, zone + " entered fail-safe")
        late = fs_at - stopped - p.cfg["hb_timeout_ms"]
        eq(0 <= late <= p.cfg["period_ms"], True, "%s: %d ms after the timeout" % (zone, late))
        eq(p.statuses()[-1], {"v": 1, "state": "failsafe", "boot": 4242, "reason": "heartbeat_timeout"})
        entered = [e for e in p.broker.messages("/event") if e["kind"] == "failsafe"]
        eq((entered[-1]["code"], entered[-1]["active"]), ("heartbeat_timeout", True))


def test_duplicate_command_acted_on_once_and_answered_alike():
    p = _online()
    p.cmd({"v": 1, "id": "c-a", "op": "write", "tag": "sv", "value": 20.0})
    p.run(100)
    p.cmd({"v": 1, "id": "c-b", "op": "write", "tag": "sv", "value": 25.0})
    p.run(100)
    p.cmd({"v": 1, "id": "c-a", "op": "write", "tag": "sv", "value": 20.0})  # redelivered
    p.run(100)
    eq(p.app.zone.sv, 25.0, "the redelivered write was not applied again")
    acks = [a for a in p.acks() if a["id"] == "c-a"]
    eq(acks, [{"v": 1, "id": "c-a", "ok": True}] * 2)
    eq((p.app.commands, p.app.duplicates), (2, 1))


def test_malformed_commands_get_an_error_ack_and_change_nothing():
    p = _online("hlt")
    before = p.app.zone.tag_values()
    bad = [
        {"v": 1, "id": "m-1", "op": "explode"},
        {"v": 1, "id": "m-2", "op": "write", "tag": "sv"},
        {"v": 1, "id": "m-3", "op": "write", "tag": "sv", "value": [50]},
        {"v": 1, "id": "m-4", "op": "write", "value": 50},
        {"v": 2, "id": "m-5", "op": "write", "tag": "sv", "value": 50},
        {"id": "m-6", "op": "write", "tag": "mode", "value": "auto"},
        [1, 2, 3],
        b'{"v":1,"id":"m-7","op":"write","tag":"sv","value":NaN}',
        b"\xff\xfe garbage",
        b"",
    ]
    for payload in bad:
        p.cmd(payload)
    p.run(500)
    acks = p.acks()
    eq(sorted(a["id"] for a in acks), ["m-1", "m-2", "m-3", "m-4", "m-5", "m-6"])
    for a in acks:
        eq((a["ok"], a["err"]), (False, "bad_request"), a["id"])
        eq(protocol.check("ack", a), None)
    eq(p.app.zone.tag_values(), before)
    eq(sum(p.app.rejects.values()), len(bad))
    eq(p.app.rejects["cmd/not_json"], 3)
    eq(len([line for line in p.logs if line.startswith("protocol: rejected")]), 1, "logged once a minute")


def test_refused_writes_change_nothing():
    p = _online("hlt")
    before = p.app.zone.tag_values()
    for i, (tag, value, err) in enumerate([("sv", 120.0, "out_of_range"), ("pv", 1.0, "read_only"),
                                           ("nope", 1, "unknown_tag"), ("pump", "on", "bad_type")]):
        p.cmd({"v": 1, "id": "r-%d" % i, "op": "write", "tag": tag, "value": value})
        p.run(100)
        eq(p.acks()[-1]["err"], err, tag)
    eq(p.app.zone.tag_values(), before)


def test_off_zone_stays_off_until_reset():
    p = _online("hlt")
    p.cmd({"v": 1, "id": "o-1", "op": "write", "tag": "mode", "value": "auto"})
    p.cmd({"v": 1, "id": "o-2", "op": "write", "tag": "pump", "value": True})
    p.run(200)
    p.heartbeats = False
    p.run(6500)
    eq(p.app.fs.state, "failsafe")
    eq(p.hw.outputs, {"heater": False, "pump": False})
    p.cmd({"v": 1, "id": "o-3", "op": "reset"})
    p.run(100)
    eq(p.acks()[-1]["err"], "failsafe", "reset refused without heartbeats")
    p.heartbeats = True
    p.run(3000)
    eq(p.app.fs.state, "failsafe", "heartbeats alone do not restore an off zone")
    p.cmd({"v": 1, "id": "o-4", "op": "write", "tag": "mode", "value": "auto"})
    p.run(100)
    eq(p.acks()[-1]["err"], "failsafe", "writes wait for the reset")
    p.cmd({"v": 1, "id": "o-5", "op": "reset"})
    p.run(100)
    eq(p.acks()[-1], {"v": 1, "id": "o-5", "ok": True})
    eq(p.app.fs.state, "online")
    eq(p.statuses()[-1]["state"], "online")
    eq((p.app.zone.mode, p.hw.outputs["pump"]), ("off", False), "online again, but nothing restarted")


def test_hold_last_leaves_by_itself():
    p = _online("fv1")
    p.heartbeats = False
    p.run(6500)
    eq(p.app.fs.state, "failsafe")
    eq(p.app.zone.mode, "auto", "keeps regulating")
    p.heartbeats = True
    p.last_hb = None
    p.run(200)
    eq(p.app.fs.state, "online")
    left = [e for e in p.broker.messages("/event") if e["kind"] == "failsafe"][-1]
    eq((left["code"], left["active"]), ("heartbeat_timeout", False))


def test_scada_offline_is_failsafe_at_once():
    p = _online()
    p.scada("offline")
    p.run(100)
    eq((p.app.fs.state, p.app.fs.reason), ("failsafe", "scada_offline"))


def test_restarted_scada_may_reuse_ids():
    p = _online()
    p.cmd({"v": 1, "id": "c-000001", "op": "write", "tag": "sv", "value": 20.0})
    p.run(100)
    p.scada("offline")
    p.run(100)
    p.scada("online")
    p.last_hb = None
    p.run(200)
    p.cmd({"v": 1, "id": "c-000001", "op": "reset"})
    p.run(100)
    eq(p.app.fs.state, "online")
    eq(p.app.commands, 2, "the new SCADA's c-000001 is a new command")


def test_broker_loss_backoff_and_recovery():
    p = _online("fv1", mqtt={"host": "broker", "backoff_min_ms": 500, "backoff_max_ms": 4000})
    reads = p.hw.reads
    p.broker.up = False
    p.run(30000)
    eq((p.app.fs.state, p.app.fs.reason), ("failsafe", "broker_lost"))
    eq(p.hw.reads - reads >= 30000 // 50 - 2, True, "the loop kept running: %d" % (p.hw.reads - reads))
    attempts = len(p.broker.clients) - 1
    # 500, 1000, 2000, 4000, 4000...: about 10 tries in 30 s with jitter (half to full back-off)
    eq(7 <= attempts <= 16, True, "%d attempts" % attempts)
    eq(p.app.link.backoff_ms, 4000, "capped")
    p.broker.take()
    p.broker.up = True
    p.run(4100)
    eq(p.app.link.connected, True, "back within the cap")
    kinds = [t.split("/")[-1] for t, m, r, q in p.broker.published]
    eq(kinds[:2], ["birth", "status"])
    eq(json.loads(p.broker.published[1][1])["state"], "failsafe")
    events = p.broker.messages("/event")
    eq((events[0]["code"], events[0]["active"]), ("broker_lost", True), "the backlog is delivered")
    p.run(1500)
    eq(p.app.fs.state, "online", "hold_last: back with the heartbeats")


def test_tele_every_period_with_one_sequence():
    p = _online("hlt")
    p.broker.take()
    p.run(5000)
    tele = [m for m in p.broker.messages("/tele")]
    eq(4 <= len(tele) <= 6, True, "%d tele in 5 s" % len(tele))
    p.cmd({"v": 1, "id": "t-1", "op": "write", "tag": "pump", "value": True})
    n = len(p.broker.messages("/tele"))
    p.run(100)
    eq(len(p.broker.messages("/tele")), n + 1, "a switch change goes out at once")
    seqs = [m["seq"] for m in p.broker.messages("/tele") + p.broker.messages("/event")]
    seqs.sort()
    eq(seqs, list(range(seqs[0], seqs[0] + len(seqs))), "one gap-free sequence")


def test_watchdog_fed_by_the_loop_only():
    p = Plant()
    p.app.step(p.clock())
    eq(p.wdt.feeds, 0, "a step does not feed")
    p.run(1000)
    eq(p.wdt.feeds, p.passes)

    def broken(now):
        raise RuntimeError("sensor bus hung")

    p.hw.read_temperatures = broken
    feeds = p.wdt.feeds
    try:
        p.run(1000)
    except RuntimeError:
        pass
    else:
        raise AssertionError("the loop swallowed the error")
    eq(p.wdt.feeds, feeds, "no feed after the failure: the watchdog will reset the board")


def test_a_flood_does_not_starve_the_loop():
    p = _online()
    for i in range(300):
        p.cmd({"v": 1, "id": "f-%d" % i, "op": "ping"})
    reads = p.hw.reads
    p.run(1000)
    eq(p.hw.reads - reads >= 19, True, "every pass still read the sensors")
    eq(len(p.acks()) >= 64, True)


def test_runs_across_the_clock_wrap():
    p = Plant("fv1", start=(1 << 30) - 2000)
    p.heartbeats = True
    p.run(200)
    p.scada("online")
    p.run(6000)
    eq(p.app.fs.state, "online", "no false heartbeat timeout at the wrap")
    tele = p.broker.messages("/tele")
    eq(tele[-1]["t"] > tele[0]["t"], True, "PLC time keeps rising")


def test_status_led():
    p = Plant("hlt")
    p.run(200)
    eq(p.hw.colour, "green", "connected")
    p.hw.colours = []
    p.hw.inputs["estop"] = True
    p.run(1000)
    eq(sorted(set(p.hw.colours), key=str), [None, "red"], "E-stop: red blink")
    eq(len(p.hw.colours) >= 6, True, "fast blink")
    p.hw.inputs["estop"] = False
    p.run(6000)
    eq(p.app.fs.state, "failsafe", "no heartbeats in this test")
    p.hw.colours = []
    p.run(2000)
    eq(p.hw.colours, [], "steady")
    eq(p.hw.colour, "red", "fail-safe, policy off")
    p = Plant("fv1")
    p.run(6000)
    eq(p.hw.colour, "amber", "fail-safe, hold_last")
    q = Plant("fv1")
    q.broker.up = False
    q.run(1000)
    eq(sorted(set(q.hw.colours), key=str), [None, "blue"], "connecting")


def test_reset_clears_a_cooled_overtemp_trip():
    p = _online("hlt")
    p.cmd({"v": 1, "id": "h-1", "op": "write", "tag": "mode", "value": "auto"})
    p.hw.pv = 95.0
    p.run(200)
    p.cmd({"v": 1, "id": "h-2", "op": "reset"})
    p.run(100)
    eq(p.acks()[-1], {"v": 1, "id": "h-2", "ok": True,
                      "msg": "overtemp stays latched until 3.0 K below the trip"})
    p.hw.pv = 60.0
    p.run(500)
    eq("overtemp" in p.app.zone.interlocks.active, True, "latched")
    p.cmd({"v": 1, "id": "h-3", "op": "reset"})
    p.run(100)
    eq(p.acks()[-1], {"v": 1, "id": "h-3", "ok": True})
    cleared = [e for e in p.broker.messages("/event") if e["code"] == "overtemp"]
    eq([e["active"] for e in cleared], [True, False])
