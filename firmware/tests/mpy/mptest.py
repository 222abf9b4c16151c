# A minimal test runner for MicroPython (no unittest there): every function named test_* in the
# given modules is a test; a test fails by raising. Prints one line per test and a closing
# "N passed, N failed" line; returns (passed, failed).
import sys
import struct


def approx(actual, expected, tol, what=""):
    if actual is None or abs(actual - expected) > tol:
        raise AssertionError("%s%r is not within %r of %r" % (what + ": " if what else "", actual, tol, expected))


def raises(exc, fn, *args):
    try:
        fn(*args)
    except exc as e:
        return e
    raise AssertionError("%s not raised" % exc.__name__)


def eq(actual, expected, what=""):
    if actual != expected:
        raise AssertionError("%s%r != %r" % (what + ": " if what else "", actual, expected))


def f32(x):
    """x rounded to single precision, as the ESP32-S3's MicroPython stores every float."""
    return struct.unpack("f", struct.pack("f", x))[0]


def load_json(path):
    import json
    with open(path) as f:
        return json.load(f)


def run(modules):
    passed = 0
    failed = 0
    for name in modules:
        try:
            mod = __import__(name)
        except Exception as e:
            failed += 1
            print("FAIL %s (import)" % name)
            sys.print_exception(e)
            continue
        tests = sorted(n for n in dir(mod) if n.startswith("test_"))
        for t in tests:
            try:
                getattr(mod, t)()
            except Exception as e:
                failed += 1
                print("FAIL %s.%s" % (name, t))
                sys.print_exception(e)
            else:
                passed += 1
                print("ok   %s.%s" % (name, t))
    print("%d passed, %d failed" % (passed, failed))
    return passed, failed
