# Stand-ins for the board's surroundings, for running the firmware loop under MicroPython on a
# virtual clock: an in-memory broker with umqtt's client interface, a vessel that holds still, a
# watchdog that counts. (The host tests run the same loop against the real Mosquitto.)
import json

from plc.ticks import ticks_add


class Broker:
    def __init__(self):
        self.up = True
        self.published = []   # (topic, payload bytes, retain, qos)
        self.clients = []
        self.refuse = 0       # CONNACK code to answer with (0 = accept)

    def deliver(self, topic, payload):
        if type(payload) is not bytes:
            payload = json.dumps(payload).encode()
        for c in self.clients:
            if c.connected and c.subscribed(topic):
                c.inbox.append((topic.encode(), payload))

    def messages(self, suffix):
        return [json.loads(p) for t, p, r, q in self.published if t.endswith(suffix)]

    def take(self):
        out = self.published
        self.published = []
        return out

    def factory(self, client_id, server, port=0, user=None, password=None, keepalive=0, ssl=None):
        c = Client(self, client_id, server, port, user, password, keepalive)
        c.ssl = ssl
        self.clients.append(c)
        return c


class Socket:
    def __init__(self, client):
        self.client = client
        self.timeout = None

    def settimeout(self, t):
        self.timeout = t

    def close(self):
        self.client.connected = False


class Client:
    def __init__(self, broker, client_id, server, port, user, password, keepalive):
        self.broker = broker
        self.client_id = client_id
        self.server = server
        self.port = port
        self.ssl = None
        self.user = user
        self.pswd = password
        self.keepalive = keepalive
        self.cb = None
        self.will = None
        self.connected = False
        self.subs = []
        self.inbox = []
        self.sock = None
        self.pings = 0

    def _check(self):
        if not self.connected or not self.broker.up:
            self.connected = False
            raise OSError(104)

    def set_callback(self, f):
        self.cb = f

    def set_last_will(self, topic, msg, retain=False, qos=0):
        self.will = (topic, msg, retain, qos)

    def connect(self, clean_session=True, timeout=None):
        if not self.broker.up:
            raise OSError(113)
        if self.ssl:
            # as umqtt.simple >= 1.4: the TLS handshake, before a byte of MQTT (CONNECT, password)
            self.ssl.wrap_socket(object(), server_hostname=self.server)
        if self.broker.refuse:
            raise Exception("MQTTException", self.broker.refuse)
        self.connected = True
        self.sock = Socket(self)
        return 0

    def subscribe(self, topic, qos=0):
        self._check()
        self.subs.append((topic, qos))

    def subscribed(self, topic):
        for t, q in self.subs:
            if t == topic:
                return True
        return False

    def publish(self, topic, msg, retain=False, qos=0):
        self._check()
        self.broker.published.append((topic, bytes(msg), retain, qos))

    def check_msg(self):
        self._check()
        if not self.inbox:
            return None
        topic, msg = self.inbox.pop(0)
        self.cb(topic, msg)
        return 0x30

    def ping(self):
        self._check()
        self.pings += 1

    def disconnect(self):
        self.connected = False


class Hardware:
    def __init__(self, cfg, pv=18.0):
        self.cfg = cfg
        self.pv = pv
        self.fault = None
        self.inputs = {}
        for name in cfg["inputs"]:
            self.inputs[name] = cfg["inputs"][name]["kind"] == "level"
        self.levels = {}  # analog inputs: value, or a fault code (str) to report
        for name in cfg.get("analog") or {}:
            self.levels[name] = 60.0
        self.outputs = {}
        self.colour = None
        self.colours = []
        self.reads = 0

    def read_temperatures(self, now):
        self.reads += 1
        return {"pv": (None if self.fault else self.pv, self.fault)}

    def read_inputs(self):
        return dict(self.inputs)

    def read_analog(self, now):
        out = {}
        for name in self.levels:
            x = self.levels[name]
            out[name] = (None, x) if type(x) is str else (x, None)
        return out

    def set_outputs(self, states):
        self.outputs = dict(states)

    def all_off(self):
        for name in self.outputs:
            self.outputs[name] = False

    def led(self, colour):
        self.colour = colour
        self.colours.append(colour)

    def epoch_ms(self):
        return None

    def reset_cause(self):
        return "watchdog"


class Clock:
    def __init__(self, start=0):
        self.now = start

    def __call__(self):
        return self.now

    def sleep_ms(self, ms):
        self.now = ticks_add(self.now, ms)


class Watchdog:
    def __init__(self):
        self.feeds = 0

    def feed(self):
        self.feeds += 1
