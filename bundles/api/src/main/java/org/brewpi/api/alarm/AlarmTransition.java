package org.brewpi.api.alarm;

/**
 * One line of the alarm journal.
 *
 * @param transition {@code activate}, {@code return}, {@code ack}, {@code shelve}, {@code unshelve},
 *        {@code shelf_expired}, {@code suppress}, {@code unsuppress}, {@code out_of_service},
 *        {@code in_service}, {@code removed}
 * @param actor the user, or {@code alarms} when the engine acted on its own
 * @param value the value that caused it, as text, {@code null} if none
 */
public record AlarmTransition(long seq, long time, String alarm, String transition, AlarmState from, AlarmState to,
        String actor, String reason, String value) {
}
