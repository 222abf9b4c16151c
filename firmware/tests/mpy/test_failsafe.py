# The normative fail-safe timelines (docs/protocol/failsafe-timelines.json), the same file the
# simulator's tests replay: both implementations must produce every expected state.
from mptest import eq, load_json
from plc import failsafe
from plc.failsafe import FailSafe
from plc.ticks import ticks_add

TIMELINES = "/protocol/failsafe-timelines.json"
TICK_MS = 100  # "between listed times the machine is ticked at least every 100 ms"


def _apply(fs, name, now):
    if name == "link_up":
        fs.link_up(now)
    elif name == "link_down":
        fs.link_down(now)
    elif name == "heartbeat":
        fs.heartbeat(now)
    elif name == "scada_online":
        fs.scada_status(True, now)
    elif name == "scada_offline":
        fs.scada_status(False, now)
    elif name == "reset":
        fs.reset(now)
    else:
        raise AssertionError("unknown input " + name)


def replay(timeline, boot):
    """Replays one timeline with the PLC's clock at `boot` when the timeline says t=0; returns
    the number of expectations checked."""
    inputs = timeline["inputs"]
    expects = timeline["expect"]
    fs = FailSafe(timeline["policy"], timeline["hb_timeout_ms"], boot)
    times = {}
    for i in inputs:
        times[i["t"]] = True
    for e in expects:
        times[e["t"]] = True
    end = max(times)
    t = 0
    while t <= end:
        times[t] = True
        t += TICK_MS
    checked = 0
    for t in sorted(times):
        now = ticks_add(boot, t)
        for i in inputs:
            if i["t"] == t:
                _apply(fs, i["input"], now)
        fs.tick(now)
        for e in expects:
            if e["t"] == t:
                where = "%s @%d" % (timeline["name"], t)
                eq(fs.state, e["state"], where)
                if "reason" in e:
                    eq(fs.reason, e["reason"], where + " reason")
                checked += 1
    return checked


def test_every_timeline():
    data = load_json(TIMELINES)
    checked = 0
    for timeline in data["timelines"]:
        checked += replay(timeline, 0)
    eq(len(data["timelines"]) >= 8, True, "timelines read")
    eq(checked >= 30, True, "expectations checked")


def test_every_timeline_across_the_clock_wrap():
    # ticks_ms wraps after 2**30 ms (12.4 days of uptime): start each timeline 3 s before it
    data = load_json(TIMELINES)
    for timeline in data["timelines"]:
        replay(timeline, (1 << 30) - 3000)


def test_transitions_are_reported_once_each():
    fs = FailSafe("hold_last", 5000, 0)
    fs.link_up(0)
    fs.tick(5000)
    fs.tick(5100)
    fs.link_down(5200)  # already in fail-safe: no second entry
    eq(fs.take_changes(), [(True, failsafe.HEARTBEAT_TIMEOUT, failsafe.HEARTBEAT_TIMEOUT)])
    fs.link_up(6000)
    fs.heartbeat(6100)
    eq(fs.take_changes(), [(False, failsafe.HEARTBEAT_TIMEOUT, "heartbeat")])
    eq(fs.take_changes(), [])


def test_off_policy_never_leaves_on_heartbeats():
    fs = FailSafe("off", 1000, 0)
    fs.link_up(0)
    fs.tick(1000)
    for t in range(1100, 20000, 100):
        fs.heartbeat(t)
        fs.tick(t)
        eq(fs.state, failsafe.FAILSAFE, "t=%d" % t)
    eq(fs.reset(20000), True)
    eq(fs.state, failsafe.ONLINE)


def test_reset_while_online_is_harmless():
    fs = FailSafe("off", 1000, 0)
    fs.link_up(0)
    eq(fs.reset(10), True)
    eq(fs.take_changes(), [])


def test_unknown_policy_is_refused():
    try:
        FailSafe("maybe", 1000, 0)
    except ValueError:
        return
    raise AssertionError("accepted an unknown policy")
