# The zone protocol (docs/protocol.md): payload validation and the PLC's encoders.
# Pure logic: runs unchanged on the ESP32-S3, under the MicroPython WebAssembly port and on CPython.
import json

VERSION = 1
MAX_PAYLOAD_BYTES = 4096

# Reject reasons, in the order the rules check them (the first failure wins).
TOO_LARGE = "too_large"
NOT_JSON = "not_json"
NOT_OBJECT = "not_object"
NO_VERSION = "no_version"
WRONG_VERSION = "wrong_version"
MISSING_FIELD = "missing_field"
BAD_TYPE = "bad_type"
BAD_VALUE = "bad_value"
_RANK = {MISSING_FIELD: 0, BAD_TYPE: 1, BAD_VALUE: 2}

ZONE_TYPES = ("hlt", "mash", "kettle", "fermenter", "brite", "glycol", "cip", "generic")
FAILSAFE_POLICIES = ("off", "hold_last")
TAG_KINDS = ("analog", "bool", "enum")
STATUS_STATES = ("online", "failsafe", "offline")
SCADA_STATES = ("online", "offline")
OPS = ("write", "reset", "ping")
EVENT_KINDS = ("interlock", "sensor", "failsafe", "info")
# Errors an ack may carry.
ERRORS = ("unknown_tag", "read_only", "out_of_range", "bad_type", "interlocked", "failsafe", "bad_request")
MAX_ID_LEN = 64

# Field types. "uint" is an integer that must not be negative (negative is bad_value).
_INT = "int"
_UINT = "uint"
_STR = "str"
_BOOL = "bool"
_NUM = "num"
_SCALAR = "scalar"  # number, boolean or string
_OBJ = "obj"
_LIST = "list"

# kind -> (required fields, optional fields); nested and value rules are in _check_values.
_FIELDS = {
    "birth": (
        (("zone", _STR), ("type", _STR), ("fw", _STR), ("hw", _STR), ("boot", _UINT),
         ("failsafe", _STR), ("period_ms", _INT), ("tags", _LIST)),
        (),
    ),
    "status": ((("state", _STR),), (("boot", _UINT), ("reason", _STR))),
    "tele": ((("boot", _UINT), ("seq", _UINT), ("t", _UINT), ("tags", _OBJ)), (("bad", _LIST),)),
    "cmd": ((("id", _STR), ("op", _STR)), ()),
    "ack": ((("id", _STR), ("ok", _BOOL)), (("err", _STR), ("msg", _STR))),
    "event": (
        (("boot", _UINT), ("seq", _UINT), ("t", _UINT), ("kind", _STR), ("code", _STR),
         ("active", _BOOL)),
        (("msg", _STR),),
    ),
    "heartbeat": ((("seq", _UINT), ("t", _UINT)), ()),
    "scada_status": ((("state", _STR),), ()),
}
KINDS = tuple(_FIELDS)


def is_int(x):
    # bool is not an integer on the wire (and True is an int on CPython, not on MicroPython)
    return type(x) is int


def is_num(x):
    return (type(x) is int) or (type(x) is float and x == x and x - x == 0.0)


def _type_ok(x, t):
    if t == _INT or t == _UINT:
        return type(x) is int
    if t == _STR:
        return type(x) is str
    if t == _BOOL:
        return type(x) is bool
    if t == _NUM:
        return is_num(x)
    if t == _SCALAR:
        return type(x) is str or type(x) is bool or is_num(x)
    if t == _OBJ:
        return type(x) is dict
    return type(x) is list


def valid_zone_id(z):
    # [a-z0-9][a-z0-9-]{0,31}; MicroPython's re has no {m,n}, so check by hand.
    if type(z) is not str or not 1 <= len(z) <= 32:
        return False
    for i in range(len(z)):
        c = z[i]
        if not ("a" <= c <= "z" or "0" <= c <= "9" or (c == "-" and i > 0)):
            return False
    return True


def _finite_everywhere(root):
    # Iterative walk: payloads may nest deeply and the ESP32's stack is small.
    stack = [root]
    while stack:
        x = stack.pop()
        t = type(x)
        if t is float:
            if x != x or x - x != 0.0:
                return False
        elif t is dict:
            stack.extend(x.values())
        elif t is list:
            stack.extend(x)
    return True


