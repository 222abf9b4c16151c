package org.brewpi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail as the record stream {@code audit} that the sync service ships to PostgreSQL. */
class AuditStreamTest {

    @TempDir
    Path dir;

    private H2AuditTrail open() throws Exception {
        String dataDir = dir.toString();
        return new H2AuditTrail(new AuditConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            @Override
            public String data_dir() {
                return dataDir;
            }
        });
    }

    @Test
    void entriesAreReadAfterASeqWithEveryColumnOfTheContract() throws Exception {
        H2AuditTrail trail = open();
        try {
            assertThat(trail.streams()).containsExactly("audit");
            assertThat(trail.backlog("audit")).isEqualTo(new StreamBacklog("audit", 0, 0, 0, null));
            AuditEntry first = trail.append(AuditEntry.of("ana", "hmi", "command.write", "fv1.sv", "18.0", "19.0", "cold crash"));
            trail.append(new AuditEntry(0, 0, "bob", "rest", "alarm.shelve", "fv1.comm", "UNACK_ACTIVE", "NORMAL",
                    "sensor swap", "alarm shelve"));
            trail.append(AuditEntry.of("system", "internal", "bundle.started", "org.brewpi.sim", null, "0.1.0", null));

            StreamRows rows = trail.read("audit", 0, 100);
            assertThat(rows.stream()).isEqualTo("audit");
            assertThat(rows.columns()).containsExactly("seq", "ts", "actor", "entry_point", "action", "target",
                    "old_value", "new_value", "reason", "signature", "prev_hash", "hash");
            assertThat(rows.rows()).hasSize(3);
            Object[] row = rows.rows().get(0);
            assertThat(row).hasSize(12);
            assertThat(row[0]).isEqualTo(1L);
            assertThat(row[1]).isEqualTo(first.time());
            assertThat(java.util.Arrays.asList(row).subList(2, 10)).containsExactly("ana", "hmi", "command.write", "fv1.sv", "18.0",
                    "19.0", "cold crash", null);
            assertThat(row[10]).isEqualTo(AuditChain.GENESIS);
            assertThat(row[11]).isEqualTo(AuditChain.hash(AuditChain.GENESIS, first));
            assertThat(rows.rows().get(1)[9]).isEqualTo("alarm shelve");
            assertThat(rows.rows().get(1)[10]).as("the chain travels with the rows").isEqualTo(row[11]);

            assertThat(trail.read("audit", 1, 1).rows()).singleElement().satisfies(r -> assertThat(r[0]).isEqualTo(2L));
            assertThat(trail.read("audit", 3, 10).rows()).isEmpty();
            assertThatThrownBy(() -> trail.read("alarm_journal", 0, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> trail.read("audit", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            trail.close();
        }
    }

    @Test
    void theWatermarkIsDurableOnlyMovesForwardAndEntriesStayAfterShipping() throws Exception {
        H2AuditTrail trail = open();
        long secondTs;
        try {
            trail.append(AuditEntry.of("ana", "hmi", "login", "ana", null, null, null));
            secondTs = trail.append(AuditEntry.of("ana", "hmi", "command.write", "hlt.sv", "70", "75", null)).time();
            trail.append(AuditEntry.of("ana", "hmi", "logout", "ana", null, null, null));
            trail.markSynced("audit", 1);
            trail.markSynced("audit", 0);
            assertThat(trail.backlog("audit")).isEqualTo(new StreamBacklog("audit", 3, 1, 2, secondTs));
        } finally {
            trail.close();
        }
        H2AuditTrail again = open();
        try {
            assertThat(again.backlog("audit").syncedSeq()).isEqualTo(1);
            again.markSynced("audit", 3);
            assertThat(again.backlog("audit")).as("shipped entries are kept: audit records are never dropped")
                    .isEqualTo(new StreamBacklog("audit", 3, 3, 0, null));
            assertThat(again.verify().ok()).isTrue();
        } finally {
            again.close();
        }
    }

    @Test
    void aTrailWrittenBeforeMigrationsExistedIsAdoptedAsVersionOne() throws Exception {
        Path audit = dir.resolve("audit");
        java.nio.file.Files.createDirectories(audit);
        try (Connection c = new org.h2.Driver().connect("jdbc:h2:file:" + audit.resolve("audit"), new Properties());
                Statement st = c.createStatement()) {
            // the table exactly as the first release created it
            st.execute("CREATE TABLE IF NOT EXISTS audit ("
                    + " seq BIGINT PRIMARY KEY, ts BIGINT NOT NULL, actor VARCHAR(128) NOT NULL,"
                    + " entry_point VARCHAR(16) NOT NULL, action VARCHAR(64) NOT NULL, target VARCHAR(256),"
                    + " old_value VARCHAR(1024), new_value VARCHAR(1024), reason VARCHAR(1024), signature VARCHAR(256),"
                    + " prev_hash CHAR(64) NOT NULL, hash CHAR(64) NOT NULL)");
            AuditEntry old = new AuditEntry(1, 1_000, "admin", "internal", "user.create", "ana", null, "operator", null, null);
            st.execute("INSERT INTO audit VALUES (1, 1000, 'admin', 'internal', 'user.create', 'ana', NULL, 'operator',"
                    + " NULL, NULL, '" + AuditChain.GENESIS + "', '" + AuditChain.hash(AuditChain.GENESIS, old) + "')");
        }
        H2AuditTrail trail = open();
        try {
            assertThat(trail.verify().ok()).isTrue();
            assertThat(trail.backlog("audit")).isEqualTo(new StreamBacklog("audit", 1, 0, 1, 1_000L));
            trail.append(AuditEntry.of("ana", "hmi", "login", "ana", null, null, null));
            assertThat(trail.verify().entries()).isEqualTo(2);
        } finally {
            trail.close();
        }
        try (Connection c = new org.h2.Driver().connect("jdbc:h2:file:" + audit.resolve("audit"), new Properties());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(AuditStore.MIGRATIONS.size());
        }
    }
}
