# MicroPython's wrapping millisecond clock, with the same arithmetic on CPython (host tests).
# Always compare times with ticks_diff: ticks_ms() wraps after 2**30 ms (about 12.4 days).
try:
    from time import ticks_ms, ticks_diff, ticks_add
except ImportError:
    import time as _time

    _PERIOD = 1 << 30
    _HALF = _PERIOD >> 1

    def ticks_ms():
        return int(_time.monotonic() * 1000) & (_PERIOD - 1)

    def ticks_diff(a, b):
        return ((a - b + _HALF) & (_PERIOD - 1)) - _HALF

    def ticks_add(a, delta):
        return (a + delta) & (_PERIOD - 1)
