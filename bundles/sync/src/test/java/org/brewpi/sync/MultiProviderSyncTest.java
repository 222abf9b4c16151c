package org.brewpi.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.brewpi.api.history.HistoryStreams;
import org.brewpi.api.history.StreamBacklog;
import org.brewpi.api.history.StreamRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several providers of record streams at once (the real historian, and in-memory stand-ins for the
 * audit trail and the alarm journal), coming and going while the sync runs, against the real
 * PostgreSQL.
 */
class MultiProviderSyncTest {

    private static final long T0 = Instant.parse("2026-04-01T08:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    private final TestPostgres pg = new TestPostgres();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** Every markSynced call, in order: the order in which streams were shipped. */
    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        pg.close();
    }

    @Test
    void everyProvidersStreamsArriveInPriorityOrderAndUnknownStreamsStayOnTheBox() {
        LocalHistory box = open(new LocalHistory(dataDir));
        long samples = box.produce(T0, 1000, 1000); // 30,000 samples: 15 batches of 2000
        box.awaitCommitted(samples);
        FakeStreams journals = new FakeStreams("audit+alarms", journal).stream("audit", FakeStreams.AUDIT)
                .stream("alarm_journal", FakeStreams.ALARM_JOURNAL).stream("mystery", List.of("seq", "ts", "what"))
                .audit(1, 300, T0).alarms(1, 120, T0);
        FakeStreams batches = new FakeStreams("batches", journal).stream("batches", FakeStreams.BATCHES).batches(1, T0);
        for (long seq = 1; seq <= 10; seq++) {
            journals.add("mystery", seq, T0 + seq, "not for PostgreSQL");
        }
        StreamSources sources = new StreamSources();
        sources.add(new Recording(box.historian));
        sources.add(journals);
        sources.add(batches);
        SyncEngine sync = open(new SyncEngine(sources, settings("site-m")));

        await("every known stream synced", () -> waiting(box.historian) == 0 && journals.backlog("audit").waiting() == 0
                && journals.backlog("alarm_journal").waiting() == 0 && batches.backlog("batches").waiting() == 0);

        // the first batch of each stream in priority order, and every audit and alarm row before any sample
        List<String> firstShipped = journal.stream().distinct().toList();
        assertThat(firstShipped).containsExactlyElementsOf(StreamSources.PRIORITY);
        assertThat(journal.indexOf("samples")).isGreaterThan(journal.lastIndexOf("audit"))
                .isGreaterThan(journal.lastIndexOf("alarm_journal"));
        assertThat(journal.stream().filter("samples"::equals).count()).isEqualTo(15);

        assertSameRows(journals, "audit", "site-m");
        assertSameRows(journals, "alarm_journal", "site-m");
        assertSameRows(batches, "batches", "site-m");
        for (String stream : box.historian.streams()) {
            assertSameRows(box.historian, stream, "site-m");
        }
        assertThat(pg.count("SELECT COUNT(*) FROM pg_tables WHERE schemaname = '" + pg.schema
                + "' AND tablename = 'mystery'")).isZero();
        assertThat(journals.backlog("mystery").waiting()).isEqualTo(10);

        SyncEngine.Report report = sync.report(System.currentTimeMillis());
        assertThat(report.status()).as("a stream that is not synced is not hidden").isEqualTo(SyncEngine.Status.DEGRADED);
        assertThat(report.details()).containsEntry("unknown.streams", List.of("mystery"));
        Map<String, Map<String, Object>> streams = streams(report);
        assertThat(streams.keySet()).containsExactly("audit", "batches", "alarm_journal", "events", "zone_states", "samples",
                "mystery");
        for (String stream : StreamSources.PRIORITY) {
            assertThat(streams.get(stream)).as(stream).containsEntry("synced", true).containsEntry("waiting", 0L)
                    .containsEntry("rows.waiting", 0L).containsEntry("oldestWaitingTs", null)
                    .containsEntry("lastError", null).containsKeys("rows.local", "rows.synced", "lastGoodSync");
            assertThat(streams.get(stream).get("lastGoodSync")).as(stream).isNotNull();
            assertThat((Long) streams.get(stream).get("rows.synced")).isEqualTo(streams.get(stream).get("rows.local"))
                    .isPositive();
        }
        assertThat(streams.get("mystery")).containsEntry("synced", false).containsEntry("waiting", 10L)
                .containsEntry("rows.local", 10L).containsEntry("oldestWaitingTs", T0 + 1)
                .containsEntry("lastGoodSync", null);
        assertThat((String) streams.get("mystery").get("lastError")).contains("not synced");
    }

