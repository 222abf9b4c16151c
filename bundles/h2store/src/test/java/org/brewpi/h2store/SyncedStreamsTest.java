package org.brewpi.h2store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.brewpi.api.history.StreamBacklog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncedStreamsTest {

    static final StreamTable THINGS = StreamTableTest.THINGS;
    static final StreamTable OTHERS = new StreamTable("others", List.of("seq", "ts"));

    @TempDir
    Path dir;

    /** A store as the alarm journal's: one connection, a durable seq that only a sync moves. */
    static final class OneFile implements SyncedStreams.Store {
        final Connection c;
        final DeviceSync device;

        OneFile(Connection c, long lastSeq) throws SQLException {
            this.c = c;
            this.device = new DeviceSync(c, lastSeq);
        }

        @Override
        public synchronized List<Object[]> rowsAfter(StreamTable table, long afterSeq, int maxRows) throws SQLException {
            return table.rowsAfter(c, afterSeq, device.syncToDevice(), maxRows);
        }

        @Override
        public synchronized void markSynced(StreamTable table, long seq) throws SQLException {
            table.markSynced(c, seq);
        }

        @Override
        public synchronized StreamBacklog backlog(StreamTable table) throws SQLException {
            return table.backlog(c);
        }
    }

    @Test
    void readsShipsAndReportsThroughTheStore() throws SQLException {
        try (Connection c = TestDb.open(dir)) {
            H2Schema.migrate(c, "test store", SyncedStreamsTest.class, TestDb.SCRIPTS);
            TestDb.exec(c, "INSERT INTO things (seq, ts, name) VALUES (1, 10, 'a'), (2, 20, 'b')");
            OneFile store = new OneFile(c, 0);
            store.device.committed(2);
            SyncedStreams streams = new SyncedStreams("the test store", List.of(THINGS, OTHERS), () -> store);
            assertThat(streams.streams()).containsExactly("things", "others");
            var rows = streams.read("things", 0, 10);
            assertThat(rows.stream()).isEqualTo("things");
            assertThat(rows.columns()).isEqualTo(THINGS.columns());
            assertThat(rows.lastSeq(0)).isEqualTo(2);
            streams.markSynced("things", 1);
            assertThat(streams.backlog("things")).isEqualTo(new StreamBacklog("things", 2, 1, 1, 20L));
        }
    }

    @Test
    void unknownStreamsAndBadLimitsAreTheCallersMistakeAndAClosedStoreIsTheStores() throws SQLException {
        Connection c = TestDb.open(dir);
        H2Schema.migrate(c, "test store", SyncedStreamsTest.class, TestDb.SCRIPTS);
        OneFile store = new OneFile(c, 0);
        SyncedStreams streams = new SyncedStreams("the test store", List.of(THINGS), () -> store);
        assertThatThrownBy(() -> streams.read("audit", 0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audit");
        assertThatThrownBy(() -> streams.markSynced("audit", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> streams.backlog("audit")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> streams.read("things", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        c.close();
        assertThatThrownBy(() -> streams.read("things", 0, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the test store");
        assertThatThrownBy(() -> streams.markSynced("things", 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> streams.backlog("things")).isInstanceOf(IllegalStateException.class);

        SyncedStreams notOpen = new SyncedStreams("the test store", List.of(THINGS), () -> {
            throw new IllegalStateException("the test store could not be opened");
        });
        assertThatThrownBy(() -> notOpen.read("things", 0, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not be opened");
    }
}
