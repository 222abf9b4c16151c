package org.brewpi.api.alarm;

/**
 * Who shelved an alarm, why, and until when.
 *
 * @param until when the shelf expires by itself, UTC epoch ms (for one-shot shelving: the maximum)
 * @param oneShot also ends when the alarm next returns to normal
 */
public record Shelf(String user, String reason, long since, long until, boolean oneShot) {
}
