package org.brewpi.h2store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades an H2 schema from plain versioned SQL scripts ({@code V<n>__<description>.sql}), applied
 * in order, each recorded in the table {@code schema_version} of the same file.
 * <p>
 * A script is a list of statements separated by {@code ;} (no {@code ;} inside literals) with {@code --} comment
 * lines. Write its statements idempotent ({@code IF NOT EXISTS}): H2 commits DDL one statement at a time, so a
 * migration cut short by a power loss runs again whole. Never edit a script that has shipped; add one.
 * <p>
 * Files written before this class existed keep their {@code schema_version} table as it is (the alarm journal and
 * the audit trail had {@code installed_at} as epoch ms and no {@code description}; the history had a description
 * and a timestamp): a row is written with the columns the table has, so an old file is never migrated again.
 */
public final class H2Schema {

    /** The table that records the applied versions. */
    public static final String VERSION_TABLE = "schema_version";

    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
    private static final Logger LOG = LoggerFactory.getLogger(H2Schema.class);

    /** One script, as its name says. */
    public record Script(int version, String description, String resource) {
    }

    private H2Schema() {
    }

    /**
     * Brings the schema up to date.
     *
     * @param connection an open connection to the file; its auto-commit setting is restored on return
     * @param name what the file holds, for messages ("alarm journal")
     * @param owner the class next to which the scripts lie, in a folder {@code migrations/}; read through its
     *        class loader, so a bundle finds its own scripts
     * @param scripts the scripts' file names in version order (a bundle cannot list its own resource folder
     *        portably), versions rising by one from 1
     * @return the version now in force
     * @throws SQLException also when the file is at a version newer than {@code scripts} know: nothing is written
     *         to it then
     */
    public static int migrate(Connection connection, String name, Class<?> owner, List<String> scripts)
            throws SQLException {
        List<Script> parsed = scripts(scripts);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try {
            try (Statement st = connection.createStatement()) {
                // A default for installed_at: a row written by hand, or by the history's code before this class,
                // names only version, description and script.
                st.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " ("
                        + " version INT NOT NULL PRIMARY KEY,"
                        + " description VARCHAR(200) NOT NULL,"
                        + " script VARCHAR(200) NOT NULL,"
                        + " installed_at BIGINT DEFAULT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)"
                        + " NOT NULL)");
            }
            int current = currentVersion(connection);
            int newest = parsed.isEmpty() ? 0 : parsed.get(parsed.size() - 1).version();
            if (current > newest) {
                throw new SQLException("the " + name + "'s schema is at version " + current
                        + ", newer than this bundle knows (" + newest + "): refusing to write to it");
            }
            Map<String, Integer> columns = columns(connection);
            for (Script script : parsed) {
                if (script.version() > current) {
                    run(connection, name, owner, script, columns);
                    current = script.version();
                }
            }
            return current;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The highest version recorded, 0 for a file without the version table or with an empty one. */
    public static int currentVersion(Connection connection) throws SQLException {
        if (columns(connection).isEmpty()) {
            return 0;
        }
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + VERSION_TABLE)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * The scripts' names checked and parsed.
     *
     * @throws IllegalArgumentException for a name not {@code V<n>__<description>.sql} or versions not rising by one
     *         from 1: a packaging mistake, found by the bundle's own tests
     */
    public static List<Script> scripts(List<String> names) {
        List<Script> scripts = new ArrayList<>();
        int previous = 0;
        for (String resource : names) {
            Matcher m = NAME.matcher(resource);
            if (!m.matches()) {
                throw new IllegalArgumentException("migration script name must be V<n>__<description>.sql: " + resource);
            }
            int version = Integer.parseInt(m.group(1));
            if (version != previous + 1) {
                throw new IllegalArgumentException("migration versions must rise by one from 1: " + resource);
            }
            scripts.add(new Script(version, m.group(2).replace('_', ' '), resource));
            previous = version;
        }
        return scripts;
    }

    /** The statements of a script, {@code --} comment lines removed. */
    public static List<String> statements(String sql) {
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

    private static void run(Connection connection, String name, Class<?> owner, Script script,
            Map<String, Integer> columns) throws SQLException {
        long started = System.nanoTime();
        try (Statement st = connection.createStatement()) {
            for (String statement : statements(read(owner, script.resource()))) {
                st.execute(statement);
            }
        }
        // Only the columns this file's table has (see the class comment); installed_at as epoch ms where it is a
        // number, else its own default.
        List<String> names = new ArrayList<>(List.of("version", "script"));
        List<Object> values = new ArrayList<>(List.of(script.version(), script.resource()));
        if (columns.containsKey("DESCRIPTION")) {
            names.add("description");
            values.add(script.description());
        }
        Integer installedAt = columns.get("INSTALLED_AT");
        if (installedAt != null && installedAt == Types.BIGINT) {
            names.add("installed_at");
            values.add(System.currentTimeMillis());
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + VERSION_TABLE + " ("
                + String.join(", ", names) + ") VALUES (" + "?, ".repeat(names.size() - 1) + "?)")) {
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            ps.executeUpdate();
        }
        LOG.info("{} schema migrated to version {} ({}) in {} ms", name, script.version(), script.description(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The version table's columns (upper case) and their JDBC types; empty when there is no such table. */
    private static Map<String, Integer> columns(Connection connection) throws SQLException {
        Map<String, Integer> columns = new HashMap<>();
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = meta.getColumns(null, connection.getSchema(), VERSION_TABLE.toUpperCase(Locale.ROOT),
                null)) {
            while (rs.next()) {
                columns.put(rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT), rs.getInt("DATA_TYPE"));
            }
        }
        return columns;
    }

    private static String read(Class<?> owner, String resource) {
        try (InputStream in = owner.getResourceAsStream("migrations/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing from the bundle: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration script " + resource, e);
        }
    }
}
