# The PLC's main loop: readings -> interlocks -> control -> outputs, then the network, then the
# fail-safe clock. The hardware layer, the MQTT client factory, the network and the watchdog are
# passed in, so the same loop runs on the ESP32-S3 (main.py) and on the host (host/run_zone.py and
# the host tests).
import random

from plc import FW_VERSION, config, indicator, protocol
from plc.failsafe import FailSafe
from plc.link import Link
from plc.ticks import ticks_add, ticks_diff, ticks_ms
from plc.zone import Zone

ACK_MEMORY = 64           # command ids remembered for duplicate detection
EVENT_BACKLOG = 32        # events kept while the link is down
REJECT_LOG_MS = 60000     # a rejected payload is logged at most once per minute


class RecentAcks:
    """The answers to the last commands, by id: a redelivered command gets the same answer and is
    not acted on twice."""

    def __init__(self, size):
        self.size = size
        self.order = []
        self.acks = {}

    def get(self, cid):
        return self.acks.get(cid)

    def put(self, cid, payload):
        if cid not in self.acks:
            self.order.append(cid)
            if len(self.order) > self.size:
                del self.acks[self.order.pop(0)]
        self.acks[cid] = payload

    def clear(self):
        self.order = []
        self.acks = {}


class App:
    def __init__(self, cfg, hw, client_factory, net=None, wdt=None, clock=ticks_ms, sleep_ms=None,
                 log=print, boot_id=None, hw_name="esp32-s3", tls_factory=None):
        now = clock()
        self.cfg = cfg
        self.hw = hw
        self.wdt = wdt
        self.clock = clock
        self.sleep_ms = sleep_ms
        self.log = log
        self.boot = boot_id if boot_id is not None else random.getrandbits(31)
        self.zone = Zone(cfg, now)
        self.fs = FailSafe(cfg["failsafe"], cfg["hb_timeout_ms"], now)
        self.link = Link(cfg, client_factory, self._link_up, self._link_down, net, log, tls_factory)
        self.seq = 0  # one counter for tele and event: +1 per message within a boot
        self.uptime_ms = 0
        self.last_now = now
        self.next_tele = now
        self.backlog = []
        self.events_dropped = 0
        self.acks = RecentAcks(ACK_MEMORY)
        self.duplicates = 0
        self.commands = 0
        self.rejects = {}
        self.rejects_since_log = 0
        self.last_reject_log = None
        self.scada_online = None
        self.last_discrete = None
        self.led = None
        self.birth = protocol.birth(cfg["zone"], cfg["type"], FW_VERSION, hw_name, self.boot,
                                    cfg["failsafe"], cfg["period_ms"], config.tag_defs(cfg))
        cause = hw.reset_cause() if hasattr(hw, "reset_cause") else "unknown"
        self._event(now, "info", "boot", True, "fw %s, reset cause %s" % (FW_VERSION, cause))

    # ---- the loop ------------------------------------------------------------------------------

    def run(self, should_stop=None):
        """Runs until should_stop() is true (never, on the board). The watchdog is fed here and
        nowhere else: if this loop hangs, the board resets into its safe state."""
        loop_ms = self.cfg["loop_ms"]
        while should_stop is None or not should_stop():
            start = self.clock()
            self.step(start)
            if self.wdt is not None:
                self.wdt.feed()
            wait = loop_ms - ticks_diff(self.clock(), start)
            if wait > 0 and self.sleep_ms is not None:
                self.sleep_ms(wait)

    def step(self, now):
        elapsed = ticks_diff(now, self.last_now)
        if elapsed > 0:
            self.uptime_ms += elapsed
        self.last_now = now
        zone = self.zone
        zone.sense(self.hw.read_temperatures(now), self.hw.read_inputs(), self._read_analog(now))
        # Outputs first: whatever the network does next, the plant has been served.
        self.hw.set_outputs(zone.control(now))
        self.link.poll(now)
        for topic, payload in self.link.take_messages():
            self._dispatch(now, topic, payload)
        self.fs.tick(now)
        self._failsafe_changes(now)
        self.hw.set_outputs(zone.control(now))
        for kind, code, active, msg in zone.take_events():
            self._event(now, kind, code, active, msg)
        self._telemetry(now)
        self._show(now)

    def _read_analog(self, now):
        # A hardware layer without analog inputs reports none: the configured ones go BAD.
        read = getattr(self.hw, "read_analog", None)
        return read(now) if read is not None else {}

    # ---- network events ------------------------------------------------------------------------

    def _link_up(self, now):
        self.fs.link_up(now)
        link = self.link
        link.publish(now, "birth", self.birth, retain=True, qos=1)
        self._publish_status(now)
        backlog = self.backlog
        self.backlog = []
        for payload in backlog:
            if not link.publish(now, "event", payload, qos=1):
                self.backlog.append(payload)
        self.last_discrete = None  # a full tele right away

    def _link_down(self, now):
        self.fs.link_down(now)

    def _dispatch(self, now, topic, payload):
        link = self.link
        if topic == link.topic_heartbeat:
            obj, reason, detail = protocol.decode("heartbeat", payload)
            if reason is None:
                self.fs.heartbeat(now)
            else:
                self._rejected(now, "heartbeat", reason, detail)
        elif topic == link.topic_scada:
            obj, reason, detail = protocol.decode("scada_status", payload)
            if reason is None:
                online = obj["state"] == "online"
                if online and self.scada_online is False:
                    self.acks.clear()  # a restarted SCADA numbers its commands afresh
                self.scada_online = online
                self.fs.scada_status(online, now)
            else:
                self._rejected(now, "scada_status", reason, detail)
        elif topic == link.topic_cmd:
            self._command(now, payload)

    # ---- commands ------------------------------------------------------------------------------

    def _command(self, now, payload):
        cmd, reason, detail = protocol.parse(payload)
        cid = _usable_id(cmd)
        previous = self.acks.get(cid) if cid is not None else None
        if previous is not None:
            # Seen before (a QoS 1 redelivery, or a retry): the same answer, no second action.
            self.duplicates += 1
            self.link.publish(now, "ack", previous, qos=1)
            return
        if reason is None:
            problem = protocol.check("cmd", cmd)
            if problem is not None:
                reason, detail = problem
        if reason is not None:
            self._rejected(now, "cmd", reason, detail)
            if cid is not None:  # without an id there is nobody to answer
                self._answer(now, cid, protocol.ack(cid, False, "bad_request", reason + ": " + detail))
            return
        self.commands += 1
        ok, err, msg = self._execute(now, cmd)
        self._answer(now, cid, protocol.ack(cid, ok, err, msg))
        if ok:
            self._failsafe_changes(now)

    def _answer(self, now, cid, payload):
        self.acks.put(cid, payload)
        self.link.publish(now, "ack", payload, qos=1)

    def _execute(self, now, cmd):
        op = cmd["op"]
        if op == "ping":
            return True, None, None
        if op == "reset":
            if not self.fs.reset(now):
                return False, "failsafe", "cannot leave fail-safe: link, heartbeat or SCADA not healthy"
            return True, None, self.zone.reset_trips()
        if self.fs.in_failsafe:
            return False, "failsafe", "in fail-safe (%s): writes wait for the reset" % self.fs.reason
        return self.zone.write(cmd["tag"], cmd["value"])

    def _rejected(self, now, kind, reason, detail):
        key = kind + "/" + reason
        self.rejects[key] = self.rejects.get(key, 0) + 1
        self.rejects_since_log += 1
        if self.last_reject_log is None or ticks_diff(now, self.last_reject_log) >= REJECT_LOG_MS:
            self.log("protocol: rejected %d payload(s) since last report; latest %s (%s)" % (
                self.rejects_since_log, key, detail))
            self.rejects_since_log = 0
            self.last_reject_log = now

    # ---- fail-safe -----------------------------------------------------------------------------

    def _failsafe_changes(self, now):
        for entered, reason, cause in self.fs.take_changes():
            if entered:
                self.zone.enter_failsafe()
                self._event(now, "failsafe", reason, True, "fail-safe (%s), policy %s" % (
                    reason, self.fs.policy))
            else:
                self._event(now, "failsafe", reason, False, "online again (%s)" % cause)
            self._publish_status(now)

    def _publish_status(self, now):
        self.link.publish(now, "status", protocol.status(self.fs.state, self.boot, self.fs.reason),
                          retain=True, qos=1)

    # ---- telemetry and events ------------------------------------------------------------------

    def _plc_time(self):
        epoch = self.hw.epoch_ms() if hasattr(self.hw, "epoch_ms") else None
        return epoch if epoch is not None else self.uptime_ms

    def _event(self, now, kind, code, active, msg):
        self.log("event: %s %s %s %s" % (kind, code, "on" if active else "off", msg))
        self.seq += 1
        payload = protocol.event(self.boot, self.seq, self._plc_time(), kind, code, active, msg)
        if self.link.publish(now, "event", payload, qos=1):
            return
        if len(self.backlog) >= EVENT_BACKLOG:
            self.backlog.pop(0)
            self.events_dropped += 1
        self.backlog.append(payload)

    def _telemetry(self, now):
        discrete = self.zone.discrete_state()
        changed = discrete != self.last_discrete
        due = ticks_diff(now, self.next_tele) >= 0
        if not (changed or due) or not self.link.connected:
            return
        period = self.cfg["period_ms"]
        self.next_tele = ticks_add(self.next_tele, period) if due else self.next_tele
        if ticks_diff(now, self.next_tele) >= 0:
            self.next_tele = ticks_add(now, period)  # fell behind (link was down): start afresh
        self.seq += 1
        payload = protocol.tele(self.boot, self.seq, self._plc_time(), self.zone.tag_values(),
                                self.zone.bad_tags())
        if self.link.publish(now, "tele", payload):
            self.last_discrete = discrete
        else:
            self.seq -= 1  # not sent: no gap for the SCADA to count

    def _show(self, now):
        zone = self.zone
        locks = zone.interlocks
        pat = indicator.pattern(locks.all_off, bool(locks.active) or bool(zone.faults),
                                self.fs.in_failsafe, self.fs.policy, self.link.connected)
        colour = indicator.lit(pat, now)
        if colour != self.led:
            self.led = colour
            self.hw.led(colour)


def _usable_id(obj):
    # A command's id, also for one that fails validation, when it has a usable one.
    if type(obj) is dict:
        cid = obj.get("id")
        if type(cid) is str and 1 <= len(cid) <= protocol.MAX_ID_LEN:
            return cid
    return None
