package org.brewpi.broker;

/**
 * An MQTT topic filter ({@code +} for one level, {@code #} for any number of levels at the end), parsed once
 * and then matched against many topics. Filters that start with a wildcard do not match {@code $} topics.
 */
final class TopicFilter {

    private final String text;
    private final String[] levels;

    private TopicFilter(String text) {
        this.text = text;
        this.levels = levels(text);
    }

    /** @throws IllegalArgumentException if {@code filter} is not a valid MQTT topic filter */
    static TopicFilter parse(String filter) {
        String problem = problem(filter);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new TopicFilter(filter);
    }

    /** @return why {@code filter} is not a valid MQTT topic filter, or {@code null} if it is one */
    static String problem(String filter) {
        if (filter == null || filter.isEmpty()) {
            return "empty topic filter";
        }
        if (filter.indexOf('\0') >= 0) {
            return "topic filter holds a NUL character";
        }
        String[] levels = levels(filter);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return "'#' must be a whole level at the end of the filter: " + filter;
            }
            if (level.contains("+") && !level.equals("+")) {
                return "'+' must be a whole level: " + filter;
            }
        }
        return null;
    }

    /** @return why {@code topic} cannot be published to, or {@code null} if it can */
    static String topicProblem(String topic) {
        if (topic == null || topic.isEmpty()) {
            return "empty topic";
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return "wildcard in a topic name: " + topic;
        }
        if (topic.indexOf('\0') >= 0) {
            return "topic holds a NUL character";
        }
        return null;
    }

    /** Splits a topic or filter into its levels; empty levels count ({@code a//b} has three). */
    static String[] levels(String topic) {
        return topic.split("/", -1);
    }

    boolean matches(String topic) {
        return matches(levels(topic));
    }

    /** @param topicLevels a topic already split by {@link #levels(String)} */
    boolean matches(String[] topicLevels) {
        if (topicLevels.length > 0 && topicLevels[0].startsWith("$")
                && (levels[0].equals("+") || levels[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                return true; // also matches the parent level: "a/#" matches "a"
            }
            if (i >= topicLevels.length) {
                return false;
            }
            if (!level.equals("+") && !level.equals(topicLevels[i])) {
                return false;
            }
        }
        return levels.length == topicLevels.length;
    }

    @Override
    public String toString() {
        return text;
    }
}
