package org.brewpi.users;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The PIN sessions that are open, by the hash of their token (the token itself is never kept). A session ends
 * on logout, after the configured inactivity, or when its user is disabled; every end is reported once.
 */
final class SessionTable {

    /** Told once about each session that ends, with the action and reason for the audit trail. */
    interface Ended {
        void ended(String user, String entryPoint, String action, String reason);
    }

    static final class Live {
        final String user;
        final String entryPoint;
        volatile long lastSeen;

        Live(String user, String entryPoint, long lastSeen) {
            this.user = user;
            this.entryPoint = entryPoint;
            this.lastSeen = lastSeen;
        }
    }

    private final Map<String, Live> sessions = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final Ended ended;

    SessionTable(LongSupplier clock, Ended ended) {
        this.clock = clock;
        this.ended = ended;
    }

    void open(String tokenHash, String user, String entryPoint) {
        sessions.put(tokenHash, new Live(user, entryPoint, clock.getAsLong()));
    }

    /** The live session behind a token hash, touched; {@code null} when unknown or just timed out. */
    Live touch(String tokenHash, long idleMs) {
        Live s = sessions.get(tokenHash);
        if (s == null) {
            return null;
        }
        if (clock.getAsLong() - s.lastSeen > idleMs) {
            end(tokenHash, "session.timeout", "inactivity");
            return null;
        }
        s.lastSeen = clock.getAsLong();
        return s;
    }

    void expireIdle(long idleMs) {
        for (Iterator<Map.Entry<String, Live>> it = sessions.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Live> e = it.next();
            if (clock.getAsLong() - e.getValue().lastSeen > idleMs) {
                end(e.getKey(), "session.timeout", "inactivity");
            }
        }
    }

    void end(String tokenHash, String action, String reason) {
        Live s = sessions.remove(tokenHash);
        if (s != null) {
            ended.ended(s.user, s.entryPoint, action, reason);
        }
    }

    /** A disabled user's sessions end at once. */
    void endAllOf(String user, String reason) {
        sessions.entrySet().removeIf(e -> {
            if (!e.getValue().user.equals(user)) {
                return false;
            }
            ended.ended(user, e.getValue().entryPoint, "session.end", reason);
            return true;
        });
    }

    int size() {
        return sessions.size();
    }
}
