package org.brewpi.h2store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.brewpi.h2store.TestDb.SCRIPTS;
import static org.brewpi.h2store.TestDb.exec;
import static org.brewpi.h2store.TestDb.query;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2SchemaTest {

    @TempDir
    Path dir;

    @Test
    void aNewFileGetsEveryScriptOnceRecordedWithItsTime() throws SQLException {
        long before = System.currentTimeMillis();
        try (Connection c = TestDb.open(dir)) {
            assertThat(H2Schema.currentVersion(c)).isZero();
            assertThat(H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS)).isEqualTo(2);
            assertThat(query(c, "SELECT version, description, script FROM schema_version ORDER BY version"))
                    .containsExactly("1 things V1__things.sql", "2 sync watermarks V2__sync_watermarks.sql");
            assertThat(query(c, "SELECT MIN(installed_at) >= " + before + " AND MAX(installed_at) <= "
                    + System.currentTimeMillis() + " FROM schema_version")).containsExactly("TRUE");
        }
        try (Connection c = TestDb.open(dir)) {
            // V1 is not idempotent: running it again would fail
            assertThat(H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS)).isEqualTo(2);
            assertThat(H2Schema.currentVersion(c)).isEqualTo(2);
            assertThat(query(c, "SELECT COUNT(*) FROM schema_version")).containsExactly("2");
        }
    }

    @Test
    void aRowWrittenWithoutTheTimeGetsItFromTheDefault() throws SQLException {
        try (Connection c = TestDb.open(dir)) {
            H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS);
            exec(c, "INSERT INTO schema_version (version, description, script) VALUES (3, 'by hand', 'V3__x.sql')");
            assertThat(query(c, "SELECT installed_at > 1700000000000 FROM schema_version WHERE version = 3"))
                    .containsExactly("TRUE");
        }
    }

    @Test
    void onlyTheFirstScriptsMigrateAnOlderFile() throws SQLException {
        try (Connection c = TestDb.open(dir)) {
            assertThat(H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS.subList(0, 1))).isEqualTo(1);
            assertThat(H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS)).isEqualTo(2);
            assertThat(query(c, "SELECT version FROM schema_version ORDER BY version")).containsExactly("1", "2");
        }
    }

    /** The version table as the alarm journal and the audit trail created it before this class. */
    @Test
    void anAlarmOrAuditFileFromBeforeKeepsItsVersionTableAndIsNotMigratedAgain() throws SQLException {
        try (Connection c = TestDb.open(dir)) {
            exec(c, "CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY,"
                    + " script VARCHAR(200) NOT NULL, installed_at BIGINT NOT NULL)",
                    "INSERT INTO schema_version VALUES (1, 'V1__things.sql', 1)",
                    "CREATE TABLE things (seq BIGINT PRIMARY KEY, ts BIGINT NOT NULL)");
            long before = System.currentTimeMillis();
            assertThat(H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS)).isEqualTo(2);
            assertThat(query(c, "SELECT version, script, installed_at >= " + before + " FROM schema_version"
                    + " ORDER BY version")).containsExactly("1 V1__things.sql FALSE", "2 V2__sync_watermarks.sql TRUE");
            assertThat(H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS)).isEqualTo(2);
            assertThat(query(c, "SELECT COUNT(*) FROM schema_version")).containsExactly("2");
        }
    }

    /** The version table as the historian created it before this class. */
    @Test
    void aHistoryFileFromBeforeKeepsItsVersionTableAndIsNotMigratedAgain() throws SQLException {
        try (Connection c = TestDb.open(dir)) {
            exec(c, "CREATE TABLE schema_version (version INT NOT NULL PRIMARY KEY,"
                    + " description VARCHAR(200) NOT NULL, script VARCHAR(200) NOT NULL,"
                    + " installed_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)",
                    "INSERT INTO schema_version (version, description, script) VALUES (1, 'things', 'V1__things.sql')",
                    "CREATE TABLE things (seq BIGINT PRIMARY KEY, ts BIGINT NOT NULL)");
            assertThat(H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS)).isEqualTo(2);
            assertThat(query(c, "SELECT version || ' ' || description || ' ' || (installed_at IS NOT NULL)"
                    + " FROM schema_version ORDER BY version")).containsExactly("1 things TRUE", "2 sync watermarks TRUE");
        }
    }

    @Test
    void aFileNewerThanTheScriptsIsRefusedAndLeftAlone() throws SQLException {
        try (Connection c = TestDb.open(dir)) {
            H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS.subList(0, 1));
            exec(c, "INSERT INTO schema_version (version, description, script) VALUES (7, 'future', 'V7__future.sql')");
            assertThatThrownBy(() -> H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS))
                    .isInstanceOf(SQLException.class).hasMessageContaining("test store")
                    .hasMessageContaining("version 7").hasMessageContaining("newer");
            assertThat(query(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'SYNC_WATERMARKS'"))
                    .containsExactly("0");
        }
    }

    @Test
    void autoCommitIsAsTheCallerHadIt() throws SQLException {
        try (Connection c = TestDb.open(dir)) {
            c.setAutoCommit(false);
            H2Schema.migrate(c, "test store", H2SchemaTest.class, SCRIPTS);
            assertThat(c.getAutoCommit()).isFalse();
        }
    }

    @Test
    void scriptNamesAreCheckedBeforeAnythingRuns() throws SQLException {
        assertThat(H2Schema.scripts(SCRIPTS)).extracting(H2Schema.Script::version).containsExactly(1, 2);
        assertThatThrownBy(() -> H2Schema.scripts(List.of("V1__a.sql", "V3__b.sql")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rise by one");
        assertThatThrownBy(() -> H2Schema.scripts(List.of("V2__a.sql")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> H2Schema.scripts(List.of("1_things.sql")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V<n>__<description>.sql");
        try (Connection c = TestDb.open(dir)) {
            assertThatThrownBy(() -> H2Schema.migrate(c, "test store", H2SchemaTest.class, List.of("V1__missing.sql")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("V1__missing.sql");
            assertThat(H2Schema.currentVersion(c)).isZero();
        }
    }

    @Test
    void statementsLoseTheirCommentsAndSplitAtSemicolons() {
        assertThat(H2Schema.statements("-- a comment\nCREATE TABLE a (x INT);\n\n  -- b\nCREATE TABLE b (y INT);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)");
    }
}
