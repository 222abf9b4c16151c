# The whole firmware loop on the host against the real broker: the simulated vessel stands in for
# the board's I/O, paho stands in for umqtt, everything else is the code that runs on the ESP32-S3.
import time
import unittest

from harness import CuttableLink, Firmware, Scada, zone_config


class LoopTest(unittest.TestCase):
    def setUp(self):
        self.relays = []

    def start(self, cfg, **sim):
        self.fw = Firmware(cfg, **sim).start()
        self.scada = Scada(cfg)
        self.addCleanup(self._stop)
        self.cfg = cfg
        self.hw = self.fw.hw
        self.app = self.fw.app

    def _stop(self):
        # firmware first (a clean DISCONNECT: no will), then the network, then the SCADA, which
        # clears what the run left retained on the shared broker
        self.fw.close()
        for relay in self.relays:
            relay.cut()
        self.scada.close()
        if self.fw.error is not None:
            self.fail("firmware loop died: %r\n%s" % (self.fw.error, "\n".join(self.fw.logs[-20:])))
        self.assertEqual(self.scada.invalid, [], "the zone published payloads that break the rules")

    def online(self):
        """SCADA up, heartbeats flowing, zone online."""
        self.scada.online()
        self.scada.heartbeats(True)
        status = self.scada.wait_for(lambda k, m: k == "status" and m["state"] == "online", 5)
        self.assertIsNotNone(status, "zone never came online:\n" + "\n".join(self.fw.logs))
        self.assertIsNotNone(self.scada.wait_for(lambda k, m: k == "birth", 2))

    def ok(self, payload):
        ack = self.scada.command(payload)
        self.assertIsNotNone(ack, "no ack for %s" % payload)
        self.assertTrue(ack["ok"], ack)
        return ack

    def refused(self, payload, err):
        ack = self.scada.command(payload)
        self.assertIsNotNone(ack, "no ack for %s" % payload)
        self.assertEqual((ack["ok"], ack.get("err")), (False, err), ack)
        return ack

    def wait_until(self, predicate, timeout, what):
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                self.fail("timed out waiting for " + what)
            time.sleep(0.01)

    def heater_stays_off(self, seconds):
        end = time.monotonic() + seconds
        switched = self.hw.switches["heater"]
        while time.monotonic() < end:
            self.assertFalse(self.hw.outputs["heater"], "heater on")
            time.sleep(0.005)
        self.assertEqual(self.hw.switches["heater"], switched, "heater pulsed")

    def failsafe_entry(self, since):
        return self.scada.wait_for(lambda k, m: k == "status" and m["state"] == "failsafe", 5, since)


