# The shared protocol vectors (docs/protocol/vectors.json) and the firmware's own encoders.
import json

from mptest import eq, load_json
from plc import FW_VERSION, config, protocol

VECTORS = "/protocol/vectors.json"
ZONES = ("hlt", "mash", "kettle", "fv1", "fv2", "glycol")


def _wire(vector):
    # 'raw' is the exact text; otherwise the payload as compact JSON, padded when asked to.
    if "raw" in vector:
        return vector["raw"].encode("utf-8")
    payload = dict(vector["payload"])
    text = json.dumps(payload, separators=(",", ":"))
    want = vector.get("pad_to_bytes")
    if want:
        payload["pad"] = ""
        text = json.dumps(payload, separators=(",", ":"))
        payload["pad"] = "x" * max(0, want - len(text))
        text = json.dumps(payload, separators=(",", ":"))
    return text.encode("utf-8")


def test_every_valid_vector_is_accepted():
    vectors = load_json(VECTORS)
    eq(vectors["max_payload_bytes"], protocol.MAX_PAYLOAD_BYTES, "max payload")
    count = 0
    for v in vectors["valid"]:
        obj, reason, detail = protocol.decode(v["kind"], _wire(v), v["zone"])
        eq(reason, None, v["name"] + " (" + str(detail) + ")")
        count += 1
    eq(count > 15, True, "valid vectors read")


def test_every_invalid_vector_gets_its_reason():
    vectors = load_json(VECTORS)
    count = 0
    for v in vectors["invalid"]:
        obj, reason, detail = protocol.decode(v["kind"], _wire(v), v["zone"])
        eq(reason, v["reason"], v["name"] + " (" + str(detail) + ")")
        eq(obj, None, v["name"])
        count += 1
    eq(count > 40, True, "invalid vectors read")


def test_cmd_vectors_are_covered():
    # The PLC's own input: every cmd vector, valid and invalid, is among the ones checked above.
    vectors = load_json(VECTORS)
    kinds = [v["kind"] for v in vectors["valid"] + vectors["invalid"]]
    eq(kinds.count("cmd") >= 10, True, "cmd vectors")
    eq("heartbeat" in kinds and "scada_status" in kinds, True, "scada vectors")


def test_invalid_utf8_is_not_json():
    eq(protocol.decode("cmd", b'{"v":1,"id":"\xff\xfe","op":"ping"}')[1], protocol.NOT_JSON)


def test_non_finite_numbers_are_not_json():
    # MicroPython reads 1e400 as inf; the rules say such a payload is not JSON
    eq(protocol.decode("heartbeat", b'{"v":1,"seq":1,"t":1e400}')[1], protocol.NOT_JSON)


def test_size_limit_counts_bytes_not_characters():
    # 1366 three-byte characters: 4098 bytes but only 1366 + 30 characters
    text = '{"v":1,"id":"c-1","op":"ping","x":"' + "\u20ac" * 1366 + '"}'
    eq(protocol.decode("cmd", text)[1], protocol.TOO_LARGE)


def test_booleans_are_not_integers():
    eq(protocol.decode("heartbeat", b'{"v":1,"seq":true,"t":1}')[1], protocol.BAD_TYPE)
    eq(protocol.decode("heartbeat", b'{"v":true,"seq":1,"t":1}')[1], protocol.WRONG_VERSION)
    eq(protocol.decode("heartbeat", b'{"v":1.0,"seq":1,"t":1}')[1], protocol.WRONG_VERSION)


def test_epoch_milliseconds_fit():
    # 13-digit epoch ms exceed a small int on a 32-bit MCU: they must still parse as integers
    obj, reason, detail = protocol.decode("heartbeat", b'{"v":1,"seq":4294967296,"t":1767225600000}')
    eq(reason, None)
    eq(obj["t"], 1767225600000)


def test_missing_field_outranks_bad_type():
    # the rules are checked in order, whatever the order of the fields
    eq(protocol.decode("cmd", b'{"v":1,"id":7}')[1], protocol.MISSING_FIELD)
    eq(protocol.decode("cmd", b'{"v":1,"id":7,"op":"explode"}')[1], protocol.BAD_TYPE)


def test_command_id_limits():
    eq(protocol.decode("cmd", b'{"v":1,"id":"","op":"ping"}')[1], protocol.BAD_VALUE)
    long_id = "c" * (protocol.MAX_ID_LEN + 1)
    eq(protocol.decode("cmd", '{"v":1,"id":"%s","op":"ping"}' % long_id)[1], protocol.BAD_VALUE)


def test_zone_ids():
    for good in ("hlt", "fv1", "a", "0-x", "a" * 32):
        eq(protocol.valid_zone_id(good), True, good)
    for bad in ("", "-a", "A", "fv#1", "fv+", "a" * 33, "fv 1", "f\u00e9"):
        eq(protocol.valid_zone_id(bad), False, bad)


def _valid(kind, payload, zone=None):
    obj, reason, detail = protocol.decode(kind, payload, zone)
    eq(reason, None, "%s %s (%s)" % (kind, payload, detail))
    return obj


def test_birth_of_every_example_zone_is_valid():
    for z in ZONES:
        with open("/zones/%s/config.json" % z) as f:
            cfg = config.parse(f.read())
        payload = protocol.birth(cfg["zone"], cfg["type"], FW_VERSION, "esp32-s3", 2147483647,
                                 cfg["failsafe"], cfg["period_ms"], config.tag_defs(cfg))
        obj = _valid("birth", payload, z)
        eq(len(payload) <= protocol.MAX_PAYLOAD_BYTES, True, "birth size")
        names = [t["name"] for t in obj["tags"]]
        for name in ("pv", "sv", "out", "manual_out", "mode"):
            eq(name in names, True, z + " exposes " + name)


def test_status_and_will_are_valid():
    for state in ("online", "failsafe"):
        _valid("status", protocol.status(state, 31337, "heartbeat_timeout" if state == "failsafe" else None))
    obj = _valid("status", protocol.will())
    eq(obj, {"v": 1, "state": "offline"})


def test_tele_is_valid_and_never_carries_nan():
    nan = float("nan")
    inf = float("inf")
    payload = protocol.tele(31337, 4711, 123456789,
                            {"pv": 18.0625, "sv": 18.0, "out": nan, "x": inf, "mode": "auto",
                             "heater": True, "level": None}, ["level"])
    obj = _valid("tele", payload)
    eq(obj["tags"]["out"], None)
    eq(obj["tags"]["x"], None)
    eq(sorted(obj["bad"]), ["level", "out", "x"])
    eq(b"NaN" in payload or b"nan" in payload or b"inf" in payload, False, "no NaN/Infinity")
    eq(abs(obj["tags"]["pv"] - 18.0625) < 0.001, True, "pv")


def test_ack_encoder_covers_every_error():
    _valid("ack", protocol.ack("c-1", True))
    for err in protocol.ERRORS:
        obj = _valid("ack", protocol.ack("c-1", False, err, "because"))
        eq(obj["err"], err)


def test_event_encoder_covers_every_kind():
    for kind in protocol.EVENT_KINDS:
        _valid("event", protocol.event(1, 2, 3, kind, "code", True, "msg"))
        _valid("event", protocol.event(1, 2, 3, kind, "code", False))


def test_encoders_are_compact_json():
    payload = protocol.ack("c-1", True)
    eq(b" " in payload, False, "no spaces")
