package org.brewpi.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central schema: created and upgraded from plain versioned SQL files kept in this bundle
 * ({@code pg/V<n>__<description>.sql}), each applied in one transaction (PostgreSQL DDL is
 * transactional) under an advisory lock, so many boxes starting at once migrate it once.
 * Also creates the monthly partitions of {@code samples} before rows of a month are shipped.
 */
final class PgSchema {

    /** In version order; a bundle cannot list its own resource folder portably. */
    static final List<String> SCRIPTS = List.of("V1__central_history.sql", "V2__audit_and_alarm_journal.sql",
            "V3__batches.sql");

    private static final Logger LOG = LoggerFactory.getLogger(PgSchema.class);
    /** Any constant: serialises migrations of all boxes sharing a database. */
    private static final long MIGRATION_LOCK = 0x62726577_70690001L;

    private final String schema;
    /** Months whose partition is known to exist; survives reconnects. */
    private final Set<YearMonth> partitions = new HashSet<>();

    PgSchema(String schema) {
        this.schema = schema;
    }

    /** Brings the schema up to date; returns its version. Leaves the connection in auto-commit. */
    int migrate(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            int current = currentVersion(c);
            if (current < SCRIPTS.size()) {
                if (!schemaExists(c)) {
                    // not IF NOT EXISTS: that needs the CREATE right on the database even when
                    // a DBA has already made the schema for this box's user
                    st.execute("CREATE SCHEMA " + schema);
                }
                st.execute("CREATE TABLE IF NOT EXISTS " + schema + ".schema_version (version INT PRIMARY KEY,"
                        + " description TEXT NOT NULL, installed_at TIMESTAMPTZ NOT NULL DEFAULT now())");
                for (int v = current + 1; v <= SCRIPTS.size(); v++) {
                    String script = SCRIPTS.get(v - 1);
                    for (String statement : statements(read(script))) {
                        st.execute(statement.replace("{schema}", schema));
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO " + schema + ".schema_version (version, description) VALUES (?, ?)")) {
                        ps.setInt(1, v);
                        ps.setString(2, script);
                        ps.executeUpdate();
                    }
                    LOG.info("PostgreSQL schema {} migrated to version {} ({})", schema, v, script);
                }
                current = SCRIPTS.size();
            } else if (current > SCRIPTS.size()) {
                LOG.warn("PostgreSQL schema {} is at version {}, newer than this box knows ({}); shipping anyway",
                        schema, current, SCRIPTS.size());
            }
            c.commit();
            return current;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private boolean schemaExists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private int currentVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, schema + ".schema_version");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + schema + ".schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Makes sure the partitions of every month between the two times exist, plus the next month
     * (so the turn of a month never waits on DDL). Runs in auto-commit, outside the batch.
     */
    void ensurePartitions(Connection c, long fromMs, long toMs) throws SQLException {
        YearMonth first = month(fromMs);
        YearMonth last = month(toMs).plusMonths(1);
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            if (!partitions.contains(m)) {
                createPartition(c, m);
                partitions.add(m);
            }
        }
    }

    static YearMonth month(long epochMs) {
        return YearMonth.from(Instant.ofEpochMilli(epochMs).atOffset(ZoneOffset.UTC));
    }

    static String partitionName(YearMonth m) {
        return String.format("samples_y%04dm%02d", m.getYear(), m.getMonthValue());
    }

    private void createPartition(Connection c, YearMonth m) throws SQLException {
        String name = partitionName(m);
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, schema + "." + name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            }
        }
        String from = m.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toInstant().toString();
        String to = m.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toInstant().toString();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + schema + "." + name + " PARTITION OF " + schema
                    + ".samples FOR VALUES FROM ('" + from + "') TO ('" + to + "')");
            LOG.info("PostgreSQL partition {}.{} created", schema, name);
        } catch (SQLException e) {
            // another box created it at the same moment
            if (!"42P07".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    static List<String> statements(String sql) {
        StringBuilder withoutComments = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String part : withoutComments.toString().split(";")) {
            if (!part.isBlank()) {
                statements.add(part.strip());
            }
        }
        return statements;
    }

    private static String read(String script) {
        try (InputStream in = PgSchema.class.getResourceAsStream("pg/" + script)) {
            if (in == null) {
                throw new IllegalStateException("PostgreSQL migration missing from the bundle: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PostgreSQL migration " + script, e);
        }
    }
}
