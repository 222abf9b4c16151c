package org.brewpi.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most one log line per key and interval: a PLC retrying a wrong password every few seconds, or a client
 * flooding forbidden publishes, must not bury the log. Everything is still counted in {@link BrokerStats}.
 */
final class LogThrottle {

    private static final int MAX_KEYS = 1_000;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    LogThrottle(long intervalMillis) {
        this(intervalMillis, System::nanoTime);
    }

    LogThrottle(long intervalMillis, LongSupplier nanoClock) {
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /** @return whether a line for {@code key} may be logged now */
    boolean allow(String key) {
        long now = nanoClock.getAsLong();
        if (lastLogged.size() > MAX_KEYS) {
            lastLogged.clear(); // hostile keys (random client ids) must not grow this map without bound
        }
        Long previous = lastLogged.get(key);
        if (previous != null && now - previous < intervalNanos) {
            return false;
        }
        lastLogged.put(key, now);
        return true;
    }
}
