# The MQTT link: one client with the umqtt.simple interface (umqtt on the board, a paho-backed
# adapter on the host), connected with a will, reconnected with a capped, jittered back-off.
# poll() never waits long: a connect attempt is bounded by connect_timeout_ms and only happens when
# the back-off allows, so the control loop keeps running while the network is away.
import random

from plc import protocol, tls
from plc.ticks import ticks_add, ticks_diff

INBOX_LIMIT = 64        # messages kept between two polls; more means a flood, the excess is dropped
DRAIN_PER_POLL = 16     # messages read per poll, so a flood cannot starve the control loop


class Link:
    def __init__(self, cfg, client_factory, on_up, on_down, net=None, log=print, tls_factory=None):
        mqtt = cfg["mqtt"]
        self.zone = cfg["zone"]
        self.mqtt = mqtt
        self.root = mqtt["topic_root"]
        self.base = self.root + "/" + self.zone + "/"
        self.topic_cmd = self.base + "cmd"
        self.topic_heartbeat = self.root + "/scada/heartbeat"
        self.topic_scada = self.root + "/scada/status"
        self.client_factory = client_factory
        self.tls_factory = tls_factory or tls.context
        self.on_up = on_up
        self.on_down = on_down
        self.net = net
        self.log = log
        self.client = None
        self.connected = False
        self.next_attempt = None  # None: try at once
        self.backoff_ms = mqtt["backoff_min_ms"]
        self.last_ping = 0
        self.inbox = []
        self.dropped = 0
        self.connects = 0
        self.failures = 0

    # ---- incoming ------------------------------------------------------------------------------

    def _on_message(self, topic, msg):
        # Called from inside the client (also while it waits for a PUBACK): only queue here.
        if len(self.inbox) >= INBOX_LIMIT:
            self.dropped += 1
            return
        if type(topic) is not str:
            try:
                topic = bytes(topic).decode("utf-8")
            except Exception:
                topic = "?"  # brokers only route valid UTF-8 topics; nothing of ours matches this
        self.inbox.append((topic, bytes(msg)))

    def take_messages(self):
        msgs = self.inbox
        self.inbox = []
        return msgs

    # ---- connection ----------------------------------------------------------------------------

    def poll(self, now):
        if self.connected:
            self._drain(now)
            return
        if self.next_attempt is not None and ticks_diff(now, self.next_attempt) < 0:
            return
        if self.net is not None and not self.net.is_up():
            self.net.ensure(now)
            self._schedule_retry(now)
            return
        self._connect(now)

    def _connect(self, now):
        m = self.mqtt
        client = None
        try:
            extra = {}
            ctx = None
            if m["tls"] is not None:
                # Built afresh per attempt (a CA file copied on later is picked up); any problem
                # fails this attempt: with TLS configured nothing ever goes out in plain.
                ctx = self.tls_factory(m["tls"])
                extra["ssl"] = ctx
            # umqtt sends the password whenever a user is set ("" rather than None), and counts
            # str lengths in characters: bytes keep a non-ASCII password intact.
            client = self.client_factory(self.zone, m["host"], port=m["port"], user=m["user"] or None,
                                         password=(m["password"] or "").encode("utf-8"),
                                         keepalive=m["keepalive_s"], **extra)
            if ctx is not None and tls.client_ignores_context(client):
                client = None
                raise tls.TlsError("umqtt.simple too old to verify the broker (needs >= 1.4)")
            client.set_callback(self._on_message)
            client.set_last_will(self.base + "status", protocol.will(), retain=True, qos=1)
            client.connect(clean_session=True, timeout=m["connect_timeout_ms"] / 1000.0)
            if ctx is not None and ctx.wrapped == 0:
                raise tls.TlsError("the client connected without TLS")
            self.client = client
            self._restore_timeout()
            client.subscribe(self.topic_cmd, 1)
            client.subscribe(self.topic_heartbeat, 0)
            client.subscribe(self.topic_scada, 1)
        except Exception as e:
            self.failures += 1
            self.log("mqtt: connect to %s:%d%s failed (%s), next try in %d ms" % (
                m["host"], m["port"], " (TLS)" if m["tls"] else "", _describe(e), self.backoff_ms))
            self._close(client)
            self.client = None
            self._schedule_retry(now)
            return
        self.connected = True
        self.connects += 1
        self.backoff_ms = m["backoff_min_ms"]
        self.next_attempt = None
        self.last_ping = now
        self.log("mqtt: connected to %s:%d%s" % (m["host"], m["port"], " over TLS" if m["tls"] else ""))
        self.on_up(now)

    def _schedule_retry(self, now):
        # Jitter (half to full back-off) keeps a plant's PLCs from reconnecting in lockstep.
        half = self.backoff_ms // 2
        delay = half + random.getrandbits(16) % (half + 1)
        self.next_attempt = ticks_add(now, delay)
        self.backoff_ms = min(self.backoff_ms * 2, self.mqtt["backoff_max_ms"])

    def _drain(self, now):
        try:
            for _ in range(DRAIN_PER_POLL):
                if self.client.check_msg() is None:
                    break
            self._restore_timeout()
            if ticks_diff(now, self.last_ping) >= self.mqtt["keepalive_s"] * 500:
                self.client.ping()
                self.last_ping = now
        except Exception as e:
            self.drop(now, "receive failed: " + _describe(e))

    def _restore_timeout(self):
        # umqtt's check_msg leaves its socket blocking with no timeout; a broker that vanishes
        # mid-publish would then hang the loop until the watchdog bites.
        sock = getattr(self.client, "sock", None)
        if sock is not None and hasattr(sock, "settimeout"):
            sock.settimeout(self.mqtt["connect_timeout_ms"] / 1000.0)

    def drop(self, now, why):
        """The connection is gone (or unusable): close it without DISCONNECT so the broker
        publishes our will, and retry after the back-off."""
        if not self.connected:
            return
        self.connected = False
        self.log("mqtt: link lost (%s)" % why)
        self._close(self.client)
        self.client = None
        self._schedule_retry(now)
        self.on_down(now)

    def _close(self, client):
        sock = getattr(client, "sock", None) if client is not None else None
        if sock is not None:
            try:
                sock.close()
            except Exception:
                pass

    # ---- outgoing ------------------------------------------------------------------------------

    def publish(self, now, suffix, payload, retain=False, qos=0):
        """Publishes to {root}/{zone}/{suffix}; False when the link is down (or just went down)."""
        if not self.connected:
            return False
        try:
            self.client.publish(self.base + suffix, payload, retain, qos)
            return True
        except Exception as e:
            self.drop(now, "publish failed: " + _describe(e))
            return False


def _describe(e):
    # OSError and ssl errors carry (code, text): both say what went wrong
    return "%s %s" % (type(e).__name__, " ".join(str(a) for a in e.args[:2]))
