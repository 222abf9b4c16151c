package org.brewpi.sync;

import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;

import org.brewpi.api.history.StreamRows;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes one batch of a stream into its PostgreSQL table in one transaction, with COPY.
 * <p>
 * A batch is normally new to PostgreSQL (the local watermark moves right after each commit), so
 * the fast path copies straight into the table. Only after a crash between PostgreSQL's commit and
 * the watermark's can part of a batch be there already: the unique key then rejects the COPY, and
 * the batch is copied again into a temporary table and inserted with {@code ON CONFLICT DO NOTHING}.
 */
final class PgShipper {

    private static final String UNIQUE_VIOLATION = "23505";

    private final String schema;
    private final String site;

    PgShipper(String schema, String site) {
        this.schema = schema;
        this.site = site;
    }

    /** Result of a batch: rows new to PostgreSQL, and whether the slow path was needed. */
    record Shipped(long inserted, boolean overlapped) {
    }

    /** Copies the rows and commits; on any failure nothing of the batch is kept. */
    Shipped ship(Connection c, StreamRows batch) throws SQLException {
        return ship(c, batch, copyText(batch).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * As {@link #ship(Connection, StreamRows)}, with the batch's {@link #copyText} already made and
     * encoded (by the read-ahead thread, off the copying one).
     */
    Shipped ship(Connection c, StreamRows batch, byte[] data) throws SQLException {
        String columns = "site, " + String.join(", ", batch.columns());
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        c.setAutoCommit(false);
        try {
            long n = copy.copyIn("COPY " + schema + "." + batch.stream() + " (" + columns + ") FROM STDIN", new ByteArrayInputStream(data));
            c.commit();
            return new Shipped(n, false);
        } catch (SQLException e) {
            c.rollback();
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
        } catch (IOException e) {
            c.rollback();
            throw new SQLException("COPY of " + batch.stream() + " failed: " + e.getMessage(), "08006", e);
        } finally {
            c.setAutoCommit(true);
        }
        return shipOverlapping(c, copy, batch, columns, data);
    }

    private Shipped shipOverlapping(Connection c, CopyManager copy, StreamRows batch, String columns, byte[] data)
            throws SQLException {
        String staging = "brewpi_staging_" + batch.stream();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS " + staging + " (LIKE " + schema + "." + batch.stream()
                    + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
            copy.copyIn("COPY " + staging + " (" + columns + ") FROM STDIN", new ByteArrayInputStream(data));
            long n = st.executeUpdate("INSERT INTO " + schema + "." + batch.stream() + " (" + columns + ") SELECT "
                    + columns + " FROM " + staging + " ON CONFLICT DO NOTHING");
            c.commit();
            return new Shipped(n, true);
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } catch (IOException e) {
            c.rollback();
            throw new SQLException("COPY of " + batch.stream() + " failed: " + e.getMessage(), "08006", e);
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** COPY's text format: tab-separated, {@code \N} for null, backslash escapes. */
    String copyText(StreamRows batch) {
        List<String> columns = batch.columns();
        int n = columns.size();
        boolean[] isTime = new boolean[n];
        for (int i = 0; i < n; i++) {
            isTime[i] = columns.get(i).equals("ts");
        }
        StringBuilder out = new StringBuilder(batch.rows().size() * 96);
        Timestamps timestamps = new Timestamps();
        String sitePrefix = escape(site, new StringBuilder()).append('\t').toString();
        for (Object[] row : batch.rows()) {
            out.append(sitePrefix);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append('\t');
                }
                Object v = row[i];
                if (v == null) {
                    out.append("\\N");
                } else if (isTime[i]) {
                    timestamps.append(((Number) v).longValue(), out);
                } else if (v instanceof String s) {
                    escape(s, out);
                } else if (v instanceof Boolean b) {
                    out.append(b ? 't' : 'f');
                } else {
                    out.append(v); // numbers; Double's NaN and Infinity are spelt as PostgreSQL reads them
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Per {@link #copyText} call, so batches may be formatted on any thread. */
    private static final class Timestamps {
        private long cachedDay = Long.MIN_VALUE;
        private String cachedDate;

        /**
         * UTC epoch ms as PostgreSQL's timestamptz input ({@code 2026-03-01 12:34:56.789+00}). By hand,
         * with the date cached per day: {@code Instant.toString()} for every row was a visible share of
         * the catch-up time.
         */
        private void append(long epochMs, StringBuilder out) {
            long day = Math.floorDiv(epochMs, 86_400_000L);
            if (day != cachedDay) {
                cachedDate = LocalDate.ofEpochDay(day).toString() + ' ';
                cachedDay = day;
            }
            int ms = (int) Math.floorMod(epochMs, 86_400_000L);
            out.append(cachedDate);
            two(ms / 3_600_000, out).append(':');
            two(ms / 60_000 % 60, out).append(':');
            two(ms / 1000 % 60, out).append('.');
            int milli = ms % 1000;
            out.append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10)).append((char) ('0' + milli % 10));
            out.append("+00");
        }
    }

    private static StringBuilder two(int n, StringBuilder out) {
        return out.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    private static StringBuilder escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }
}
