package org.brewpi.protocol;

import java.util.regex.Pattern;

/** Topic names under a root (default {@code brewpi/v1}). */
public final class Topics {

    public static final String DEFAULT_ROOT = "brewpi/v1";
    public static final Pattern ZONE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    public static final int MAX_PAYLOAD_BYTES = 4096;

    /** What a PLC publishes under {@code {root}/{zone}/}. */
    public enum Kind {
        BIRTH, STATUS, TELE, ACK, EVENT, CMD;

        public String suffix() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String root;

    public Topics(String root) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    public String root() {
        return root;
    }

    public String zone(String zone, Kind kind) {
        return root + "/" + zone + "/" + kind.suffix();
    }

    /** Every PLC topic, for one subscription: {@code {root}/+/+}. */
    public String allZones() {
        return root + "/+/+";
    }

    public String heartbeat() {
        return root + "/scada/heartbeat";
    }

    public String scadaStatus() {
        return root + "/scada/status";
    }

    /** Splits a PLC topic; {@code null} when the topic is not {@code {root}/{zone}/{kind}}. */
    public Parsed parse(String topic) {
        if (!topic.startsWith(root + "/")) {
            return null;
        }
        String rest = topic.substring(root.length() + 1);
        int slash = rest.indexOf('/');
        if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        String zone = rest.substring(0, slash);
        String suffix = rest.substring(slash + 1);
        for (Kind kind : Kind.values()) {
            if (kind.suffix().equals(suffix)) {
                return new Parsed(zone, kind);
            }
        }
        return null;
    }

    public record Parsed(String zone, Kind kind) {
    }
}
