package org.brewpi.api.history;

import java.util.List;

/**
 * A slice of a stream, in seq order.
 *
 * @param stream the stream's name ({@code samples}, {@code events}, ...)
 * @param columns the column names, the first always {@code seq}; times are UTC epoch ms
 *        ({@link Long}) in columns named {@code ts} or ending in {@code _ts}
 * @param rows one array per row, values in column order: {@link Long}, {@link Integer},
 *        {@link Short}, {@link Double}, {@link Boolean}, {@link String} or {@code null}
 */
public record StreamRows(String stream, List<String> columns, List<Object[]> rows) {

    public StreamRows {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** The seq of the last row, or {@code afterSeq} if there are no rows. */
    public long lastSeq(long afterSeq) {
        return rows.isEmpty() ? afterSeq : ((Number) rows.get(rows.size() - 1)[0]).longValue();
    }
}
