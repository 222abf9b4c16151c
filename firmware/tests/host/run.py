#!/usr/bin/python3
"""Runs the host loop tests (tests/host/test_*.py) against the real broker.

Run with /usr/bin/python3: Debian's python3-paho-mqtt is installed for that interpreter only.
Exits non-zero on any failure, on any error, or when no test ran; ends with 'N passed, N failed'."""
import os
import sys
import unittest

sys.dont_write_bytecode = True  # keep __pycache__ out of device/lib (it would be copied to boards)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main(argv):
    try:
        import paho.mqtt.client  # noqa: F401
    except ImportError:
        print("paho-mqtt is missing: apt-get install python3-paho-mqtt, and run this with /usr/bin/python3",
              file=sys.stderr)
        return 2
    loader = unittest.TestLoader()
    if argv:
        suite = loader.loadTestsFromNames(argv)
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    # a test can fail and then error in its clean-up: count tests, not reports
    failing = set(id(t) for t, _ in result.failures + result.errors)
    failing.update(id(t) for t in result.unexpectedSuccesses)
    failed = len(failing)
    passed = max(0, result.testsRun - failed - len(result.skipped))
    print("%d passed, %d failed" % (passed, failed))
    if result.testsRun == 0:
        print("no test ran", file=sys.stderr)
        return 3
    return 0 if failed == 0 and not result.skipped else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