class FailSafeTest(LoopTest):
    def check_entry_time(self, zone):
        self.start(zone_config(zone, period_ms=500))
        self.online()
        time.sleep(0.6)
        self.scada.heartbeats(False)
        stopped = self.scada.last_heartbeat
        status = self.failsafe_entry(stopped)
        self.assertIsNotNone(status, "no fail-safe after the heartbeats stopped")
        self.assertEqual(status["reason"], "heartbeat_timeout")
        took_ms = (self.scada.arrival(lambda k, m: k == "status" and m["state"] == "failsafe", stopped)
                   - stopped) * 1000.0
        timeout = self.cfg["hb_timeout_ms"]
        # the last heartbeat needs a moment to reach the zone: allow it 50 ms at the low end
        self.assertGreaterEqual(took_ms, timeout - 50, "fail-safe before the timeout")
        self.assertLessEqual(took_ms, timeout + self.cfg["period_ms"], "fail-safe too late")
        event = self.scada.wait_for(lambda k, m: k == "event" and m["kind"] == "failsafe", 1, stopped)
        self.assertEqual((event["code"], event["active"]), ("heartbeat_timeout", True))

    def test_hold_last_zone_enters_failsafe_within_timeout_plus_one_period(self):
        self.check_entry_time("fv1")

    def test_off_zone_enters_failsafe_within_timeout_plus_one_period(self):
        self.check_entry_time("hlt")

    def test_off_zone_stays_off_until_reset(self):
        self.start(zone_config("hlt"), t0=40.0)
        self.online()
        self.ok({"v": 1, "op": "write", "tag": "sv", "value": 70.0})
        self.ok({"v": 1, "op": "write", "tag": "mode", "value": "auto"})
        self.ok({"v": 1, "op": "write", "tag": "pump", "value": True})
        self.wait_until(lambda: self.hw.outputs["heater"], 3, "the heater to come on")
        self.scada.heartbeats(False)
        self.assertIsNotNone(self.failsafe_entry(self.scada.last_heartbeat))
        time.sleep(0.1)
        self.assertEqual(self.hw.outputs, {"heater": False, "pump": False})

        since = time.monotonic()
        self.scada.heartbeats(True)
        self.heater_stays_off(3 * self.cfg["hb_timeout_ms"] / 1000.0)
        self.assertFalse(self.hw.outputs["pump"])
        self.assertEqual(self.app.fs.state, "failsafe")
        self.assertIsNone(self.scada.wait_for(lambda k, m: k == "status" and m["state"] == "online", 0, since))
        self.refused({"v": 1, "op": "write", "tag": "mode", "value": "auto"}, "failsafe")

        self.ok({"v": 1, "op": "reset"})
        self.assertIsNotNone(self.scada.wait_for(lambda k, m: k == "status" and m["state"] == "online", 2, since))
        self.heater_stays_off(1.0)  # online, but heat is never restored by itself
        tele = self.scada.wait_for(lambda k, m: k == "tele", 1, time.monotonic())
        self.assertEqual((tele["tags"]["mode"], tele["tags"]["pump"]), ("off", False))
        self.ok({"v": 1, "op": "write", "tag": "mode", "value": "auto"})
        self.wait_until(lambda: self.hw.outputs["heater"], 3, "heat after the operator's restart")

    def test_hold_last_zone_keeps_the_temperature(self):
        # A badly insulated fermenter in a hot room at 60x speed: left alone it would warm by
        # 0.36 K per second; held by the local PID it stays at its setpoint through the fail-safe.
        cfg = zone_config("fv1", control={"sv": 18.0, "kp": 40.0, "ki": 15.0})
        self.start(cfg, time_scale=60.0, ambient_c=30.0, t0=18.0)
        self.hw.model.loss_w_per_k = 100.0
        self.hw.model.cool_w_per_k = 200.0
        self.online()
        time.sleep(5.0)  # settle
        self.scada.heartbeats(False)
        entered = self.failsafe_entry(self.scada.last_heartbeat)
        self.assertIsNotNone(entered)
        since = time.monotonic()
        valve = self.hw.switches["glycol_valve"]
        time.sleep(6.0)
        pvs = [m["tags"]["pv"] for m in self.scada.of_kind("tele", since)]
        self.assertGreater(len(pvs), 20)
        self.assertEqual(self.app.fs.state, "failsafe")
        self.assertEqual(self.app.zone.mode, "auto")
        self.assertLess(max(abs(pv - 18.0) for pv in pvs), 0.5, pvs)
        self.assertGreater(self.hw.switches["glycol_valve"] - valve, 5, "the valve kept cycling")

        self.scada.heartbeats(True)
        back = self.scada.wait_for(lambda k, m: k == "status" and m["state"] == "online", 2, since)
        self.assertIsNotNone(back, "hold_last leaves fail-safe by itself when heartbeats return")
        left = self.scada.wait_for(lambda k, m: k == "event" and m["kind"] == "failsafe"
                                   and not m["active"], 1, since)
        self.assertEqual(left["code"], "heartbeat_timeout")


