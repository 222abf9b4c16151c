package org.brewpi.zone.mqtt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneInfo;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.protocol.Messages.Status;
import org.brewpi.protocol.Messages.Telemetry;

/**
 * What the SCADA knows of one zone, and the rules of docs/protocol.md that change it: reboots, gaps and
 * duplicates from (boot, seq); STALE after three periods without news; OFFLINE from the will. Pure logic
 * with the time passed in, so it is tested without a broker; not thread-safe (the driver serialises calls).
 */
final class ZoneTracker {

    static final long DEFAULT_PERIOD_MS = 1000;
    static final int STALE_PERIODS = 3;

    private final String id;
    private final String driver;
    private ZoneInfo info;
    private ZoneState state = ZoneState.OFFLINE;
    private String reason = "never seen";
    private long lastSeen;
    private Long boot;
    private long lastSeq = -1;
    private final Map<String, TagValue> tags = new LinkedHashMap<>();

    private long telemetry;
    private long gaps;
    private long missed;
    private long duplicates;
    private long reboots;
    private long events;
    private final Map<String, Long> rejects = new TreeMap<>();

    ZoneTracker(String id, String driver) {
        this.id = id;
        this.driver = driver;
    }

    String id() {
        return id;
    }

    ZoneInfo info() {
        return info;
    }

    ZoneState state() {
        return state;
    }

    long periodMs() {
        return info == null ? DEFAULT_PERIOD_MS : info.periodMs();
    }

    /** A birth: the PLC (re)declares itself. Tags it no longer declares are forgotten. */
    void birth(ZoneInfo newInfo, long now) {
        noteBoot(newInfo.boot());
        info = newInfo;
        lastSeen = now;
        tags.keySet().retainAll(newInfo.tags().stream().map(t -> t.name()).toList());
    }

    /** @return tags whose quality changed (all go OFFLINE with the zone) */
    List<TagValue> status(Status status, long now) {
        lastSeen = now;
        state = status.state();
        reason = status.reason();
        if (status.boot() != null) {
            noteBoot(status.boot());
        }
        return state == ZoneState.OFFLINE ? requalifyAll(Quality.OFFLINE) : List.of();
    }

    /**
     * @return the samples this telemetry brings, or an empty list for a duplicate (dropped)
     */
    List<TagValue> telemetry(Telemetry tele, long now) {
        if (!sequence(tele.boot(), tele.seq())) {
            return List.of();
        }
        telemetry++;
        lastSeen = now;
        List<TagValue> samples = new ArrayList<>(tele.tags().size() + tele.bad().size());
        for (var entry : tele.tags().entrySet()) {
            Object value = entry.getValue();
            Quality quality = value == null || tele.bad().contains(entry.getKey()) ? Quality.BAD : Quality.GOOD;
            TagValue sample = new TagValue(id, entry.getKey(), value, quality, tele.time(), now);
            tags.put(entry.getKey(), sample);
            samples.add(sample);
        }
        for (String badTag : tele.bad()) {
            if (!tele.tags().containsKey(badTag)) {
                TagValue old = tags.get(badTag);
                TagValue sample = new TagValue(id, badTag, old == null ? null : old.value(), Quality.BAD, tele.time(), now);
                tags.put(badTag, sample);
                samples.add(sample);
            }
        }
        return samples;
    }

    /**
     * An event: it shares the {@code seq} counter with telemetry (docs/protocol.md).
     *
     * @return false for a duplicate (a QoS 1 redelivery), which must not be reported twice
     */
    boolean event(long eventBoot, long seq, long now) {
        if (!sequence(eventBoot, seq)) {
            return false;
        }
        events++;
        lastSeen = now;
        return true;
    }

    /**
     * Follows (boot, seq) across telemetry and events: a new boot is a reboot, a step over one is a gap,
     * a step back or in place is a duplicate.
     *
     * @return false for a duplicate
     */
    private boolean sequence(long messageBoot, long seq) {
        if (boot == null || messageBoot != boot) {
            noteBoot(messageBoot);
        } else if (seq <= lastSeq) {
            duplicates++;
            return false;
        } else if (seq > lastSeq + 1 && lastSeq >= 0) {
            gaps++;
            missed += seq - lastSeq - 1;
        }
        lastSeq = seq;
        return true;
    }

    void reject(String reasonCode) {
        rejects.merge(reasonCode, 1L, Long::sum);
    }

    /** @return tags that just became STALE: GOOD or BAD with no news for three periods */
    List<TagValue> checkStale(long now) {
        long limit = STALE_PERIODS * periodMs();
        List<TagValue> changed = new ArrayList<>();
        for (var entry : tags.entrySet()) {
            TagValue tag = entry.getValue();
            if ((tag.quality() == Quality.GOOD || tag.quality() == Quality.BAD) && now - tag.arrivalTime() > limit) {
                TagValue stale = tag.withQuality(Quality.STALE);
                entry.setValue(stale);
                changed.add(stale);
            }
        }
        return changed;
    }

    private void noteBoot(long newBoot) {
        if (boot != null && boot != newBoot) {
            reboots++;
        }
        if (boot == null || boot != newBoot) {
            lastSeq = -1;
        }
        boot = newBoot;
    }

    private List<TagValue> requalifyAll(Quality quality) {
        List<TagValue> changed = new ArrayList<>();
        for (var entry : tags.entrySet()) {
            if (entry.getValue().quality() != quality) {
                entry.setValue(entry.getValue().withQuality(quality));
                changed.add(entry.getValue());
            }
        }
        return changed;
    }

    ZoneCounters counters() {
        return new ZoneCounters(telemetry, gaps, missed, duplicates, reboots, events, new HashMap<>(rejects));
    }

    ZoneSnapshot snapshot() {
        return new ZoneSnapshot(id, driver, info, state, reason, lastSeen, tags, counters());
    }
}
