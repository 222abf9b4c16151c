# Time-proportioning: a 0..1 demand becomes on/off pulses over a fixed cycle (SSR heaters,
# solenoid valves). Pulses shorter than min_pulse_ms are dropped (or the gap filled) to spare
# contacts and valves. Integer milliseconds only: no float drift, no wrap problem.
from plc.ticks import ticks_diff


class TimeProportioning:
    def __init__(self, cycle_ms, min_pulse_ms=0):
        self.cycle_ms = int(cycle_ms)
        self.min_pulse_ms = int(min_pulse_ms)
        self.cycle_start = None
        self.on_ms = 0

    def _on_time(self, duty):
        if duty <= 0.0:
            return 0
        if duty >= 1.0:
            return self.cycle_ms
        on = int(duty * self.cycle_ms + 0.5)
        if on < self.min_pulse_ms:
            return 0
        if self.cycle_ms - on < self.min_pulse_ms:
            return self.cycle_ms
        return on

    def update(self, now, duty):
        """The output state at `now` for a demand of `duty` (0..1). A demand of 0 switches off at
        once; a larger demand takes effect at the next cycle, a smaller one at once."""
        if self.cycle_start is None or ticks_diff(now, self.cycle_start) >= self.cycle_ms:
            self.cycle_start = now
            self.on_ms = self._on_time(duty)
        else:
            self.on_ms = min(self.on_ms, self._on_time(duty))
        return ticks_diff(now, self.cycle_start) < self.on_ms
