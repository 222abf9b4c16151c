package org.brewpi.api.interlock;

/**
 * A guard's refusal.
 *
 * @param error the error code the command result carries: {@code interlocked} or {@code estop}
 * @param source what refused it: the interlock's id, or {@code estop}
 * @param text the human-readable reason, e.g. the interlock's text
 */
public record GuardRefusal(String error, String source, String text) {
}