    @Test
    void providersThatComeAndGoAreFollowed() {
        LocalHistory box = open(new LocalHistory(dataDir));
        long samples = box.produce(T0, 1000, 50);
        box.awaitCommitted(samples);
        StreamSources sources = new StreamSources(box.historian);
        SyncEngine sync = open(new SyncEngine(sources, settings("site-n")));
        await("the historian synced", () -> waiting(box.historian) == 0);
        assertThat(streams(sync.report(System.currentTimeMillis()))).doesNotContainKey("audit");

        // the audit trail's bundle starts while the sync runs
        FakeStreams audit = new FakeStreams("audit", journal).stream("audit", FakeStreams.AUDIT).audit(1, 50, T0);
        sources.add(audit);
        await("the audit trail synced", () -> audit.backlog("audit").waiting() == 0);
        assertThat(streams(sync.report(System.currentTimeMillis()))).containsKey("audit");

        // it stops (rows keep coming into its store meanwhile), and comes back as a new service
        sources.remove(audit);
        assertThat(streams(sync.report(System.currentTimeMillis()))).doesNotContainKey("audit");
        audit.audit(51, 25, T0);
        LocalHistory.sleep(300);
        assertThat(audit.backlog("audit").waiting()).as("not shipped while gone").isEqualTo(25);
        sources.add(audit);
        await("the rows written while it was away synced", () -> audit.backlog("audit").waiting() == 0);
        assertSameRows(audit, "audit", "site-n");

        // a second provider of a stream that already has one is shown and not shipped
        FakeStreams stray = new FakeStreams("stray", journal).stream("events", List.of("seq", "ts", "zone"));
        stray.add("events", 1L, T0, "x");
        sources.add(stray);
        SyncEngine.Report report = sync.report(System.currentTimeMillis());
        assertThat(report.details()).containsEntry("duplicate.streams", List.of("events"));
        assertThat(report.status()).isEqualTo(SyncEngine.Status.DEGRADED);
        LocalHistory.sleep(300);
        assertThat(stray.backlog("events").waiting()).isEqualTo(1);
        sources.remove(stray);
        samples += box.produce(T0 + 100_000, 1000, 20);
        box.awaitCommitted(samples);
        await("the historian synced again", () -> waiting(box.historian) == 0);
        for (String stream : box.historian.streams()) {
            assertSameRows(box.historian, stream, "site-n");
        }
        assertThat(sync.report(System.currentTimeMillis()).status()).isEqualTo(SyncEngine.Status.UP);
    }

    // --- helpers ------------------------------------------------------------------------------

    /** The historian, with its markSynced calls written to the journal. */
    private final class Recording implements HistoryStreams {
        private final HistoryStreams inner;

        Recording(HistoryStreams inner) {
            this.inner = inner;
        }

        @Override
        public List<String> streams() {
            return inner.streams();
        }

        @Override
        public StreamRows read(String stream, long afterSeq, int maxRows) {
            return inner.read(stream, afterSeq, maxRows);
        }

        @Override
        public void markSynced(String stream, long seq) {
            inner.markSynced(stream, seq);
            journal.add(stream);
        }

        @Override
        public StreamBacklog backlog(String stream) {
            return inner.backlog(stream);
        }
    }

    private SyncSettings settings(String site) {
        return new SyncSettings(TestPostgres.url(), TestPostgres.ADMIN, "", site, pg.schema, 2000, 20, 100, 400,
                3_600_000);
    }

    private <T extends AutoCloseable> T open(T resource) {
        toClose.add(resource);
        return resource;
    }

    private static long waiting(HistoryStreams provider) {
        long n = 0;
        for (String s : provider.streams()) {
            n += provider.backlog(s).waiting();
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> streams(SyncEngine.Report report) {
        return (Map<String, Map<String, Object>>) report.details().get("streams");
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LocalHistory.sleep(20);
        }
    }

    /** The provider's rows of the stream, value for value, in PostgreSQL, once each. */
    private void assertSameRows(HistoryStreams provider, String stream, String site) {
        StreamRows local = provider.read(stream, 0, Integer.MAX_VALUE);
        List<String> expected = new ArrayList<>();
        for (Object[] row : local.rows()) {
            expected.add(line(row));
        }
        List<String> select = new ArrayList<>();
        for (String c : local.columns()) {
            select.add(c.equals("ts") ? "(EXTRACT(EPOCH FROM ts) * 1000)::bigint" : c);
        }
        List<String> actual = new ArrayList<>();
        try (Connection c = TestPostgres.admin(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + String.join(", ", select) + " FROM " + pg.schema + "."
                        + stream + " WHERE site = '" + site + "' ORDER BY seq")) {
            int n = local.columns().size();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                actual.add(line(row));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        assertThat(expected).as(stream).isNotEmpty();
        assertThat(actual).as(stream).containsExactlyElementsOf(expected);
    }

    private static String line(Object[] row) {
        StringBuilder b = new StringBuilder();
        for (Object v : row) {
            b.append(v instanceof Number n && !(v instanceof Double) ? String.valueOf(n.longValue()) : String.valueOf(v))
                    .append('|');
        }
        return b.toString();
    }
}
