# The fail-safe state machine of docs/protocol.md ("Fail-safe state machine", normative).
# Times are ticks_ms values: every comparison goes through ticks_diff, so the 2**30 wrap of the
# ESP32's millisecond clock is harmless.
from plc.ticks import ticks_diff

ONLINE = "online"
FAILSAFE = "failsafe"

HEARTBEAT_TIMEOUT = "heartbeat_timeout"
BROKER_LOST = "broker_lost"
SCADA_OFFLINE = "scada_offline"


class FailSafe:
    def __init__(self, policy, hb_timeout_ms, now):
        if policy not in ("off", "hold_last"):
            raise ValueError("policy must be off or hold_last")
        self.policy = policy
        self.hb_timeout_ms = hb_timeout_ms
        self.state = ONLINE
        self.reason = None
        self.last_hb = now  # the heartbeat clock starts at boot
        self.link = False
        self.scada_offline = False
        self.changes = []  # (entered, reason, cause) for the caller to report

    @property
    def in_failsafe(self):
        return self.state == FAILSAFE

    def _enter(self, reason):
        if self.state != FAILSAFE:
            self.state = FAILSAFE
            self.reason = reason
            self.changes.append((True, reason, reason))

    def _leave(self, cause):
        if self.state == FAILSAFE:
            self.state = ONLINE
            self.changes.append((False, self.reason, cause))
            self.reason = None

    def take_changes(self):
        changes = self.changes
        self.changes = []
        return changes

    def _healthy(self, now):
        return (self.link and not self.scada_offline
                and ticks_diff(now, self.last_hb) < self.hb_timeout_ms)

    def link_up(self, now):
        self.link = True
        self.last_hb = now  # grace period for the first heartbeat

    def link_down(self, now):
        self.link = False
        self._enter(BROKER_LOST)

    def heartbeat(self, now):
        self.last_hb = now
        if self.policy == "hold_last" and self.link and not self.scada_offline:
            self._leave("heartbeat")

    def scada_status(self, online, now):
        if online:
            self.scada_offline = False  # recorded; does not by itself leave fail-safe
        else:
            self.scada_offline = True
            self._enter(SCADA_OFFLINE)

    def tick(self, now):
        if ticks_diff(now, self.last_hb) >= self.hb_timeout_ms:
            self._enter(HEARTBEAT_TIMEOUT)

    def reset(self, now):
        """The SCADA's reset command. True when the zone is (now) online."""
        if self.state == ONLINE:
            return True
        if self._healthy(now):
            self._leave("reset")
            return True
        return False
