package org.brewpi.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brewpi.api.history.HistoryStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link HistoryStreams} service the sync follows (the historian, the audit trail, the alarm
 * journal, ...), as they come and go, and the streams they offer in shipping priority.
 * <p>
 * Only streams with a PostgreSQL table are shipped ({@link #PRIORITY}); any other stream is
 * listed as unknown (health shows it, its rows stay on the box). A stream offered by two services
 * is shipped from the first one only: two sets of seqs under one (site, seq) key would collide.
 */
final class StreamSources {

    /** The streams PostgreSQL has a table for, most important first. */
    static final List<String> PRIORITY = List.of("audit", "batches", "alarm_journal", "events", "zone_states",
            "samples");

    private static final Logger LOG = LoggerFactory.getLogger(StreamSources.class);

    /** One stream of one provider. Identity matters: a provider that comes back is a new source. */
    record Source(String stream, HistoryStreams provider) {
    }

    /** What the sync works with at a moment: shipped sources in priority order, and the rest. */
    record Snapshot(List<Source> shipped, List<Source> unknown, List<Source> duplicates) {

        static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), List.of());

        List<Source> all() {
            List<Source> all = new ArrayList<>(shipped);
            all.addAll(unknown);
            all.addAll(duplicates);
            return all;
        }
    }

    private final List<HistoryStreams> providers = new ArrayList<>();
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    StreamSources() {
    }

    StreamSources(HistoryStreams provider) {
        add(provider);
    }

    synchronized void add(HistoryStreams provider) {
        providers.add(provider);
        rebuild();
    }

    synchronized void remove(HistoryStreams provider) {
        providers.remove(provider);
        rebuild();
    }

    /** The current sources; cheap, never blocks on a provider coming or going. */
    Snapshot snapshot() {
        return snapshot;
    }

    private void rebuild() {
        Map<String, Source> first = new LinkedHashMap<>();
        List<Source> unknown = new ArrayList<>();
        List<Source> duplicates = new ArrayList<>();
        for (HistoryStreams provider : providers) {
            List<String> streams;
            try {
                streams = provider.streams();
            } catch (RuntimeException e) {
                LOG.warn("A history stream provider ({}) could not list its streams: {}", provider, e.getMessage());
                continue;
            }
            for (String stream : streams) {
                Source source = new Source(stream, provider);
                if (!PRIORITY.contains(stream)) {
                    unknown.add(source);
                } else if (first.putIfAbsent(stream, source) != null) {
                    duplicates.add(source);
                    LOG.error("Two providers offer the history stream '{}': only the first one ({}) is synced",
                            stream, first.get(stream).provider());
                }
            }
        }
        for (Source u : unknown) {
            LOG.warn("History stream '{}' of {} has no table in PostgreSQL: it is kept on the box, not synced",
                    u.stream(), u.provider());
        }
        List<Source> shipped = new ArrayList<>(first.values());
        shipped.sort(Comparator.comparingInt(s -> PRIORITY.indexOf(s.stream())));
        snapshot = new Snapshot(List.copyOf(shipped), List.copyOf(unknown), List.copyOf(duplicates));
    }
}
