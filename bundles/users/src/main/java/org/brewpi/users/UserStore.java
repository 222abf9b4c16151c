package org.brewpi.users;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.brewpi.api.security.Role;

/** Users and API tokens in their own H2 file. Only hashes of PINs and tokens are stored. */
final class UserStore implements AutoCloseable {

    static final String DB_NAME = "users";

    record User(String name, String printedName, Role role, String pinHash, boolean enabled, boolean mustChangePin,
            long createdAt) {
    }

    record Token(String name, Role role, String tokenHash, String createdBy, long createdAt, long revokedAt) {
    }

    private final Connection connection;

    UserStore(Path directory) throws SQLException, IOException {
        Files.createDirectories(directory);
        // org.h2.Driver directly: DriverManager's class-loader lookup does not work inside OSGi.
        connection = new org.h2.Driver().connect("jdbc:h2:file:" + directory.resolve(DB_NAME).toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE",
                new Properties());
        if (connection == null) {
            throw new SQLException("H2 refused the URL");
        }
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS users (name VARCHAR(64) PRIMARY KEY, printed_name VARCHAR(128) NOT NULL,"
                    + " role VARCHAR(16) NOT NULL, pin_hash VARCHAR(200) NOT NULL, enabled BOOLEAN NOT NULL,"
                    + " must_change BOOLEAN NOT NULL, created_at BIGINT NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS tokens (name VARCHAR(64) PRIMARY KEY, role VARCHAR(16) NOT NULL,"
                    + " token_hash CHAR(64) NOT NULL UNIQUE, created_by VARCHAR(128) NOT NULL, created_at BIGINT NOT NULL,"
                    + " revoked_at BIGINT NOT NULL)");
        }
    }

    synchronized boolean noUsers() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM users")) {
            rs.next();
            return rs.getLong(1) == 0;
        }
    }

    synchronized Optional<User> user(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM users WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    synchronized List<User> users() throws SQLException {
        List<User> out = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM users ORDER BY name")) {
            while (rs.next()) {
                out.add(user(rs));
            }
        }
        return out;
    }

    synchronized void insert(User u) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO users (name, printed_name, role, pin_hash,"
                + " enabled, must_change, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, u.name());
            ps.setString(2, u.printedName());
            ps.setString(3, u.role().id());
            ps.setString(4, u.pinHash());
            ps.setBoolean(5, u.enabled());
            ps.setBoolean(6, u.mustChangePin());
            ps.setLong(7, u.createdAt());
            ps.executeUpdate();
        }
    }

    synchronized void update(User u) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE users SET printed_name = ?, role = ?, pin_hash = ?,"
                + " enabled = ?, must_change = ? WHERE name = ?")) {
            ps.setString(1, u.printedName());
            ps.setString(2, u.role().id());
            ps.setString(3, u.pinHash());
            ps.setBoolean(4, u.enabled());
            ps.setBoolean(5, u.mustChangePin());
            ps.setString(6, u.name());
            ps.executeUpdate();
        }
    }

    synchronized Optional<Token> tokenByHash(String hash) throws SQLException {
        return token("token_hash", hash);
    }

    synchronized Optional<Token> token(String name) throws SQLException {
        return token("name", name);
    }

    private Optional<Token> token(String column, String value) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM tokens WHERE " + column + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(token(rs)) : Optional.empty();
            }
        }
    }

    synchronized List<Token> tokens() throws SQLException {
        List<Token> out = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM tokens ORDER BY name")) {
            while (rs.next()) {
                out.add(token(rs));
            }
        }
        return out;
    }

    synchronized void insert(Token t) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO tokens (name, role, token_hash, created_by,"
                + " created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.name());
            ps.setString(2, t.role().id());
            ps.setString(3, t.tokenHash());
            ps.setString(4, t.createdBy());
            ps.setLong(5, t.createdAt());
            ps.setLong(6, t.revokedAt());
            ps.executeUpdate();
        }
    }

    synchronized void revoke(String name, long at) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at = 0")) {
            ps.setLong(1, at);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("name"), rs.getString("printed_name"), Role.parse(rs.getString("role")).orElseThrow(),
                rs.getString("pin_hash"), rs.getBoolean("enabled"), rs.getBoolean("must_change"), rs.getLong("created_at"));
    }

    private static Token token(ResultSet rs) throws SQLException {
        return new Token(rs.getString("name"), Role.parse(rs.getString("role")).orElseThrow(), rs.getString("token_hash"),
                rs.getString("created_by"), rs.getLong("created_at"), rs.getLong("revoked_at"));
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}
