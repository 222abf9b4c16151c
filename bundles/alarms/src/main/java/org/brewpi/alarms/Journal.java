package org.brewpi.alarms;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.brewpi.api.alarm.AlarmTransition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm journal as the book keeps it: the newest transitions in memory (what {@code /api/alarms/journal}
 * shows) and the hand-off to the durable journal. A transition the durable journal cannot take waits, in order,
 * and is handed over again on the next {@link #flush}. Not thread-safe: the book calls it under its lock.
 */
final class Journal {

    /** Where transitions are made durable; throws when it cannot. */
    interface Sink {
        void write(List<AlarmTransition> transitions) throws Exception;
    }

    /** Bounds memory while the journal's disk is gone for long; what goes beyond is counted as lost. */
    static final int MAX_UNWRITTEN = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Sink sink;
    private final ArrayDeque<AlarmTransition> recent = new ArrayDeque<>();
    private final ArrayDeque<AlarmTransition> unwritten = new ArrayDeque<>();
    private int size;
    private long lastSeq;
    private long lost;
    private String lastError;

    /** @param history the newest transitions already in the durable journal, oldest first: the seq carries on */
    Journal(Sink sink, List<AlarmTransition> history, int size) {
        this.sink = sink;
        for (AlarmTransition t : history) {
            recent.addLast(t);
            lastSeq = Math.max(lastSeq, t.seq());
        }
        resize(size);
    }

    /** The seq the next transition gets. */
    long nextSeq() {
        return lastSeq + 1;
    }

    void resize(int newSize) {
        size = newSize;
        while (recent.size() > size) {
            recent.removeFirst();
        }
    }

    void add(AlarmTransition t) {
        lastSeq = t.seq();
        recent.addLast(t);
        resize(size);
        unwritten.addLast(t);
        flush();
    }

    /** Hands what waits to the durable journal, in order; on failure keeps it (bounded) for the next try. */
    void flush() {
        if (unwritten.isEmpty()) {
            return;
        }
        try {
            sink.write(List.copyOf(unwritten));
            unwritten.clear();
            if (lastError != null) {
                LOG.info("Alarm journal writable again");
                lastError = null;
            }
        } catch (Exception e) {
            if (lastError == null) {
                LOG.error("Alarm journal cannot be written, {} transitions wait in memory: {}", unwritten.size(),
                        e.toString());
            }
            lastError = String.valueOf(e.getMessage());
            while (unwritten.size() > MAX_UNWRITTEN) {
                unwritten.removeFirst();
                lost++;
            }
        }
    }

    /** The latest transitions, newest first. */
    List<AlarmTransition> newest(int limit) {
        List<AlarmTransition> out = new ArrayList<>(Math.min(Math.max(limit, 0), recent.size()));
        for (var it = recent.descendingIterator(); it.hasNext() && out.size() < limit;) {
            out.add(it.next());
        }
        return out;
    }

    /** Transitions not (yet) in the durable journal, lost ones included. */
    long unjournaled() {
        return unwritten.size() + lost;
    }

    /** What keeps transitions from the durable journal, {@code null} when nothing does. */
    String problem() {
        if (unjournaled() == 0) {
            return null;
        }
        return unwritten.size() + " transitions wait for the journal" + (lost > 0 ? ", " + lost + " lost" : "")
                + (lastError == null ? "" : ": " + lastError);
    }

    void report(Map<String, Object> details) {
        details.put("journalUnwritten", unwritten.size());
        details.put("journalLost", lost);
        if (lastError != null) {
            details.put("lastJournalError", lastError);
        }
    }
}
