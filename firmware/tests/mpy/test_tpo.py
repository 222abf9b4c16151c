# Time-proportioning of SSR heaters and solenoid valves.
from mptest import eq
from plc.ticks import ticks_add
from plc.tpo import TimeProportioning


def _on_time(tpo, duty, start, ms, step=10):
    on = 0
    for t in range(0, ms, step):
        if tpo.update(ticks_add(start, t), duty):
            on += step
    return on


def test_duty_becomes_on_time():
    for duty in (0.0, 0.1, 0.25, 0.5, 0.9, 1.0):
        tpo = TimeProportioning(2000, 0)
        eq(_on_time(tpo, duty, 0, 20000), int(duty * 20000), "duty %s" % duty)


def test_short_pulses_are_dropped_and_short_gaps_filled():
    tpo = TimeProportioning(2000, 200)
    eq(_on_time(tpo, 0.05, 0, 20000), 0, "100 ms pulse dropped")
    tpo = TimeProportioning(2000, 200)
    eq(_on_time(tpo, 0.95, 0, 20000), 20000, "100 ms gap filled")
    tpo = TimeProportioning(2000, 200)
    eq(_on_time(tpo, 0.5, 0, 20000), 10000, "normal pulse kept")


def test_zero_demand_switches_off_at_once():
    tpo = TimeProportioning(10000, 0)
    eq(tpo.update(0, 1.0), True)
    eq(tpo.update(100, 0.0), False)
    eq(tpo.update(200, 1.0), False, "more demand waits for the next cycle")
    eq(tpo.update(10000, 1.0), True)


def test_works_across_the_clock_wrap():
    tpo = TimeProportioning(2000, 0)
    eq(_on_time(tpo, 0.5, (1 << 30) - 5000, 20000), 10000)


def test_one_cycle_per_cycle_time():
    # a compressor-style output: one start per cycle, never more
    tpo = TimeProportioning(1000, 0)
    starts = 0
    was = False
    for t in range(0, 10000, 10):
        on = tpo.update(t, 0.3)
        if on and not was:
            starts += 1
        was = on
    eq(starts, 10)
