package org.brewpi.alarms;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.brewpi.api.alarm.AlarmMetrics;

/** The annunciated activations of the last 24 hours, from which the ISA-18.2 metrics are computed. */
final class ActivationLog {

    static final long TEN_MINUTES = 10 * Settings.MINUTE;
    static final long RETENTION = 24 * Settings.HOUR;
    /** Bounds memory in a flood that goes on for a day; metrics then cover the newest part. */
    static final int MAX_ENTRIES = 100_000;

    private record Activation(long time, String alarm) {
    }

    private final ArrayDeque<Activation> log = new ArrayDeque<>();
    private final long started;

    ActivationLog(long started) {
        this.started = started;
    }

    void add(String alarm, long time) {
        log.addLast(new Activation(time, alarm));
        if (log.size() > MAX_ENTRIES) {
            log.removeFirst();
        }
        prune(time);
    }

    private void prune(long now) {
        while (!log.isEmpty() && log.peekFirst().time() <= now - RETENTION) {
            log.removeFirst();
        }
    }

    /** @param stale the alarms active for too long, found by the caller who knows the alarms */
    AlarmMetrics metrics(long now, Settings s, List<String> stale) {
        prune(now);
        long window = Math.max(1, Math.min(RETENTION, now - started));
        long last10 = 0;
        Map<Long, Integer> perPeriod = new HashMap<>();
        Map<String, Long> perAlarm = new HashMap<>();
        Map<String, List<Long>> recent = new HashMap<>();
        for (Activation a : log) {
            if (a.time() > now - TEN_MINUTES) {
                last10++;
            }
            perPeriod.merge(Math.floorDiv(a.time(), TEN_MINUTES), 1, Integer::sum);
            perAlarm.merge(a.alarm(), 1L, Long::sum);
            // chattering is judged on the last hour, so an alarm fixed this morning is not still listed
            if (a.time() > now - Settings.HOUR) {
                recent.computeIfAbsent(a.alarm(), k -> new ArrayList<>()).add(a.time());
            }
        }
        long total = log.size();
        long floods = perPeriod.values().stream().filter(n -> n >= s.floodThreshold()).count();
        List<String> chattering = recent.entrySet().stream()
                .filter(e -> chatters(e.getValue(), s.chatterCount(), s.chatterWindowMs()))
                .map(Map.Entry::getKey).sorted().toList();
        List<AlarmMetrics.Count> top = perAlarm.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(10).map(e -> new AlarmMetrics.Count(e.getKey(), e.getValue())).toList();
        long topSum = top.stream().mapToLong(AlarmMetrics.Count::activations).sum();
        double average = window < TEN_MINUTES ? total : total * (double) TEN_MINUTES / window;
        return new AlarmMetrics(now, window, total, last10, average, s.floodThreshold(), floods,
                last10 >= s.floodThreshold(), s.chatterCount(), s.chatterWindowMs(), chattering, s.staleMs(), stale,
                top, total == 0 ? 0 : (double) topSum / total);
    }

    /** Whether any {@code count} consecutive activations (times in order) fit within {@code windowMs}. */
    static boolean chatters(List<Long> times, int count, long windowMs) {
        for (int i = 0; i + count - 1 < times.size(); i++) {
            if (times.get(i + count - 1) - times.get(i) <= windowMs) {
                return true;
            }
        }
        return false;
    }
}
