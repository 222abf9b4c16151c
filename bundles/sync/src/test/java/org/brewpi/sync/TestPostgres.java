package org.brewpi.sync;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * The real PostgreSQL on 127.0.0.1:5432 (database {@code test}, user {@code postgres}, trust). Each
 * test gets its own schema, dropped afterwards, so tests never see each other's rows. A missing
 * server fails the test: these tests are the proof that nothing is lost, never skipped.
 */
final class TestPostgres implements AutoCloseable {

    static final String HOST = System.getProperty("brewpi.test.pg.host", "127.0.0.1");
    static final int PORT = Integer.getInteger("brewpi.test.pg.port", 5432);
    static final String DATABASE = System.getProperty("brewpi.test.pg.database", "test");
    static final String ADMIN = System.getProperty("brewpi.test.pg.user", "postgres");

    final String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    static String url(String host, int port) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + DATABASE;
    }

    static String url() {
        return url(HOST, PORT);
    }

    static Connection admin() {
        Properties p = new Properties();
        p.setProperty("user", ADMIN);
        p.setProperty("connectTimeout", "5");
        try {
            return new org.postgresql.Driver().connect(url(), p);
        } catch (SQLException e) {
            return fail("PostgreSQL is required at " + url() + " as " + ADMIN + " (CI=" + System.getenv("CI")
                    + "): " + e.getMessage());
        }
    }

    void execute(String sql) {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    long count(String sql) {
        try (Connection c = admin(); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