class _Problems:
    # Collects failures; the reason reported is the one that comes first in the rules.
    def __init__(self):
        self.reason = None
        self.detail = None

    def add(self, reason, detail):
        if self.reason is None or _RANK[reason] < _RANK[self.reason]:
            self.reason = reason
            self.detail = detail


def parse(data):
    """Bytes or str -> (object, None, None) or (None, reason, detail), checking size and JSON."""
    if type(data) is str:
        size = len(data.encode("utf-8"))
    else:
        size = len(data)
    if size > MAX_PAYLOAD_BYTES:
        return None, TOO_LARGE, "%d bytes > %d" % (size, MAX_PAYLOAD_BYTES)
    if type(data) is not str:
        try:
            data = bytes(data).decode("utf-8")
        except Exception:
            return None, NOT_JSON, "not UTF-8"
    try:
        obj = json.loads(data)
    except Exception:
        return None, NOT_JSON, "not JSON"
    if not _finite_everywhere(obj):
        return None, NOT_JSON, "NaN or Infinity"
    return obj, None, None


def check(kind, obj, zone=None):
    """An already parsed payload -> None when valid, else (reason, detail).

    `zone` is the zone named by the topic (birth's `zone` must match it)."""
    if type(obj) is not dict:
        return NOT_OBJECT, "not a JSON object"
    if "v" not in obj:
        return NO_VERSION, "no v"
    if type(obj["v"]) is not int or obj["v"] != VERSION:
        return WRONG_VERSION, "v is not %d" % VERSION
    required, optional = _FIELDS[kind]
    p = _Problems()
    for name, t in required:
        x = obj.get(name)
        if x is None:
            p.add(MISSING_FIELD, "no " + name)
        elif not _type_ok(x, t):
            p.add(BAD_TYPE, name + " has the wrong type")
        elif t == _UINT and x < 0:
            p.add(BAD_VALUE, name + " is negative")
    for name, t in optional:
        x = obj.get(name)
        if x is not None:
            if not _type_ok(x, t):
                p.add(BAD_TYPE, name + " has the wrong type")
            elif t == _UINT and x < 0:
                p.add(BAD_VALUE, name + " is negative")
    _check_values(kind, obj, zone, p)
    if p.reason is None:
        return None
    return p.reason, p.detail


def _one_of(p, obj, name, allowed):
    x = obj.get(name)
    if type(x) is str and x not in allowed:
        p.add(BAD_VALUE, "%s '%s' unknown" % (name, x))


def _check_values(kind, obj, zone, p):
    if kind == "cmd":
        _check_cmd(obj, p)
    elif kind == "birth":
        _check_birth(obj, zone, p)
    elif kind == "status":
        _one_of(p, obj, "state", STATUS_STATES)
    elif kind == "scada_status":
        _one_of(p, obj, "state", SCADA_STATES)
    elif kind == "event":
        _one_of(p, obj, "kind", EVENT_KINDS)
    elif kind == "ack":
        if obj.get("ok") is False and obj.get("err") is None:
            p.add(MISSING_FIELD, "a refusal needs err")
    elif kind == "tele":
        tags = obj.get("tags")
        if type(tags) is dict:
            for name in tags:
                x = tags[name]
                if x is not None and not _type_ok(x, _SCALAR):
                    p.add(BAD_TYPE, "tag %s has the wrong type" % name)
        bad = obj.get("bad")
        if type(bad) is list:
            for x in bad:
                if type(x) is not str:
                    p.add(BAD_TYPE, "bad lists tag names")


def _check_cmd(obj, p):
    cid = obj.get("id")
    if type(cid) is str and not 1 <= len(cid) <= MAX_ID_LEN:
        p.add(BAD_VALUE, "id must have 1..%d characters" % MAX_ID_LEN)
    op = obj.get("op")
    _one_of(p, obj, "op", OPS)
    if op != "write":
        return
    tag = obj.get("tag")
    if tag is None:
        p.add(BAD_VALUE, "write without tag")
    elif type(tag) is not str:
        p.add(BAD_TYPE, "tag has the wrong type")
    value = obj.get("value")
    if value is None:
        p.add(MISSING_FIELD, "write without value")
    elif not _type_ok(value, _SCALAR):
        p.add(BAD_TYPE, "value must be a number, boolean or string")


