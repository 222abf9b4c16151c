package org.brewpi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.history.StreamBacklog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A box upgraded with its data dir: {@code fixtures/audit-f621f1d.mv.db} was written by the trail as it was at
 * commit f621f1d, before the migrations moved to org.brewpi.h2store (three entries at 1,750,000,000,000 +
 * 0/1/2 s, watermark at 1, schema at version 2). It opens as it is and its chain still verifies.
 */
class AuditUpgradeTest {

    private static final long T0 = 1_750_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aTrailWrittenByTheOldCodeOpensVerifiesAndGoesOn() throws Exception {
        Path auditDir = dir.resolve("audit");
        Files.createDirectories(auditDir);
        try (InputStream in = getClass().getResourceAsStream("fixtures/audit-f621f1d.mv.db")) {
            Files.copy(in, auditDir.resolve("audit.mv.db"));
        }
        try (AuditStore store = new AuditStore(auditDir)) {
            assertThat(store.lastSeq()).isEqualTo(3);
            assertThat(store.verify().ok()).isTrue();
            assertThat(versions(store)).containsExactly("1 V1__audit_table.sql", "2 V2__sync_watermarks.sql");
            assertThat(store.backlog(AuditStore.TABLE)).isEqualTo(new StreamBacklog("audit", 3, 1, 2, T0 + 1000));

            store.append(AuditEntry.of("ana", "hmi", "login", "ana", null, null, null), T0 + 3000);
            assertThat(store.rowsAfter(AuditStore.TABLE, 2, 10)).extracting(r -> r[0]).containsExactly(3L, 4L);
        }
        try (AuditStore again = new AuditStore(auditDir)) {
            assertThat(again.verify().entries()).isEqualTo(4);
            assertThat(versions(again)).containsExactly("1 V1__audit_table.sql", "2 V2__sync_watermarks.sql");
        }
    }

    private static List<String> versions(AuditStore store) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = store.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT version || ' ' || script FROM schema_version ORDER BY version")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
