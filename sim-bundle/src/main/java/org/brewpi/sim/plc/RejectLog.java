package org.brewpi.sim.plc;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.brewpi.sim.protocol.RejectReason;
import org.slf4j.Logger;

/** Counts rejected payloads per reason and logs them at most once a minute, as the protocol asks. */
final class RejectLog {

    static final long INTERVAL_MS = 60_000;

    private final String zone;
    private final Logger log;
    private final Map<RejectReason, Long> totals = new EnumMap<>(RejectReason.class);
    private final Map<RejectReason, Long> sinceLastLog = new EnumMap<>(RejectReason.class);
    private String lastDetail;
    private long lastLog;
    private boolean loggedOnce;

    RejectLog(String zone, Logger log) {
        this.zone = zone;
        this.log = log;
    }

    void count(RejectReason reason, String what, long now) {
        totals.merge(reason, 1L, Long::sum);
        sinceLastLog.merge(reason, 1L, Long::sum);
        lastDetail = what;
        if (!loggedOnce) {
            flush(now);
        } else {
            flushIfDue(now);
        }
    }

    /** Logs what was rejected since the last line, if a minute has passed; called from the PLC's scan. */
    void flushIfDue(long now) {
        if (!sinceLastLog.isEmpty() && now - lastLog >= INTERVAL_MS) {
            flush(now);
        }
    }

    private void flush(long now) {
        log.warn("zone {}: rejected payloads {} (last: {})", zone, summary(), lastDetail);
        sinceLastLog.clear();
        lastLog = now;
        loggedOnce = true;
    }

    /** Rejections per reason since start. */
    Map<String, Long> totals() {
        Map<String, Long> copy = new TreeMap<>();
        totals.forEach((reason, count) -> copy.put(reason.wire(), count));
        return copy;
    }

    private String summary() {
        StringBuilder text = new StringBuilder();
        sinceLastLog.forEach((reason, count) -> text.append(text.isEmpty() ? "" : ", ").append(reason.wire())
                .append(" x").append(count));
        return text.toString();
    }
}
