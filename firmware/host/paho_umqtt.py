# umqtt.simple's MQTTClient interface on the host, backed by paho-mqtt (Debian's python3-paho-mqtt,
# run with /usr/bin/python3). Like umqtt it is synchronous and single-threaded: nothing happens on
# the network except inside these calls, it never reconnects by itself, and errors surface as
# OSError / MQTTException, so the firmware's Link behaves here as it does on the board.
import collections
import errno
import time

import paho.mqtt.client as paho

_PUBLISH = 0x30


class MQTTException(Exception):
    pass


class _Socket:
    """What the firmware may do with umqtt's socket: set a timeout, or close it abruptly (no
    DISCONNECT, so the broker publishes the will)."""

    def __init__(self, client):
        self._client = client

    def settimeout(self, seconds):
        self._client._io_timeout = seconds if seconds else 5.0

    def close(self):
        self._client._abandon()


class MQTTClient:
    def __init__(self, client_id, server, port=0, user=None, password=None, keepalive=0, ssl=None):
        self.client_id = client_id
        self.server = server
        self.port = port or (8883 if ssl else 1883)
        self.ssl = ssl  # an SSLContext-like object (umqtt.simple >= 1.4), as plc.tls makes
        self.user = user
        self.pswd = password
        self.keepalive = keepalive
        self.cb = None
        self.sock = None
        self._will = None
        self._paho = None
        self._inbox = collections.deque()
        self._io_timeout = 5.0
        self._connack = None
        self._subacks = {}
        self._lost = False

    def set_callback(self, f):
        self.cb = f

    def set_last_will(self, topic, msg, retain=False, qos=0):
        self._will = (_text(topic), bytes(msg), qos, retain)

    def connect(self, clean_session=True, timeout=None):
        c = paho.Client(client_id=_text(self.client_id), clean_session=clean_session,
                        protocol=paho.MQTTv311)
        if self.user:
            c.username_pw_set(_text(self.user), _text(self.pswd or ""))
        if self._will:
            topic, msg, qos, retain = self._will
            c.will_set(topic, msg, qos, retain)
        if self.ssl:
            # paho calls wrap_socket(sock, server_hostname=host, ...) as umqtt does
            c.tls_set_context(self.ssl)
        c.on_connect = self._on_connect
        c.on_message = self._on_message
        c.on_subscribe = self._on_subscribe
        c.on_disconnect = self._on_disconnect
        self._paho = c
        self._lost = False
        self._connack = None
        if timeout:
            self._io_timeout = timeout
        try:
            # OSError when refused; ssl.SSLError when the broker's certificate or name is wrong
            c.connect(self.server, self.port, self.keepalive or 60)
        except Exception:
            self._abandon()
            raise
        deadline = time.monotonic() + self._io_timeout
        while self._connack is None:
            if time.monotonic() > deadline:
                self._abandon()
                raise OSError(errno.ETIMEDOUT, "no CONNACK")
            self._pump(0.02)
        if self._connack != 0:
            self._abandon()
            raise MQTTException(self._connack)
        self.sock = _Socket(self)
        return False

    def disconnect(self):
        if self._paho is not None:
            self._paho.disconnect()
            self._paho.loop(0.05)
            self._paho = None

    def ping(self):
        self._pump(0.0)  # paho sends PINGREQ itself as keepalive requires

    def publish(self, topic, msg, retain=False, qos=0):
        self._alive()
        info = self._paho.publish(_text(topic), bytes(msg), qos, retain)
        if info.rc != paho.MQTT_ERR_SUCCESS:
            raise OSError(errno.ECONNRESET, paho.error_string(info.rc))
        self._pump(0.0)
        if qos == 1:
            deadline = time.monotonic() + self._io_timeout
            while not info.is_published():
                if time.monotonic() > deadline:
                    raise OSError(errno.ETIMEDOUT, "no PUBACK")
                self._pump(0.01)

    def subscribe(self, topic, qos=0):
        if self.cb is None:
            raise MQTTException("Subscribe callback is not set")
        self._alive()
        result, mid = self._paho.subscribe(_text(topic), qos)
        if result != paho.MQTT_ERR_SUCCESS:
            raise OSError(errno.ECONNRESET, paho.error_string(result))
        deadline = time.monotonic() + self._io_timeout
        while mid not in self._subacks:
            if time.monotonic() > deadline:
                raise OSError(errno.ETIMEDOUT, "no SUBACK")
            self._pump(0.01)
        if 0x80 in self._subacks.pop(mid):
            raise MQTTException(0x80)

    def check_msg(self):
        if not self._inbox:
            self._pump(0.0)
        if not self._inbox:
            return None
        topic, msg = self._inbox.popleft()
        self.cb(topic, msg)
        return _PUBLISH

    def wait_msg(self):
        while not self._inbox:
            self._pump(0.05)
        return self.check_msg()

    # ---- internals -----------------------------------------------------------------------------

    def _alive(self):
        if self._paho is None or self._lost:
            raise OSError(errno.ENOTCONN, "not connected")

    def _pump(self, timeout):
        self._alive()
        rc = self._paho.loop(timeout)
        if rc != paho.MQTT_ERR_SUCCESS or self._lost:
            self._lost = True
            raise OSError(errno.ECONNRESET, "connection lost (%s)" % paho.error_string(rc))

    def _abandon(self):
        # Drop the TCP connection without DISCONNECT, as a board losing power or Wi-Fi would.
        c = self._paho
        self._paho = None
        self._lost = True
        if c is not None:
            s = c.socket()
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass

    def _on_connect(self, client, userdata, flags, rc):
        self._connack = rc

    def _on_message(self, client, userdata, message):
        self._inbox.append((message.topic.encode("utf-8"), bytes(message.payload)))

    def _on_subscribe(self, client, userdata, mid, granted_qos):
        self._subacks[mid] = tuple(granted_qos)

    def _on_disconnect(self, client, userdata, rc):
        self._lost = True


def _text(x):
    return x.decode("utf-8") if isinstance(x, (bytes, bytearray)) else x
