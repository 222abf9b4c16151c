# PID: limits, anti-windup, bumpless transfer, and results that hold in single precision (the
# ESP32-S3 port stores floats in 32 bits; this interpreter in 64).
from mptest import approx, eq, f32
from plc.pid import PID


class Vessel:
    """First-order plant: degC, heated/cooled by out% of `gain` K/s, losing to ambient."""

    def __init__(self, t=20.0, ambient=20.0, gain=0.02, tau_s=5000.0):
        self.t = t
        self.ambient = ambient
        self.gain = gain
        self.tau_s = tau_s

    def step(self, out, dt_s, rounding=None):
        self.t += (self.gain * out / 100.0 - (self.t - self.ambient) / self.tau_s) * dt_s
        if rounding:
            self.t = rounding(self.t)


def _settle(pid, vessel, sv, seconds, rounding=None):
    for _ in range(seconds):
        out = pid.update(sv, vessel.t, 1.0)
        if rounding:
            out = rounding(out)
            pid.integral = rounding(pid.integral)
        vessel.step(out, 1.0, rounding)
    return vessel.t


def test_reaches_the_setpoint_and_stays():
    pid = PID(20.0, 0.05, 0.0, 0.0, 100.0)
    v = Vessel()
    _settle(pid, v, 65.0, 6000)
    approx(v.t, 65.0, 0.05, "settled")
    approx(pid.out, (65.0 - 20.0) / 5000.0 / 0.02 * 100.0, 0.5, "holding output")


def test_output_limits():
    pid = PID(50.0, 0.0, 0.0, -30.0, 40.0)
    eq(pid.update(100.0, 0.0, 1.0), 40.0)
    eq(pid.update(-100.0, 0.0, 1.0), -30.0)


def test_anti_windup_limits_overshoot():
    # A long saturated heat-up (the heater cannot keep up) must not store up integral that
    # overshoots afterwards: compare with a controller whose integral is left unguarded.
    guarded = PID(20.0, 0.02, 0.0, 0.0, 100.0)
    v = Vessel(gain=0.005)
    peak = 0.0
    for _ in range(20000):
        out = guarded.update(40.0, v.t, 1.0)
        v.step(out, 1.0)
        peak = max(peak, v.t)
    eq(peak < 40.5, True, "overshoot %.2f" % (peak - 40.0))
    eq(guarded.integral <= 100.0, True, "integral clamped")

    class Naive(PID):
        def update(self, sv, pv, dt_s):
            e = sv - pv
            self.integral += self.ki * e * dt_s
            self.out = min(100.0, max(0.0, self.kp * e + self.integral))
            return self.out

    naive = Naive(20.0, 0.02, 0.0, 0.0, 100.0)
    v = Vessel(gain=0.005)
    naive_peak = 0.0
    for _ in range(20000):
        v.step(naive.update(40.0, v.t, 1.0), 1.0)
        naive_peak = max(naive_peak, v.t)
    eq(naive_peak > peak + 2.0, True, "the naive one overshoots more (%.2f vs %.2f)" % (naive_peak, peak))


def test_no_integral_stored_while_saturated():
    # Far below the setpoint the P term alone saturates the output: the integral must not fill up
    # meanwhile, or the heater would stay full on long after the setpoint is reached.
    pid = PID(2.0, 0.1, 0.0, 0.0, 100.0)
    for _ in range(1000):
        pid.update(80.0, 20.0, 1.0)
    eq(pid.out, 100.0)
    eq(pid.integral < 1.0, True, "integral %.1f" % pid.integral)
    out = pid.update(80.0, 79.0, 1.0)  # nearly there: the output follows the error at once
    eq(out < 10.0, True, "output %.1f" % out)


def test_bumpless_manual_to_auto():
    pid = PID(10.0, 0.02, 0.0, 0.0, 100.0)
    pid.track(37.5, 66.0, 65.0)  # in manual at 37.5 % while pv 65, sv 66
    out = pid.update(66.0, 65.0, 1.0)
    approx(out, 37.5 + 0.02 * 1.0, 1e-3, "first auto output")


def test_bumpless_with_a_different_setpoint_changes_only_by_p():
    pid = PID(10.0, 0.0, 0.0, -100.0, 100.0)
    pid.track(20.0, 18.0, 18.0)
    approx(pid.update(18.0, 18.0, 1.0), 20.0, 1e-4)


def test_derivative_on_measurement_has_no_setpoint_kick():
    pid = PID(1.0, 0.0, 50.0, -100.0, 100.0)
    pid.update(20.0, 20.0, 1.0)
    out = pid.update(60.0, 20.0, 1.0)  # setpoint step, pv unchanged
    approx(out, 40.0, 1e-4, "only the P term moves")
    out = pid.update(60.0, 20.5, 1.0)  # pv rising: derivative opposes
    eq(out < 39.5 - 20.0, True, "derivative brakes: %.2f" % out)


def test_zero_or_negative_dt_changes_nothing():
    pid = PID(1.0, 1.0, 1.0, 0.0, 100.0)
    pid.update(50.0, 20.0, 1.0)
    before = (pid.out, pid.integral)
    pid.update(50.0, 20.0, 0.0)
    pid.update(50.0, 20.0, -1.0)
    eq((pid.out, pid.integral), before)


def test_single_precision_run_matches():
    # The same loop with every stored float rounded to 32 bits, as on the ESP32-S3, ends where the
    # double-precision one does: nothing in the algorithm depends on more than float32 resolution.
    double = PID(20.0, 0.05, 0.0, 0.0, 100.0)
    single = PID(f32(20.0), f32(0.05), 0.0, 0.0, 100.0)
    vd = Vessel()
    vs = Vessel()
    _settle(double, vd, 65.0, 4000)
    _settle(single, vs, f32(65.0), 4000, f32)
    approx(vs.t, vd.t, 0.01, "pv")
    approx(single.out, double.out, 0.05, "out")
