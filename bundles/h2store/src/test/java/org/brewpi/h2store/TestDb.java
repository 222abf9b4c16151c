package org.brewpi.h2store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Test files: a real H2 file in a temporary folder, and a query helper. */
final class TestDb {

    static final List<String> SCRIPTS = List.of("V1__things.sql", "V2__sync_watermarks.sql");

    private TestDb() {
    }

    static Connection open(Path dir) throws SQLException {
        return new org.h2.Driver().connect("jdbc:h2:file:" + dir.resolve("test") + ";DB_CLOSE_ON_EXIT=FALSE",
                new Properties());
    }

    static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** Each row's columns joined by a space. */
    static List<String> query(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? " " : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}
