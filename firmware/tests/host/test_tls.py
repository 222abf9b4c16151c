# MQTT over TLS from the firmware's own link code (plc.tls + plc.link, paho under the umqtt
# interface) against a real Mosquitto with a TLS listener and a certificate made as the box makes
# its own: connects with the pinned certificate, refuses an impostor's and a wrong name, and with
# TLS on never says a word of MQTT in plain.
import socket
import threading
import time
import unittest

from harness import Firmware, Scada, unique, zone_config
from tls_broker import TlsBroker


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.broker = TlsBroker()

    @classmethod
    def tearDownClass(cls):
        cls.broker.close()

    def firmware(self, port, **tls):
        cfg = zone_config("fv1", mqtt={"host": "127.0.0.1", "port": port, "tls": tls, "password": "s3cret-pw",
                                       "backoff_min_ms": 100, "backoff_max_ms": 400})
        fw = Firmware(cfg).start()
        self.addCleanup(self._stop, fw)
        return fw

    def _stop(self, fw):
        fw.close()
        if fw.error is not None:
            self.fail("firmware loop died: %r" % (fw.error,))

    def wait_failures(self, fw, n, timeout=10):
        deadline = time.monotonic() + timeout
        while fw.app.link.failures < n:
            self.assertLess(time.monotonic(), deadline, "\n".join(fw.logs))
            time.sleep(0.02)

    def test_connects_with_the_pinned_certificate_and_runs_the_zone(self):
        b = self.broker
        for server_name in ("127.0.0.1", "localhost"):  # the address, or another name in the certificate
            fw = self.firmware(b.tls_port, ca=b.cert, server_name=server_name)
            scada = Scada(fw.cfg, address=("127.0.0.1", b.plain_port))
            self.addCleanup(scada.close)
            scada.online()
            scada.heartbeats(True)
            status = scada.wait_for(lambda k, m: k == "status" and m["state"] == "online", 10)
            self.assertIsNotNone(status, "\n".join(fw.logs) + b.logged())
            birth = scada.wait_for(lambda k, m: k == "birth", 2)
            tags = dict((t["name"], t["rw"]) for t in birth["tags"])
            self.assertEqual((tags["cip"], tags["product_valve"]), (True, True))
            ack = scada.command({"v": 1, "op": "write", "tag": "product_valve", "value": True})
            self.assertEqual((ack["ok"], fw.app.link.failures), (True, 0), ack)
            self.assertTrue(any("over TLS" in line for line in fw.logs), fw.logs)
            self.assertEqual(scada.invalid, [])

    def test_an_impostor_certificate_is_refused(self):
        b = self.broker
        fw = self.firmware(b.tls_port, ca=b.other_cert, server_name="localhost")
        watcher = Scada(fw.cfg, address=("127.0.0.1", b.plain_port))
        self.addCleanup(watcher.close)
        self.wait_failures(fw, 3)
        self.assertFalse(fw.app.link.connected)
        self.assertTrue(any("CERTIFICATE_VERIFY_FAILED" in line for line in fw.logs), fw.logs[-3:])
        self.assertEqual(watcher.of_kind("birth") + watcher.of_kind("status"), [], "nothing reached the broker")

    def test_a_name_the_certificate_does_not_carry_is_refused(self):
        b = self.broker
        fw = self.firmware(b.tls_port, ca=b.cert, server_name="brewpi.example.org")
        self.wait_failures(fw, 2)
        self.assertFalse(fw.app.link.connected)
        self.assertTrue(any("mismatch" in line for line in fw.logs), fw.logs[-3:])

    def test_no_fallback_to_plain(self):
        b = self.broker
        # a plain broker (the throw-away one's plain listener): the handshake fails, no CONNECT
        fw = self.firmware(b.plain_port, ca=b.cert, server_name="localhost")
        self.wait_failures(fw, 3)
        self.assertFalse(fw.app.link.connected)
        fw.close()

        # a listener that records what the PLC sends: a TLS ClientHello every time, never the password
        rec = Recorder()
        self.addCleanup(rec.close)
        fw = self.firmware(rec.port, ca=b.cert, server_name="localhost")
        self.wait_failures(fw, 3)
        fw.close()
        got = rec.received()
        self.assertGreaterEqual(len(got), 3)
        for data in got:
            self.assertEqual(data[:2], b"\x16\x03", "a TLS handshake record, not MQTT CONNECT (0x10)")
            self.assertNotIn(b"s3cret-pw", data)
            self.assertNotIn(b"MQTT", data)

    def test_a_missing_ca_file_keeps_the_link_down(self):
        fw = self.firmware(self.broker.tls_port, ca="/nonexistent/" + unique("ca") + ".pem")
        self.wait_failures(fw, 2)
        self.assertFalse(fw.app.link.connected)
        self.assertIsNone(fw.app.link.client)
        self.assertTrue(any("unreadable" in line for line in fw.logs), fw.logs[-3:])


class Recorder:
    """A TCP listener that keeps the first bytes of each connection and hangs up."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.chunks = []
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            conn.close()
            with self.lock:
                self.chunks.append(data)

    def received(self):
        with self.lock:
            return list(self.chunks)

    def close(self):
        self.sock.close()


if __name__ == "__main__":
    unittest.main()
