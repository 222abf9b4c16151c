# A throw-away TLS broker for the host tests: a certificate made exactly as the box makes its own
# (keytool: self-signed EC P-256, names brewpi/localhost/127.0.0.1/::1, no CA flag; openssl takes
# the key out of the PKCS#12 for Mosquitto) and a Debian `mosquitto` process with a TLS listener and
# a plain one (for the stand-in SCADA) on free loopback ports. Everything lives in a temp folder
# that close() removes.
import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _need(tool):
    path = shutil.which(tool)
    if path is None and tool == "keytool" and os.environ.get("JAVA_HOME"):
        candidate = os.path.join(os.environ["JAVA_HOME"], "bin", "keytool")
        path = candidate if os.access(candidate, os.X_OK) else None
    if path is None:
        raise RuntimeError("%s is missing: the TLS tests need it (Debian: mosquitto, openssl, a JDK)" % tool)
    return path


def make_certificate(folder, name):
    """cert.pem and key.pem as the box makes them (TlsKeystore: keytool, then -exportcert -rfc)."""
    keytool = _need("keytool")
    store = os.path.join(folder, name + ".p12")
    cert = os.path.join(folder, name + "-cert.pem")
    key = os.path.join(folder, name + "-key.pem")
    env = dict(os.environ, KS_PASS="throwaway-" + name)
    subprocess.run([keytool, "-genkeypair", "-noprompt", "-alias", "brewpi", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2", "-dname",
                    "CN=brewpi, O=BrewPi Control", "-ext",
                    "SAN=dns:brewpi,dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1", "-storetype", "PKCS12",
                    "-keystore", store, "-storepass:env", "KS_PASS"], env=env, check=True, capture_output=True)
    subprocess.run([keytool, "-exportcert", "-rfc", "-alias", "brewpi", "-keystore", store, "-storetype", "PKCS12",
                    "-storepass:env", "KS_PASS", "-file", cert], env=env, check=True, capture_output=True)
    subprocess.run([_need("openssl"), "pkcs12", "-in", store, "-nodes", "-nocerts", "-passin", "env:KS_PASS",
                    "-out", key], env=env, check=True, capture_output=True)
    return cert, key


class TlsBroker:
    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="fw-tls-")
        self.process = None
        try:
            self.cert, key = make_certificate(self.folder, "box")
            self.other_cert, _ = make_certificate(self.folder, "impostor")
            self.tls_port = _free_port()
            self.plain_port = _free_port()
            conf = os.path.join(self.folder, "mosquitto.conf")
            with open(conf, "w") as f:
                f.write("per_listener_settings false\nallow_anonymous true\npersistence false\n"
                        "user %s\nlog_dest stderr\nlog_type error\nlog_type warning\n"
                        "listener %d 127.0.0.1\ncertfile %s\nkeyfile %s\n"
                        "listener %d 127.0.0.1\n" % (getpass.getuser(), self.tls_port, self.cert, key,
                                                     self.plain_port))
            self.log = open(os.path.join(self.folder, "mosquitto.log"), "w")
            self.process = subprocess.Popen([_need("mosquitto"), "-c", conf], stdout=self.log,
                                            stderr=subprocess.STDOUT)
            self._wait_listening()
        except BaseException:
            self.close()
            raise

    def _wait_listening(self):
        deadline = time.monotonic() + 10
        for port in (self.tls_port, self.plain_port):
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError("mosquitto exited: " + self.logged())
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("mosquitto not listening on %d: %s" % (port, self.logged()))
                    time.sleep(0.05)

    def logged(self):
        try:
            with open(os.path.join(self.folder, "mosquitto.log")) as f:
                return f.read()
        except OSError:
            return ""

    def close(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if getattr(self, "log", None) is not None:
            self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
