package org.brewpi.batches;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the batch store's H2 schema from plain versioned SQL scripts kept next to this class
 * ({@code migrations/V<n>__<description>.sql}), each applied one recorded in {@code schema_version}, as the
 * historian does. To change the schema, add a script and name it in {@link #SCRIPTS}; never edit one that
 * has shipped.
 */
final class Migrations {

    /** In version order: a bundle cannot list its own resource folder portably. */
    static final List<String> SCRIPTS = List.of("V1__batches.sql");

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /** Brings the schema up to date; returns the version now in force. */
    static int apply(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY,"
                    + " script VARCHAR(200) NOT NULL, installed_at BIGINT NOT NULL)");
        }
        int current;
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            current = rs.getInt(1);
        }
        if (current > SCRIPTS.size()) {
            throw new SQLException("the batch store's schema is at version " + current + ", newer than this bundle knows ("
                    + SCRIPTS.size() + "): refusing to write to it");
        }
        for (int version = current + 1; version <= SCRIPTS.size(); version++) {
            String script = SCRIPTS.get(version - 1);
            if (!script.startsWith("V" + version + "__")) {
                throw new IllegalStateException("migration " + script + " is not version " + version);
            }
            try (Statement st = connection.createStatement()) {
                for (String statement : statements(read(script))) {
                    st.execute(statement);
                }
            }
            try (PreparedStatement ps = connection
                    .prepareStatement("INSERT INTO schema_version (version, script, installed_at) VALUES (?, ?, ?)")) {
                ps.setInt(1, version);
                ps.setString(2, script);
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
            LOG.info("Batch store schema migrated to version {} ({})", version, script);
            current = version;
        }
        return current;
    }

    /** The statements of a script, {@code --} comment lines removed; statements end with {@code ;}. */
    static List<String> statements(String sql) {
        StringBuilder code = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String part : code.toString().split(";")) {
            if (!part.isBlank()) {
                statements.add(part.strip());
            }
        }
        return statements;
    }

    private static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing from the bundle: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration script " + script, e);
        }
    }
}
