package org.brewpi.sync;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The sync settings, already checked. {@code url == null} means local only.
 */
record SyncSettings(String url, String user, String password, String site, String schema, int batchSize,
        long idleMs, long retryMinMs, long retryMaxMs, long backlogAlarmMs) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    SyncSettings {
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("sync schema must be a lower-case SQL identifier, not '" + schema + "'");
        }
        if (batchSize < 1 || idleMs < 1 || retryMinMs < 1 || retryMaxMs < retryMinMs || backlogAlarmMs < 1) {
            throw new IllegalArgumentException("bad sync settings: batch.size=" + batchSize + " idle.ms=" + idleMs
                    + " retry.min.ms=" + retryMinMs + " retry.max.ms=" + retryMaxMs + " backlog.alarm.ms="
                    + backlogAlarmMs);
        }
    }

    boolean configured() {
        return url != null;
    }

    /** Where the connection came from, for health, without the password. */
    String target() {
        return url == null ? "none" : url + " as " + user + ", site " + site + ", schema " + schema;
    }

    static SyncSettings from(SyncConfig c) {
        return from(c, System::getenv, System::getProperty);
    }

    /** Config first, then the environment, then system properties. */
    static SyncSettings from(SyncConfig c, Function<String, String> env, Function<String, String> props) {
        String url = pick(c.url(), "BREWPI_PG_URL", env, props);
        String user = pick(c.user(), "BREWPI_PG_USER", env, props);
        String password = pick(c._password(), "BREWPI_PG_PASSWORD", env, props);
        String site = pick(c.site(), "BREWPI_SITE", env, props);
        String schema = pick(c.schema(), "BREWPI_PG_SCHEMA", env, props);
        return new SyncSettings(url, user == null ? "brewpi" : user, password == null ? "" : password,
                site == null ? hostName() : site, schema == null ? "brewpi" : schema,
                c.batch_size(), c.idle_ms(), c.retry_min_ms(), c.retry_max_ms(), c.backlog_alarm_s() * 1000);
    }

    private static String pick(String configured, String envName, Function<String, String> env,
            Function<String, String> props) {
        for (String v : new String[] { configured, env.apply(envName),
                props.apply(envName.toLowerCase().replace('_', '.')) }) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "box";
        }
    }

    /** Details safe to show. */
    Map<String, Object> shown() {
        return Map.of("url", url == null ? "" : url, "user", user, "site", site, "schema", schema);
    }
}
