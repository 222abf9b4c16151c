package org.brewpi.zone.mqtt;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/** Logs one line per key per interval at most, so a misbehaving PLC cannot flood the log. */
final class RateLimitedLog {

    private final Logger log;
    private final long intervalMs;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Long> lastLogged = new ConcurrentHashMap<>();

    RateLimitedLog(Logger log, long intervalMs, LongSupplier clock) {
        this.log = log;
        this.intervalMs = intervalMs;
        this.clock = clock;
    }

    void warn(String key, String format, Object... args) {
        long now = clock.getAsLong();
        Long previous = lastLogged.get(key);
        if (previous == null || now - previous >= intervalMs) {
            if (lastLogged.size() > 10_000) {
                lastLogged.clear(); // keys come from the network: bound them
            }
            lastLogged.put(key, now);
            log.warn(format, args);
        }
    }
}