class InterlockTest(LoopTest):
    def trip_and_clear(self, trip_at, mode):
        since = time.monotonic()
        self.hw.set_temperature(trip_at + 3.0)
        event = self.scada.wait_for(lambda k, m: k == "event" and m["code"] == "overtemp" and m["active"],
                                    1, since)
        self.assertIsNotNone(event, mode + ": no trip event")
        self.heater_stays_off(0.8)
        self.hw.set_temperature(trip_at - 10.0)
        self.heater_stays_off(0.5)  # latched: cooling down alone re-arms nothing
        since = time.monotonic()
        self.ok({"v": 1, "op": "reset"})
        cleared = self.scada.wait_for(lambda k, m: k == "event" and m["code"] == "overtemp"
                                      and not m["active"], 1, since)
        self.assertIsNotNone(cleared, mode + ": the reset did not clear the trip")

    def test_overtemp_trips_in_every_mode(self):
        cfg = zone_config("hlt")
        trip = cfg["interlocks"]["trip_c"]["pv"]
        self.start(cfg, t0=80.0)
        self.online()
        self.ok({"v": 1, "op": "write", "tag": "sv", "value": 85.0})
        for mode in ("off", "auto", "manual"):
            self.ok({"v": 1, "op": "write", "tag": "mode", "value": mode})
            if mode == "manual":
                self.ok({"v": 1, "op": "write", "tag": "manual_out", "value": 100.0})
            if mode != "off":
                self.hw.set_temperature(80.0)
                self.wait_until(lambda: self.hw.outputs["heater"], 2, mode + " heating")
            self.trip_and_clear(trip, mode)

    def test_overtemp_trips_in_failsafe(self):
        cfg = zone_config("fv1")
        trip = cfg["interlocks"]["trip_c"]["pv"]
        self.start(cfg, t0=18.0)
        self.online()
        self.ok({"v": 1, "op": "write", "tag": "mode", "value": "manual"})
        self.ok({"v": 1, "op": "write", "tag": "manual_out", "value": 100.0})
        self.scada.heartbeats(False)
        self.assertIsNotNone(self.failsafe_entry(self.scada.last_heartbeat))
        self.wait_until(lambda: self.hw.outputs["heater"], 2, "hold_last keeps heating")
        since = time.monotonic()
        self.hw.set_temperature(trip + 3.0)
        event = self.scada.wait_for(lambda k, m: k == "event" and m["code"] == "overtemp" and m["active"],
                                    1, since)
        self.assertIsNotNone(event, "no trip event in fail-safe")
        self.heater_stays_off(0.8)
        self.hw.set_temperature(trip - 10.0)
        self.refused({"v": 1, "op": "reset"}, "failsafe")  # no heartbeats: nothing is reset
        self.heater_stays_off(0.3)
        self.scada.heartbeats(True)
        self.wait_until(lambda: self.app.fs.state == "online", 2, "hold_last back online")
        self.ok({"v": 1, "op": "reset"})
        self.wait_until(lambda: self.hw.outputs["heater"], 2, "manual 100 % heats again after the reset")


