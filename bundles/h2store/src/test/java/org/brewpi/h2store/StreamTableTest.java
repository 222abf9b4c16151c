package org.brewpi.h2store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.brewpi.h2store.TestDb.SCRIPTS;
import static org.brewpi.h2store.TestDb.exec;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.brewpi.api.history.StreamBacklog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamTableTest {

    static final StreamTable THINGS = new StreamTable("things", List.of("seq", "ts", "name", "value", "ratio", "small"));

    @TempDir
    Path dir;
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = TestDb.open(dir);
        H2Schema.migrate(c, "test store", StreamTableTest.class, SCRIPTS);
        for (int seq = 1; seq <= 5; seq++) {
            exec(c, "INSERT INTO things VALUES (" + seq + ", " + (1000 + seq) + ", 'n" + seq + "', 'v', 0.5, 3)");
        }
    }

    @org.junit.jupiter.api.AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void rowsAfterASeqInOrderNoFurtherThanTheDurableOneInPlainTypes() throws SQLException {
        List<Object[]> rows = THINGS.rowsAfter(c, 1, 4, 100);
        assertThat(rows).extracting(r -> r[0]).containsExactly(2L, 3L, 4L);
        assertThat(rows.get(0)).containsExactly(2L, 1002L, "n2", "v", 0.5d, 3); // REAL widened to a Double; SMALLINT is an Integer in H2 2
        assertThat(THINGS.rowsAfter(c, 0, 5, 2)).extracting(r -> r[0]).containsExactly(1L, 2L);
        assertThat(THINGS.rowsAfter(c, 5, 5, 10)).isEmpty();
    }

    @Test
    void theWatermarkOnlyMovesForwardAndTheBacklogFollowsIt() throws SQLException {
        assertThat(THINGS.syncedSeq(c)).isZero();
        assertThat(THINGS.backlog(c)).isEqualTo(new StreamBacklog("things", 5, 0, 5, 1001L));
        THINGS.markSynced(c, 3);
        THINGS.markSynced(c, 2); // late and stale: ignored
        assertThat(THINGS.syncedSeq(c)).isEqualTo(3);
        assertThat(THINGS.backlog(c)).isEqualTo(new StreamBacklog("things", 5, 3, 2, 1004L));
        THINGS.markSynced(c, 5);
        assertThat(THINGS.backlog(c)).isEqualTo(new StreamBacklog("things", 5, 5, 0, null));
        // one watermark per stream
        assertThat(new StreamTable("others", List.of("seq", "ts")).syncedSeq(c)).isZero();
    }

    @Test
    void namesThatWouldNeedQuotingOrLackSeqAndTsAreRefused() {
        assertThatThrownBy(() -> new StreamTable("things; DROP", List.of("seq", "ts")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamTable("things", List.of("ts", "seq")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamTable("things", List.of("seq", "name")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamTable("things", List.of("seq", "ts", "Name")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
