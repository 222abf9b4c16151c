package org.brewpi.historian;

/**
 * A class of records the historian keeps: one table each, ordered by its own {@code seq}. The
 * later sync service ships each stream in that order and keeps a watermark per stream.
 */
enum Stream {
    SAMPLES("samples"), EVENTS("events"), ZONE_STATES("zone_states");

    /** The H2 table, also the stream's name in health details ({@code rows.samples}). */
    final String table;

    Stream(String table) {
        this.table = table;
    }
}
