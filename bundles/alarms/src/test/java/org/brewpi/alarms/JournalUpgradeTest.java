package org.brewpi.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.alarm.AlarmTransition;
import org.brewpi.api.history.StreamBacklog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A box upgraded with its data dir: {@code fixtures/alarms-f621f1d.mv.db} was written by the journal as it was at
 * commit f621f1d, before the migrations moved to org.brewpi.h2store (three transitions at 1,750,000,000,000 +
 * 0/1/2 s, watermark at 2). It opens as it is: no migration runs again, nothing is set aside.
 */
class JournalUpgradeTest {

    private static final long T0 = 1_750_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aJournalWrittenByTheOldCodeOpensWithItsRowsAndWatermark() throws Exception {
        Path journalDir = dir.resolve("alarms");
        Files.createDirectories(journalDir);
        try (InputStream in = getClass().getResourceAsStream("fixtures/alarms-f621f1d.mv.db")) {
            Files.copy(in, journalDir.resolve("alarms.mv.db"));
        }
        try (JournalStore store = new JournalStore(journalDir)) {
            assertThat(store.setAside()).isNull();
            assertThat(store.lastSeq()).isEqualTo(3);
            assertThat(store.newest(10)).extracting(AlarmTransition::transition)
                    .containsExactly("activate", "acknowledge", "clear");
            assertThat(versions(store)).containsExactly("1 V1__alarm_journal.sql");
            assertThat(store.backlog(JournalStore.TABLE))
                    .isEqualTo(new StreamBacklog("alarm_journal", 3, 2, 1, T0 + 2000));

            store.append(List.of(new AlarmTransition(4, T0 + 3000, "hlt.hi", "activate", AlarmState.NORMAL,
                    AlarmState.UNACK_ACTIVE, "system", null, "82.0")));
            assertThat(store.rowsAfter(JournalStore.TABLE, 2, 10)).extracting(r -> r[0]).containsExactly(3L, 4L);
        }
        try (JournalStore again = new JournalStore(journalDir)) {
            assertThat(again.lastSeq()).isEqualTo(4);
            assertThat(versions(again)).containsExactly("1 V1__alarm_journal.sql");
        }
    }

    private static List<String> versions(JournalStore store) throws SQLException {
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
