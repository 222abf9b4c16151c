package org.brewpi.hardware;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.brewpi.api.zone.TagDef;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;

/**
 * Which zones the E-stop must still command to their safe state, {@code mode = off}: every zone that
 * declares a writable {@code mode} tag, is reachable (not OFFLINE) and does not report {@code off}. A zone is
 * commanded again after the retry time if it still does not report off (a lost ack, a refusal, a PLC
 * that came back), so the plant is held, not just switched off once. Not thread-safe; hardware thread only.
 */
final class SafeState {

    static final String MODE = "mode";
    static final String OFF = "off";

    private final long retryMs;
    private final Map<String, Long> lastCommanded = new HashMap<>();

    SafeState(long retryMs) {
        this.retryMs = retryMs;
    }

    /** Forget past commands: a new press commands every zone at once. */
    void restart() {
        lastCommanded.clear();
    }

    /** @return the zones to command now; they are recorded as commanded at {@code now} */
    List<String> due(Collection<ZoneSnapshot> zones, long now) {
        List<String> due = new ArrayList<>();
        for (ZoneSnapshot z : zones) {
            if (!needsCommand(z)) {
                continue;
            }
            Long last = lastCommanded.get(z.id());
            if (last == null || now - last >= retryMs) {
                lastCommanded.put(z.id(), now);
                due.add(z.id());
            }
        }
        return due;
    }

    /** Zones that cannot be held off from here: no writable mode tag declared (yet), or offline. */
    static List<String> unreachable(Collection<ZoneSnapshot> zones) {
        List<String> out = new ArrayList<>();
        for (ZoneSnapshot z : zones) {
            if (z.state() == ZoneState.OFFLINE || !hasWritableMode(z)) {
                out.add(z.id());
            }
        }
        return out;
    }

    static boolean needsCommand(ZoneSnapshot z) {
        if (z.state() == ZoneState.OFFLINE || !hasWritableMode(z)) {
            return false;
        }
        TagValue mode = z.tags().get(MODE);
        return mode == null || !OFF.equals(mode.value());
    }

    private static boolean hasWritableMode(ZoneSnapshot z) {
        return z.info() != null && z.info().tag(MODE).map(TagDef::writable).orElse(false);
    }
}
