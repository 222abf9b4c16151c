package org.brewpi.broker;

import java.util.Set;

/**
 * The access rules of docs/protocol.md "Security", for one topic root (default {@code brewpi/v1}):
 * <ul>
 * <li>PLC {@code zone} may publish only to {@code root/zone/birth|status|tele|ack|event} and subscribe only to
 * {@code root/zone/cmd} and {@code root/scada/#} (or a narrower filter under it). So it can neither send a
 * command nor speak for the SCADA or another zone.</li>
 * <li>An anonymous client (only when the box allows them, for demos) may subscribe to any filter under the root
 * and publish nothing.</li>
 * </ul>
 * The SCADA itself publishes in-process and is not subject to these rules. Every method answers for any input
 * and never throws.
 */
final class ZoneAcl {

    static final String DEFAULT_ROOT = "brewpi/v1";
    static final Set<String> PLC_PUBLISHES = Set.of("birth", "status", "tele", "ack", "event");
    static final String SCADA = "scada";

    private final String root;

    /** @throws IllegalArgumentException if {@code root} is not a plain topic prefix */
    ZoneAcl(String root) {
        String problem = rootProblem(root);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.root = root;
    }

    static String rootProblem(String root) {
        if (root == null || root.isEmpty()) {
            return "topic root is empty";
        }
        if (root.length() > 128) {
            return "topic root is longer than 128 characters";
        }
        if (root.startsWith("$") || root.startsWith("/") || root.endsWith("/") || root.contains("//")) {
            return "topic root '" + root + "' must not start with '$' or '/', end with '/' or hold an empty level";
        }
        String topicProblem = TopicFilter.topicProblem(root);
        return topicProblem == null ? null : "topic root '" + root + "': " + topicProblem;
    }

    String root() {
        return root;
    }

    /**
     * @param user the authenticated user name (a zone id), or {@code null} for an anonymous client
     */
    boolean mayPublish(String user, String topic) {
        if (user == null || topic == null || !ZoneIds.isValid(user)) {
            return false;
        }
        String prefix = root + "/" + user + "/";
        return topic.startsWith(prefix) && PLC_PUBLISHES.contains(topic.substring(prefix.length()));
    }

    /**
     * @param user the authenticated user name (a zone id), or {@code null} for an anonymous client
     */
    boolean maySubscribe(String user, String filter) {
        if (filter == null || TopicFilter.problem(filter) != null) {
            return false;
        }
        if (user == null) {
            return filter.equals(root) || filter.startsWith(root + "/");
        }
        if (!ZoneIds.isValid(user)) {
            return false;
        }
        String scada = root + "/" + SCADA;
        return filter.equals(root + "/" + user + "/cmd") || filter.equals(scada) || filter.startsWith(scada + "/");
    }
}