class CommandTest(LoopTest):
    def test_duplicate_command_id_is_acted_on_once(self):
        self.start(zone_config("fv1"))
        self.online()
        first = {"v": 1, "id": "dup-1", "op": "write", "tag": "sv", "value": 20.0}
        self.ok(first)
        self.ok({"v": 1, "id": "dup-2", "op": "write", "tag": "sv", "value": 25.0})
        since = time.monotonic()
        self.scada.send(first)  # redelivered
        again = self.scada.wait_for(lambda k, m: k == "ack" and m["id"] == "dup-1", 3, since)
        self.assertEqual(again, {"v": 1, "id": "dup-1", "ok": True}, "answered as before")
        tele = self.scada.wait_for(lambda k, m: k == "tele", 2, time.monotonic())
        self.assertEqual(tele["tags"]["sv"], 25.0, "the old write was not applied again")
        self.assertEqual((self.app.commands, self.app.duplicates), (2, 1))
        acks = [a for a in self.scada.of_kind("ack") if a["id"] == "dup-1"]
        self.assertEqual(len(acks), 2)

    def test_malformed_commands_get_an_error_ack_and_change_nothing(self):
        self.start(zone_config("hlt"), t0=20.0)
        self.online()
        self.ok({"v": 1, "op": "write", "tag": "sv", "value": 55.0})
        self.ok({"v": 1, "op": "write", "tag": "pump", "value": True})
        zone = self.app.zone

        def state():
            return (zone.sv, zone.mode, zone.manual_out, dict(zone.switches))

        before = state()
        self.assertEqual(before[3], {"pump": True})
        with_id = [
            {"v": 1, "id": "m-1", "op": "explode"},
            {"v": 1, "id": "m-2", "op": "write", "tag": "sv"},
            {"v": 1, "id": "m-3", "op": "write", "tag": "sv", "value": {"x": 1}},
            {"v": 1, "id": "m-4", "op": "write", "value": 60},
            {"v": 2, "id": "m-5", "op": "write", "tag": "sv", "value": 60},
            {"id": "m-6", "op": "write", "tag": "pump", "value": False},
            {"v": 1, "id": "m-7", "op": "write", "tag": 5, "value": 60},
        ]
        since = time.monotonic()
        for payload in with_id:
            ack = self.scada.command(payload)
            self.assertIsNotNone(ack, payload)
            self.assertEqual((ack["ok"], ack["err"]), (False, "bad_request"), ack)
        for raw in (b"not json", b'{"v":1,"id":"m-8","op":"write","tag":"sv","value":NaN}', b"[1,2]",
                    b"\xff\xfe", b"{" * 5000):
            self.scada.send(raw)
        for refused in ({"v": 1, "op": "write", "tag": "sv", "value": 500}, {"v": 1, "op": "write", "tag": "pv", "value": 1},
                        {"v": 1, "op": "write", "tag": "nope", "value": 1}, {"v": 1, "op": "write", "tag": "pump", "value": "on"}):
            ack = self.scada.command(refused)
            self.assertFalse(ack["ok"], ack)
        time.sleep(0.3)
        acked = sorted(a["id"] for a in self.scada.of_kind("ack", since) if a["id"].startswith("m-"))
        self.assertEqual(acked, ["m-%d" % i for i in range(1, 8)], "no ack without a usable id")
        self.assertEqual(state(), before)
        self.assertEqual(sum(self.app.rejects.values()), len(with_id) + 5)
        self.assertEqual(self.app.rejects.get("cmd/too_large"), 1)
        # and the zone carries on
        self.assertIsNotNone(self.scada.wait_for(lambda k, m: k == "tele", 1, time.monotonic()))


class LinkTest(LoopTest):
    def test_network_loss_will_backoff_and_return(self):
        relay = CuttableLink()
        cfg = zone_config("fv1", mqtt={"host": "127.0.0.1", "port": relay.port})
        self.relays.append(relay)
        self.start(cfg)
        self.online()
        since = time.monotonic()
        relay.cut()
        will = self.scada.wait_for(lambda k, m: k == "status" and m["state"] == "offline", 3, since)
        self.assertIsNotNone(will, "the broker published the will")
        self.wait_until(lambda: self.app.fs.state == "failsafe", 2, "fail-safe on broker loss")
        self.assertEqual(self.app.fs.reason, "broker_lost")
        # the state flips a moment before the same loop pass raises (and counts) its event
        self.wait_until(lambda: any(b"broker_lost" in p for p in self.app.backlog), 1, "the event kept for later")
        passes = self.hw.switches["glycol_valve"] + self.hw.switches["heater"]
        tele_seq = self.app.seq
        time.sleep(4.0)
        failures = self.app.link.failures
        # 200, 400, 800, 1600, 1600 ms with jitter: a handful of tries, not a storm
        self.assertTrue(3 <= failures <= 12, "%d connect attempts in 4 s" % failures)
        self.assertEqual(self.app.link.backoff_ms, 1600)
        self.assertGreater(self.hw.switches["glycol_valve"] + self.hw.switches["heater"], passes,
                           "the loop kept regulating while the network was away")
        self.assertEqual(self.app.seq, tele_seq, "nothing counted as sent")

        since = time.monotonic()
        relay.restore()
        birth = self.scada.wait_for(lambda k, m: k == "birth", 3, since)
        self.assertIsNotNone(birth, "reconnected within the back-off cap")
        status = self.scada.wait_for(lambda k, m: k == "status", 1, since)
        self.assertEqual((status["state"], status["reason"]), ("failsafe", "broker_lost"))
        lost = self.scada.wait_for(lambda k, m: k == "event" and m["code"] == "broker_lost", 1, since)
        self.assertTrue(lost["active"], "the event from while it was away arrives")
        online = self.scada.wait_for(lambda k, m: k == "status" and m["state"] == "online", 2, since)
        self.assertIsNotNone(online, "hold_last back online with the heartbeats")
