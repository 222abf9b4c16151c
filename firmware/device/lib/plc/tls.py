# MQTT over TLS: an SSL context that trusts only the certificate (or CA) in a file on the PLC and
# checks the broker's name, handed to umqtt.simple (>= 1.4 takes `ssl=<context>` and calls
# wrap_socket(sock, server_hostname=server)). The same code runs on CPython, whose ssl module has
# the same SSLContext calls, so the host tests exercise it against a real TLS broker.
#
# MicroPython's SSLContext starts with verify_mode CERT_NONE: without the line below, any
# certificate would be accepted. There is no fallback to plain MQTT anywhere: a context that cannot
# be built, or a client that would not use it, fails the connect attempt.


class TlsError(Exception):
    pass


class PinnedContext:
    """Wraps an SSLContext so the handshake checks `server_name` (a name in the box's certificate)
    rather than the address umqtt connects to: the box's self-signed certificate names its host
    name, localhost and 127.0.0.1, not its LAN address. Counts the sockets it wrapped, so the link
    can prove the client really went through TLS."""

    check_hostname = True  # paho (host adapter): the wrapped context checks the name itself

    def __init__(self, context, server_name):
        self.context = context
        self.server_name = server_name
        self.wrapped = 0

    def wrap_socket(self, sock, server_hostname=None, **kw):
        self.wrapped += 1
        return self.context.wrap_socket(sock, server_hostname=self.server_name, **kw)


def context(tls_cfg, ssl_module=None):
    """A PinnedContext for mqtt.tls ({"ca": file, "server_name": name}); raises TlsError with the
    reason when the file is missing or holds no certificate."""
    if ssl_module is None:
        import ssl as ssl_module
    ca = tls_cfg["ca"]
    try:
        with open(ca, "rb") as f:
            data = f.read()
    except OSError as e:
        raise TlsError("CA file %s unreadable (%s)" % (ca, e.args[0] if e.args else e))
    if b"-----BEGIN CERTIFICATE-----" not in data and not data.startswith(b"\x30"):
        raise TlsError("CA file %s holds no PEM or DER certificate" % ca)
    try:
        ctx = ssl_module.SSLContext(ssl_module.PROTOCOL_TLS_CLIENT)
        ctx.verify_mode = ssl_module.CERT_REQUIRED
        ctx.load_verify_locations(cafile=ca)
    except Exception as e:
        raise TlsError("CA file %s refused (%s)" % (ca, e))
    if ctx.verify_mode != ssl_module.CERT_REQUIRED:
        raise TlsError("the SSL context would not verify the broker")
    return PinnedContext(ctx, tls_cfg["server_name"])


def client_ignores_context(client):
    """True for a umqtt.simple older than 1.4: it keeps `ssl_params` and would wrap the socket
    with ussl.wrap_socket(), unverified, instead of calling our context."""
    return hasattr(client, "ssl_params")
