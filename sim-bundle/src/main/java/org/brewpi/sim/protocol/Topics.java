package org.brewpi.sim.protocol;

import java.util.regex.Pattern;

/** The topics of one zone under a topic root (docs/protocol.md, "Topics"). */
public record Topics(String root, String zone) {

    private static final Pattern ZONE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern ROOT = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    public Topics {
        if (!isValidRoot(root)) {
            throw new IllegalArgumentException("topic root '" + root + "' must be non-empty path segments without wildcards");
        }
        if (!isValidZoneId(zone)) {
            throw new IllegalArgumentException("zone id '" + zone + "' does not match [a-z0-9][a-z0-9-]{0,31}");
        }
    }

    public static boolean isValidZoneId(String id) {
        return id != null && ZONE_ID.matcher(id).matches();
    }

    public static boolean isValidRoot(String root) {
        return root != null && ROOT.matcher(root).matches();
    }

    public String birth() {
        return root + "/" + zone + "/birth";
    }

    public String status() {
        return root + "/" + zone + "/status";
    }

    public String tele() {
        return root + "/" + zone + "/tele";
    }

    public String cmd() {
        return root + "/" + zone + "/cmd";
    }

    public String ack() {
        return root + "/" + zone + "/ack";
    }

    public String event() {
        return root + "/" + zone + "/event";
    }

    public String heartbeat() {
        return root + "/scada/heartbeat";
    }

    public String scadaStatus() {
        return root + "/scada/status";
    }
}
