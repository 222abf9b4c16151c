package org.brewpi.users;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed PIN attempts per user name and the lockout they lead to. Kept in memory: a restart forgets them.
 * Callers hold an entry's monitor for a whole attempt, so guesses at one name are checked one at a time.
 */
final class Lockout {

    /** Guessing many names must not grow memory without bound. */
    private static final int MAX_TRACKED_NAMES = 10_000;

    /** The recent failures of one name. */
    static final class Entry {
        private final Deque<Long> times = new ArrayDeque<>();
        private long lockedUntil;

        /** @return milliseconds until the lock ends, or 0 when not locked */
        long lockedFor(long now) {
            return Math.max(0, lockedUntil - now);
        }

        /** Counts a failure within the window; @return {@code true} when it locks the name */
        boolean failed(long now, long windowMs, int failuresToLock, long lockMs) {
            times.addLast(now);
            while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
                times.removeFirst();
            }
            if (times.size() < failuresToLock) {
                return false;
            }
            lockedUntil = now + lockMs;
            times.clear();
            return true;
        }

        private boolean idle(long now, long windowMs) {
            Long last = times.peekLast();
            return lockedUntil <= now && (last == null || last <= now - windowMs);
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The name's entry, created on first use; old ones are dropped when too many names are tracked. */
    Entry entry(String name, long now, long windowMs) {
        if (entries.size() > MAX_TRACKED_NAMES) {
            entries.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().idle(now, windowMs);
                }
            });
        }
        return entries.computeIfAbsent(name, k -> new Entry());
    }

    /** A right PIN or an administrator's PIN reset clears the name's failures. */
    void clear(String name) {
        entries.remove(name);
    }
}
