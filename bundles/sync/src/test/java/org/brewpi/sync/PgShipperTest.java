package org.brewpi.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.brewpi.api.history.StreamRows;
import org.junit.jupiter.api.Test;

/** The COPY text format, checked without a server (the PostgreSQL tests read the rows back). */
class PgShipperTest {

    @Test
    void copyTextEscapesTextSpellsNullsAndWritesUtcTimestamps() {
        PgShipper shipper = new PgShipper("s", "site\t1");
        long ts = Instant.parse("2026-02-28T23:59:59.007Z").toEpochMilli();
        StreamRows rows = new StreamRows("events", List.of("seq", "ts", "message", "active", "num"), List.of(
                new Object[] { 1L, ts, "a\\b\tc\nd\re", true, Double.NaN },
                new Object[] { 2L, ts + 993, null, false, 1.5 }));
        assertThat(shipper.copyText(rows)).isEqualTo(
                "site\\t1\t1\t2026-02-28 23:59:59.007+00\ta\\\\b\\tc\\nd\\re\tt\tNaN\n"
                        + "site\\t1\t2\t2026-03-01 00:00:00.000+00\t\\N\tf\t1.5\n");
    }

    @Test
    void settingsComeFromConfigThenEnvironmentThenSystemProperties() {
        SyncSettings fromEnv = SyncSettings.from(SyncServiceConfigs.defaults(),
                name -> name.equals("BREWPI_PG_URL") ? "jdbc:postgresql://db/x" : name.equals("BREWPI_SITE") ? "north" : null,
                name -> name.equals("brewpi.pg.user") ? "boxuser" : null);
        assertThat(fromEnv.configured()).isTrue();
        assertThat(fromEnv.url()).isEqualTo("jdbc:postgresql://db/x");
        assertThat(fromEnv.site()).isEqualTo("north");
        assertThat(fromEnv.user()).isEqualTo("boxuser");
        assertThat(fromEnv.target()).doesNotContain("password");
        assertThat(fromEnv.schema()).isEqualTo("brewpi");
        assertThat(SyncSettings.from(SyncServiceConfigs.defaults(), name -> name.equals("BREWPI_PG_SCHEMA") ? "e2e_x" : null,
                name -> null).schema()).isEqualTo("e2e_x");
        assertThat(SyncSettings.from(SyncServiceConfigs.defaults(), n -> null, n -> null).configured()).isFalse();
    }
}