def _check_birth(obj, zone, p):
    z = obj.get("zone")
    if type(z) is str:
        if not valid_zone_id(z):
            p.add(BAD_VALUE, "zone id '%s' breaks the pattern" % z)
        elif zone is not None and z != zone:
            p.add(BAD_VALUE, "zone '%s' differs from the topic's '%s'" % (z, zone))
    _one_of(p, obj, "type", ZONE_TYPES)
    _one_of(p, obj, "failsafe", FAILSAFE_POLICIES)
    period = obj.get("period_ms")
    if type(period) is int and period <= 0:
        p.add(BAD_VALUE, "period_ms must be positive")
    tags = obj.get("tags")
    if type(tags) is not list:
        return
    names = {}
    for tag in tags:
        if type(tag) is not dict:
            p.add(BAD_TYPE, "a tag is not an object")
            continue
        for name, t in (("name", _STR), ("kind", _STR), ("rw", _BOOL)):
            x = tag.get(name)
            if x is None:
                p.add(MISSING_FIELD, "a tag has no " + name)
            elif not _type_ok(x, t):
                p.add(BAD_TYPE, "tag " + name + " has the wrong type")
        for name, t in (("unit", _STR), ("min", _NUM), ("max", _NUM)):
            x = tag.get(name)
            if x is not None and not _type_ok(x, t):
                p.add(BAD_TYPE, "tag " + name + " has the wrong type")
        tname = tag.get("name")
        if type(tname) is str:
            if not tname or tname in names:
                p.add(BAD_VALUE, "tag name '%s' empty or repeated" % tname)
            names[tname] = True
        _one_of(p, tag, "kind", TAG_KINDS)
        if tag.get("kind") == "enum":
            values = tag.get("values")
            if values is None:
                p.add(MISSING_FIELD, "enum tag without values")
            elif type(values) is not list:
                p.add(BAD_TYPE, "enum values must be a list")
            else:
                for x in values:
                    if type(x) is not str:
                        p.add(BAD_TYPE, "enum values must be strings")


def decode(kind, data, zone=None):
    """Bytes or str off the wire -> (object, None, None) or (None, reason, detail)."""
    obj, reason, detail = parse(data)
    if reason is not None:
        return None, reason, detail
    problem = check(kind, obj, zone)
    if problem is not None:
        return None, problem[0], problem[1]
    return obj, None, None


# ---- encoders: what the PLC publishes ---------------------------------------------------------

try:
    json.dumps({}, separators=(",", ":"))

    def _dumps(obj):
        return json.dumps(obj, separators=(",", ":"))
except TypeError:  # older MicroPython: no separators argument, payloads are a little larger
    def _dumps(obj):
        return json.dumps(obj)


def encode(obj):
    return _dumps(obj).encode("utf-8")


def wire_number(x, digits=3):
    """A float fit for the wire: rounded, and None for NaN/Infinity (never sent)."""
    if x is None:
        return None
    if type(x) is float:
        if x != x or x - x != 0.0:
            return None
        return round(x, digits)
    return x


def birth(zone, zone_type, fw, hw, boot, failsafe, period_ms, tags):
    return encode({"v": VERSION, "zone": zone, "type": zone_type, "fw": fw, "hw": hw, "boot": boot,
                   "failsafe": failsafe, "period_ms": period_ms, "tags": tags})


def status(state, boot=None, reason=None):
    msg = {"v": VERSION, "state": state}
    if boot is not None:
        msg["boot"] = boot
    if reason is not None:
        msg["reason"] = reason
    return encode(msg)


def will():
    return status("offline")


def tele(boot, seq, t, tags, bad=None):
    values = {}
    bad = list(bad or ())
    for name in tags:
        x = tags[name]
        w = wire_number(x)
        if w is None and x is not None and name not in bad:
            bad.append(name)
        values[name] = w
    msg = {"v": VERSION, "boot": boot, "seq": seq, "t": t, "tags": values}
    if bad:
        msg["bad"] = bad
    return encode(msg)


def ack(cmd_id, ok, err=None, msg=None):
    out = {"v": VERSION, "id": cmd_id, "ok": ok}
    if not ok:
        out["err"] = err or "bad_request"
    if msg is not None:
        out["msg"] = msg
    return encode(out)


def event(boot, seq, t, kind, code, active, msg=None):
    out = {"v": VERSION, "boot": boot, "seq": seq, "t": t, "kind": kind, "code": code,
           "active": active}
    if msg is not None:
        out["msg"] = msg
    return encode(out)
