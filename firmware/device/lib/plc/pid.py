# PID with output limits, anti-windup and bumpless transfer.
# Positional form with the integral kept in output units, so that tracking (bumpless transfer, an
# output forced by an interlock) is a matter of setting the integral. Derivative on measurement:
# a setpoint step gives no derivative kick. Everything stays well inside single precision.


def clamp(x, lo, hi):
    return lo if x < lo else hi if x > hi else x


class PID:
    def __init__(self, kp, ki, kd, out_min, out_max, d_filter_s=0.0):
        # kp in %/K, ki in %/(K*s), kd in %*s/K; d_filter_s: first-order filter on the derivative
        self.kp = float(kp)
        self.ki = float(ki)
        self.kd = float(kd)
        self.out_min = float(out_min)
        self.out_max = float(out_max)
        self.d_filter_s = float(d_filter_s)
        self.reset()

    def reset(self, integral=0.0):
        self.integral = clamp(float(integral), self.out_min, self.out_max)
        self.last_pv = None
        self.d_term = 0.0
        self.out = self.integral

    def update(self, sv, pv, dt_s):
        """One control step; returns the new output, clamped to the limits."""
        if dt_s <= 0.0:
            return self.out
        error = sv - pv
        p = self.kp * error
        d = 0.0
        if self.kd and self.last_pv is not None:
            raw = -self.kd * (pv - self.last_pv) / dt_s
            alpha = dt_s / (self.d_filter_s + dt_s)
            d = self.d_term + alpha * (raw - self.d_term)
        self.d_term = d
        self.last_pv = pv
        # Conditional integration: no integrating further into a saturated output.
        candidate = self.integral + self.ki * error * dt_s
        unclamped = p + candidate + d
        if (unclamped > self.out_max and error > 0.0) or (unclamped < self.out_min and error < 0.0):
            candidate = self.integral
        self.integral = clamp(candidate, self.out_min, self.out_max)
        self.out = clamp(p + self.integral + d, self.out_min, self.out_max)
        return self.out

    def track(self, out, sv, pv):
        """Make the controller continue smoothly from `out` (manual output, or an output an
        interlock forced): the next update with an unchanged error gives `out` again."""
        out = clamp(float(out), self.out_min, self.out_max)
        self.integral = clamp(out - self.kp * (sv - pv), self.out_min, self.out_max)
        self.last_pv = pv
        self.d_term = 0.0
        self.out = out
