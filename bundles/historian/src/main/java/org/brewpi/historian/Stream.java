package org.brewpi.historian;

import java.util.List;

import org.brewpi.h2store.StreamTable;

/**
 * A class of records the historian keeps: one table each, ordered by its own {@code seq}. The
 * sync service ships each stream in that order and keeps a watermark per stream.
 * <p>
 * Declared in shipping priority: events and state transitions before the bulk of samples.
 */
enum Stream {
    EVENTS("events", List.of("seq", "zone", "ts", "plc_ts", "boot", "plc_seq", "kind", "code", "active", "message")),
    ZONE_STATES("zone_states", List.of("seq", "zone", "ts", "state", "reason")),
    SAMPLES("samples", List.of("seq", "zone", "tag", "ts", "plc_ts", "num_value", "text_value", "quality"));

    /** The H2 table, also the stream's name in health details ({@code rows.samples}). */
    final String table;
    /** What a sync reads, {@code seq} first. */
    final List<String> columns;
    /** The table as the sync reads it. */
    final StreamTable rows;

    Stream(String table, List<String> columns) {
        this.table = table;
        this.columns = columns;
        this.rows = new StreamTable(table, columns);
    }

    static Stream named(String name) {
        for (Stream s : values()) {
            if (s.table.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no history stream named " + name);
    }
}
