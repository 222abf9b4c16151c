package org.brewpi.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Statement;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditVerification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditStoreTest {

    @TempDir
    Path dir;

    private static AuditEntry write(int i) {
        return AuditEntry.of("ana", "hmi", "command.write", "fv1.sv", Double.toString(18 + i), Double.toString(19 + i), null);
    }

    private AuditStore withEntries(int n) throws Exception {
        AuditStore store = new AuditStore(dir);
        for (int i = 0; i < n; i++) {
            store.append(write(i), 1_000 + i);
        }
        return store;
    }

    private static void sql(AuditStore store, String statement) throws Exception {
        try (Statement st = store.connection().createStatement()) {
            st.execute(statement);
        }
    }

    @Test
    void entriesAreNumberedTimedAndVerify() throws Exception {
        try (AuditStore store = withEntries(5)) {
            var all = store.entries(0, 0, Long.MAX_VALUE, null, null, 100);
            assertThat(all).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(all.get(0).time()).isEqualTo(1_000);
            assertThat(store.verify()).isEqualTo(new AuditVerification(true, 5, null, null));
            assertThat(store.entries(3, 0, Long.MAX_VALUE, "ana", "fv1", 100)).hasSize(2);
            assertThat(store.entries(0, 0, Long.MAX_VALUE, "bob", null, 100)).isEmpty();
        }
    }

    @Test
    void theChainSurvivesARestart() throws Exception {
        try (AuditStore store = withEntries(3)) {
            assertThat(store.lastSeq()).isEqualTo(3);
        }
        try (AuditStore again = new AuditStore(dir)) {
            again.append(write(9), 5_000);
            assertThat(again.verify()).isEqualTo(new AuditVerification(true, 4, null, null));
        }
    }

    @Test
    void aChangedValueIsFoundAndNamed() throws Exception {
        try (AuditStore store = withEntries(5)) {
            sql(store, "UPDATE audit SET new_value = '30.0' WHERE seq = 3");
            assertThat(store.verify()).isEqualTo(new AuditVerification(false, 2, 3L, "altered"));
        }
    }

    @Test
    void aDeletedEntryIsFoundAndNamed() throws Exception {
        try (AuditStore store = withEntries(5)) {
            sql(store, "DELETE FROM audit WHERE seq = 2");
            assertThat(store.verify()).isEqualTo(new AuditVerification(false, 1, 2L, "missing"));
        }
        try (AuditStore store = new AuditStore(dir)) {
            sql(store, "DELETE FROM audit WHERE seq = 5"); // the tail, while the trail is open
            assertThat(store.verify().ok()).isFalse();
        }
    }

    @Test
    void swappedEntriesAreFoundAndNamed() throws Exception {
        try (AuditStore store = withEntries(5)) {
            // swap the contents of 2 and 3, keeping the sequence numbers in place
            sql(store, "UPDATE audit SET seq = -2 WHERE seq = 2");
            sql(store, "UPDATE audit SET seq = 2 WHERE seq = 3");
            sql(store, "UPDATE audit SET seq = 3 WHERE seq = -2");
            AuditVerification v = store.verify();
            assertThat(v.ok()).isFalse();
            assertThat(v.firstBad()).isEqualTo(2L);
            assertThat(v.problem()).isEqualTo("reordered");
        }
    }

    @Test
    void aRewrittenHashChainIsStillCaughtWhereTheValueChanged() throws Exception {
        try (AuditStore store = withEntries(3)) {
            // an attacker who changes a value and recomputes that entry's hash breaks the next link
            var e = store.entries(1, 0, Long.MAX_VALUE, null, null, 1).get(0);
            var forged = new AuditEntry(e.seq(), e.time(), e.actor(), e.entryPoint(), e.action(), e.target(), e.oldValue(),
                    "99.0", e.reason(), e.signature());
            String prev;
            try (var rs = store.connection().createStatement().executeQuery("SELECT prev_hash FROM audit WHERE seq = 2")) {
                rs.next();
                prev = rs.getString(1);
            }
            sql(store, "UPDATE audit SET new_value = '99.0', hash = '" + AuditChain.hash(prev, forged) + "' WHERE seq = 2");
            assertThat(store.verify()).isEqualTo(new AuditVerification(false, 2, 3L, "reordered"));
        }
    }

    @Test
    void incompleteEntriesAreRefused() throws Exception {
        try (AuditStore store = new AuditStore(dir)) {
            assertThatThrownBy(() -> store.append(AuditEntry.of(" ", "hmi", "x", null, null, null, null), 1))
                    .hasMessageContaining("actor");
            assertThat(store.lastSeq()).isZero();
        }
    }
}
