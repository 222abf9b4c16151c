package org.brewpi.historian;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the H2 schema from plain versioned SQL scripts kept next to this class
 * ({@code migrations/V<n>__<description>.sql}), recording each applied one in {@code schema_version}.
 * <p>
 * A script is a list of statements separated by {@code ;} (no {@code ;} inside literals) with
 * {@code --} comment lines. To change the schema, add a script and name it in {@link #SCRIPTS};
 * never edit one that has shipped.
 */
final class Migrations {

    /** In version order. A bundle cannot list its own resource folder portably, so they are named here. */
    static final List<String> SCRIPTS = List.of("V1__history_tables.sql", "V2__sync_watermarks.sql");

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    record Script(int version, String description, String resource) {
    }

    private Migrations() {
    }

    /** Brings the schema up to date; returns the schema version now in force. */
    static int apply(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + " version INT NOT NULL PRIMARY KEY,"
                    + " description VARCHAR(200) NOT NULL,"
                    + " script VARCHAR(200) NOT NULL,"
                    + " installed_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
            int current = currentVersion(connection);
            List<Script> scripts = scripts();
            int newest = scripts.get(scripts.size() - 1).version();
            if (current > newest) {
                throw new SQLException("the history schema is at version " + current
                        + ", newer than this historian knows (" + newest + "): refusing to write to it");
            }
            for (Script script : scripts) {
                if (script.version() > current) {
                    run(connection, script);
                    current = script.version();
                }
            }
            return current;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static List<Script> scripts() {
        List<Script> scripts = new ArrayList<>();
        int previous = 0;
        for (String resource : SCRIPTS) {
            Matcher m = NAME.matcher(resource);
            if (!m.matches()) {
                throw new IllegalStateException("migration script name must be V<n>__<description>.sql: " + resource);
            }
            int version = Integer.parseInt(m.group(1));
            if (version != previous + 1) {
                throw new IllegalStateException("migration versions must rise by one: " + resource);
            }
            scripts.add(new Script(version, m.group(2).replace('_', ' '), resource));
            previous = version;
        }
        return scripts;
    }

    /** The statements of a script, comments removed. */
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

    private static void run(Connection connection, Script script) throws SQLException {
        long started = System.nanoTime();
        try (Statement st = connection.createStatement()) {
            for (String statement : statements(read(script.resource()))) {
                st.execute(statement);
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO schema_version (version, description, script) VALUES (?, ?, ?)")) {
            ps.setInt(1, script.version());
            ps.setString(2, script.description());
            ps.setString(3, script.resource());
            ps.executeUpdate();
        }
        LOG.info("History schema migrated to version {} ({}) in {} ms", script.version(), script.description(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing from the bundle: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration script " + resource, e);
        }
    }
}
