# What the status LED shows, most urgent first (README, "Status LED"). Pure logic: the hardware
# layer only turns a colour name on or off.
ESTOP = ("red", 250)          # fast red blink: E-stop loop open
TRIPPED = ("red", 1000)       # slow red blink: an interlock or a sensor fault holds the heat off
FAILSAFE_OFF = ("red", 0)     # steady red: fail-safe, outputs off until the SCADA's reset
FAILSAFE_HOLD = ("amber", 0)  # steady amber: fail-safe, still regulating the last setpoint
CONNECTING = ("blue", 500)    # blue blink: no broker yet (Wi-Fi or MQTT), still regulating
ONLINE = ("green", 0)         # steady green: online, heartbeats arriving
SERVICE = ("blue", 0)         # steady blue: service mode, loop not started (REPL free)
CONFIG_ERROR = ("amber", 250) # fast amber blink: config.json refused, outputs off


def pattern(estop, tripped, failsafe, policy, connected):
    if estop:
        return ESTOP
    if tripped:
        return TRIPPED
    if failsafe:
        return FAILSAFE_OFF if policy == "off" else FAILSAFE_HOLD
    if not connected:
        return CONNECTING
    return ONLINE


def lit(pat, now):
    """The colour to show at `now` (None = dark) for a (colour, blink period ms) pattern."""
    colour, period = pat
    if period <= 0:
        return colour
    return colour if (now % period) < period // 2 else None
