# MQTT over TLS under MicroPython: the context trusts only the pinned certificate and checks the
# broker's name, and with TLS configured the link never connects in plain. The SSL module here is a
# stand-in with MicroPython's semantics (a new SSLContext verifies nothing until told to); the host
# tests (tests/host/test_tls.py) run the same code against a real TLS broker.
import json

import fakes
from mptest import eq, raises
from plc import config, tls
from plc.app import App

CA = "/pinned-ca.pem"
PEM = b"-----BEGIN CERTIFICATE-----\nbox\n-----END CERTIFICATE-----\n"


class FakeSsl:
    """MicroPython's ssl: CERT_NONE until set; the handshake fails when verification is on and the
    broker's certificate is not the pinned one or does not carry the name asked for."""
    PROTOCOL_TLS_CLIENT = 0
    CERT_NONE = 0
    CERT_REQUIRED = 2

    def __init__(self, server_cert=PEM, names=("brewpi", "localhost", "127.0.0.1")):
        self.server_cert = server_cert
        self.names = names
        self.handshakes = []
        ssl = self

        class SSLContext:
            def __init__(self, protocol):
                self.verify_mode = FakeSsl.CERT_NONE
                self.trusted = None

            def load_verify_locations(self, cafile=None, cadata=None):
                with open(cafile, "rb") as f:
                    self.trusted = f.read()

            def wrap_socket(self, sock, server_hostname=None):
                ssl.handshakes.append(server_hostname)
                if self.verify_mode == FakeSsl.CERT_REQUIRED:
                    if self.trusted != ssl.server_cert:
                        raise OSError(-9984, "MBEDTLS_ERR_X509_CERT_VERIFY_FAILED")
                    if server_hostname not in ssl.names:
                        raise OSError(-9984, "MBEDTLS_ERR_X509_CERT_VERIFY_FAILED (name)")
                return sock

        self.SSLContext = SSLContext


def _write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def _cfg(tls_cfg, **mqtt):
    with open("/zones/fv1/config.json") as f:
        raw = json.loads(f.read())
    raw["mqtt"]["tls"] = tls_cfg
    raw["mqtt"].pop("port")
    raw["mqtt"].update(mqtt)
    return config.parse(json.dumps(raw))


def _app(cfg, ssl, factory=None):
    broker = fakes.Broker()
    logs = []
    clock = fakes.Clock()
    app = App(cfg, fakes.Hardware(cfg), factory or broker.factory, clock=clock, sleep_ms=clock.sleep_ms,
              log=logs.append, boot_id=1, tls_factory=lambda t: tls.context(t, ssl))
    return app, broker, clock, logs


def _run(app, clock, ms):
    end = clock.now + ms
    app.run(lambda: clock.now >= end)


def test_config_tls_defaults_and_checks():
    cfg = _cfg(True)
    eq(cfg["mqtt"]["tls"], {"ca": "brewpi-cert.pem", "server_name": "192.168.1.2"})
    eq(cfg["mqtt"]["port"], 8883, "TLS port unless told otherwise")
    cfg = _cfg({"ca": CA, "server_name": "brewpi"}, port=9883)
    eq((cfg["mqtt"]["tls"]["server_name"], cfg["mqtt"]["port"]), ("brewpi", 9883))
    eq(_cfg(False)["mqtt"]["tls"], None)
    eq("mqtt.tls" in str(raises(config.ConfigError, _cfg, "yes")), True)
    eq("mqtt.tls.ca" in str(raises(config.ConfigError, _cfg, {"ca": ""})), True)
    eq("mqtt.tls.server_name" in str(raises(config.ConfigError, _cfg, {"server_name": 7})), True)


def test_context_verifies_and_names_the_broker():
    _write(CA, PEM)
    ssl = FakeSsl()
    ctx = tls.context({"ca": CA, "server_name": "brewpi"}, ssl)
    eq(ctx.context.verify_mode, FakeSsl.CERT_REQUIRED, "MicroPython would verify nothing otherwise")
    eq(ctx.context.trusted, PEM)
    ctx.wrap_socket(object(), server_hostname="192.168.1.2")
    eq((ssl.handshakes, ctx.wrapped), (["brewpi"], 1), "the name in the certificate, not the address")


def test_context_refuses_a_missing_or_empty_ca_file():
    eq("unreadable" in str(raises(tls.TlsError, tls.context, {"ca": "/nope.pem", "server_name": "b"}, FakeSsl())),
       True)
    _write("/empty.pem", b"not a certificate")
    eq("no PEM" in str(raises(tls.TlsError, tls.context, {"ca": "/empty.pem", "server_name": "b"}, FakeSsl())),
       True)


def test_link_connects_with_the_pinned_certificate():
    _write(CA, PEM)
    app, broker, clock, logs = _app(_cfg({"ca": CA, "server_name": "brewpi"}), FakeSsl())
    _run(app, clock, 200)
    eq(app.link.connected, True, logs)
    c = broker.clients[0]
    eq((c.server, c.port, c.ssl.wrapped), ("192.168.1.2", 8883, 1))
    eq(len(broker.messages("/birth")), 1)
    eq(True in ["over TLS" in line for line in logs], True)


def test_wrong_certificate_or_name_never_connects():
    _write(CA, b"-----BEGIN CERTIFICATE-----\nsomeone else\n-----END CERTIFICATE-----\n")
    app, broker, clock, logs = _app(_cfg({"ca": CA, "server_name": "brewpi"}), FakeSsl())
    _run(app, clock, 5000)
    eq(app.link.connected, False)
    eq(app.link.failures >= 3, True, "retried with back-off")
    eq([c.connected for c in broker.clients], [False] * len(broker.clients))
    eq(broker.published, [], "nothing sent")
    eq(True in ["VERIFY_FAILED" in line for line in logs], True, logs[-1:])

    _write(CA, PEM)
    app, broker, clock, logs = _app(_cfg({"ca": CA, "server_name": "elsewhere"}), FakeSsl())
    _run(app, clock, 1000)
    eq(app.link.connected, False, "the certificate does not name the broker")


def test_missing_ca_file_never_falls_back_to_plain():
    app, broker, clock, logs = _app(_cfg({"ca": "/absent.pem"}), FakeSsl())
    _run(app, clock, 3000)
    eq(app.link.connected, False)
    eq(broker.clients, [], "no client made: nothing could go out in plain")
    eq(True in ["unreadable" in line for line in logs], True)


def test_a_client_that_skips_the_context_is_refused():
    _write(CA, PEM)
    broker = fakes.Broker()

    def old_umqtt(*args, **kw):
        # umqtt.simple < 1.4: ssl is a flag, ssl_params go to an unverified ussl.wrap_socket
        c = broker.factory(*args, **kw)
        c.ssl_params = {}
        return c

    app, _, clock, logs = _app(_cfg({"ca": CA, "server_name": "brewpi"}), FakeSsl(), old_umqtt)
    _run(app, clock, 1000)
    eq((app.link.connected, [c.connected for c in broker.clients]), (False, [False] * len(broker.clients)))
    eq(True in ["too old" in line for line in logs], True)

    def plain_client(*args, **kw):
        kw.pop("ssl")  # a client that connects without ever calling our context
        return broker.factory(*args, **kw)

    app, _, clock, logs = _app(_cfg({"ca": CA, "server_name": "brewpi"}), FakeSsl(), plain_client)
    _run(app, clock, 1000)
    eq(app.link.connected, False)
    eq(True in ["without TLS" in line for line in logs], True)
