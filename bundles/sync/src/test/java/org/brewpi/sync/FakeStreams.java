package org.brewpi.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brewpi.api.history.HistoryStreams;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;

/**
 * An in-memory {@link HistoryStreams} provider, standing in for the audit trail and the alarm
 * journal (their bundles register their own), with the contract's columns. Every call to
 * {@link #markSynced} is written to a shared journal, so a test can see the shipping order.
 */
final class FakeStreams implements HistoryStreams {

    static final List<String> AUDIT = List.of("seq", "ts", "actor", "entry_point", "action", "target", "old_value",
            "new_value", "reason", "signature", "prev_hash", "hash");
    static final List<String> ALARM_JOURNAL = List.of("seq", "ts", "alarm", "transition", "from_state", "to_state",
            "actor", "reason", "value");

    /** The columns of bundles/batches' journal. */
    static final List<String> BATCHES = List.of("seq", "ts", "kind", "subject", "recipe", "recipe_version",
            "recipe_sha256", "event", "from_state", "to_state", "actor", "printed_name", "role", "entry_point", "reason",
            "meaning", "signed_ts", "audit_seq", "detail");

    private final String name;
    private final Map<String, List<String>> columns = new LinkedHashMap<>();
    private final Map<String, List<Object[]>> rows = new LinkedHashMap<>();
    private final Map<String, Long> watermarks = new LinkedHashMap<>();
    private final List<String> journal;

    FakeStreams(String name, List<String> journal) {
        this.name = name;
        this.journal = journal;
    }

    synchronized FakeStreams stream(String stream, List<String> cols) {
        columns.put(stream, cols);
        rows.put(stream, new ArrayList<>());
        return this;
    }

    /** Appends audit rows with seq {@code from..from+n-1}, free text with the characters COPY must escape. */
    synchronized FakeStreams audit(long from, int n, long ts) {
        for (long seq = from; seq < from + n; seq++) {
            add("audit", seq, ts + seq, "alice", "hmi", "command.write", "fv1.sv", seq % 3 == 0 ? null : "20.0",
                    "21.5", "tab\there, newline\nthere, back\\slash ñ", seq % 2 == 0 ? "interlock bypass" : null,
                    "h" + (seq - 1), "h" + seq);
        }
        return this;
    }

    synchronized FakeStreams alarms(long from, int n, long ts) {
        for (long seq = from; seq < from + n; seq++) {
            add("alarm_journal", seq, ts + seq, "fv1.hi", "activate", "NORMAL", "UNACK", "alarms", null, "21." + seq);
        }
        return this;
    }

    /** A recipe approval, then a lot's start and release; the release holds its CCPs as JSON. */
    synchronized FakeStreams batches(long from, long ts) {
        add("batches", from, ts, "recipe", "ipa", "ipa", 3, "ab12", "approve", "DRAFT", "APPROVED", "quinn",
                "Quinn Q.", "quality", "hmi", "HACCP plan reviewed", "recipe approval", ts, 17L, null);
        add("batches", from + 1, ts + 1, "batch", "2026-11-28-01", "ipa", 3, "ab12", "start", null, "RUNNING", "olga",
                "Olga O.", "operator", "rest", null, null, null, null, null);
        add("batches", from + 2, ts + 2, "batch", "2026-11-28-01", "ipa", 3, "ab12", "release", "COMPLETE", "RELEASED",
                "quinn", "Quinn Q.", "quality", "hmi", "lab fine | deviation accepted: tab\there", "batch release",
                ts + 2, 19L, "{\"ccp\":[{\"id\":\"boil\",\"status\":\"MET\"}]}");
        return this;
    }

    /** Rows of any stream: the values must match its columns. */
    synchronized void add(String stream, Object... values) {
        if (values.length != columns.get(stream).size()) {
            throw new IllegalArgumentException(stream + " has " + columns.get(stream).size() + " columns");
        }
        rows.get(stream).add(values);
    }

    synchronized List<Object[]> rows(String stream) {
        return List.copyOf(rows.get(stream));
    }

    @Override
    public synchronized List<String> streams() {
        return List.copyOf(columns.keySet());
    }

    @Override
    public synchronized StreamRows read(String stream, long afterSeq, int maxRows) {
        List<Object[]> out = new ArrayList<>();
        for (Object[] row : known(stream)) {
            if ((Long) row[0] > afterSeq && out.size() < maxRows) {
                out.add(row.clone());
            }
        }
        return new StreamRows(stream, columns.get(stream), out);
    }

    @Override
    public void markSynced(String stream, long seq) {
        synchronized (this) {
            known(stream);
            watermarks.merge(stream, seq, Math::max);
        }
        synchronized (journal) {
            journal.add(stream);
        }
    }

    @Override
    public synchronized StreamBacklog backlog(String stream) {
        long synced = watermarks.getOrDefault(stream, 0L);
        long waiting = 0;
        Long oldest = null;
        for (Object[] row : known(stream)) {
            if ((Long) row[0] > synced) {
                waiting++;
                oldest = oldest == null ? (Long) row[1] : oldest;
            }
        }
        return new StreamBacklog(stream, rows.get(stream).size(), synced, waiting, oldest);
    }

    private List<Object[]> known(String stream) {
        List<Object[]> r = rows.get(stream);
        if (r == null) {
            throw new IllegalArgumentException("no stream " + stream + " in " + name);
        }
        return r;
    }

    @Override
    public String toString() {
        return "fake provider " + name;
    }
}
