package org.brewpi.sim.control;

/**
 * The fail-safe state machine of docs/protocol.md ("Fail-safe state machine", normative). Times
 * are the PLC's monotonic milliseconds; the caller ticks it often (at least every 100 ms).
 *
 * <p>Not thread-safe: the PLC drives it from its one loop thread.
 */
public final class FailSafe {

    public enum State {
        ONLINE("online"), FAILSAFE("failsafe");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public static final String HEARTBEAT_TIMEOUT = "heartbeat_timeout";
    public static final String BROKER_LOST = "broker_lost";
    public static final String SCADA_OFFLINE = "scada_offline";

    private final FailSafePolicy policy;
    private final long heartbeatTimeoutMs;

    private State state = State.ONLINE;
    private String reason;
    private long lastHeartbeat;
    private boolean linkUp;
    private boolean scadaOffline;

    /** At boot: online, and the heartbeat clock starts now. */
    public FailSafe(FailSafePolicy policy, long heartbeatTimeoutMs, long bootTime) {
        if (heartbeatTimeoutMs <= 0) {
            throw new IllegalArgumentException("heartbeat timeout must be > 0");
        }
        this.policy = policy;
        this.heartbeatTimeoutMs = heartbeatTimeoutMs;
        this.lastHeartbeat = bootTime;
    }

    /** MQTT connected: a grace period for the first heartbeat. */
    public void linkUp(long now) {
        linkUp = true;
        lastHeartbeat = now;
    }

    public void linkDown(long now) {
        linkUp = false;
        enter(BROKER_LOST);
    }

    public void heartbeat(long now) {
        lastHeartbeat = now;
        if (state == State.FAILSAFE && policy == FailSafePolicy.HOLD_LAST && linkUp && !scadaOffline) {
            leave();
        }
    }

    public void scadaOnline(long now) {
        scadaOffline = false;
    }

    public void scadaOffline(long now) {
        scadaOffline = true;
        enter(SCADA_OFFLINE);
    }

    public void tick(long now) {
        if (now - lastHeartbeat >= heartbeatTimeoutMs) {
            enter(HEARTBEAT_TIMEOUT);
        }
    }

    /**
     * The {@code reset} command. Returns whether the zone is online afterwards; a zone in fail-safe
     * goes back online only when the link is up, the SCADA is not offline and heartbeats are fresh.
     */
    public boolean reset(long now) {
        if (state == State.FAILSAFE && linkUp && !scadaOffline && now - lastHeartbeat < heartbeatTimeoutMs) {
            leave();
        }
        return state == State.ONLINE;
    }

    public State state() {
        return state;
    }

    public boolean inFailSafe() {
        return state == State.FAILSAFE;
    }

    /** Why the zone is in fail-safe, or {@code null} when online. */
    public String reason() {
        return reason;
    }

    public FailSafePolicy policy() {
        return policy;
    }

    public boolean linkIsUp() {
        return linkUp;
    }

    public boolean scadaIsOffline() {
        return scadaOffline;
    }

    /** Milliseconds since the last heartbeat (or link-up, or boot). */
    public long sinceHeartbeat(long now) {
        return now - lastHeartbeat;
    }

    private void enter(String why) {
        if (state == State.ONLINE) {
            state = State.FAILSAFE;
            reason = why;
        }
    }

    private void leave() {
        state = State.ONLINE;
        reason = null;
    }
}
