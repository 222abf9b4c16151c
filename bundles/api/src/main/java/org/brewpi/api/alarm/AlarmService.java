package org.brewpi.api.alarm;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The alarms of the plant. Acts of users are audited before they take effect: when the audit trail
 * cannot record them they fail with an {@link IllegalStateException} whose cause is the audit trail's
 * failure, and change nothing.
 * <p>
 * Errors: {@link NoSuchElementException} for an unknown alarm id, {@link IllegalArgumentException} for a
 * missing user or reason or a duration out of range, {@link IllegalStateException} for an act the
 * alarm's state does not allow (acknowledging what has nothing to acknowledge, unshelving what is not shelved),
 * without a cause.
 */
@ProviderType
public interface AlarmService {

    /** Every defined alarm, most urgent first (unacknowledged, then priority, then newest). */
    List<Alarm> alarms();

    Optional<Alarm> alarm(String id);

    /**
     * Acknowledges an alarm that is unacknowledged (active or returned).
     *
     * @param entryPoint {@code hmi}, {@code rest}, ... for the audit trail
     */
    Alarm acknowledge(String id, String user, String entryPoint, String comment);

    /**
     * Shelves an alarm: it is no longer annunciated until the shelf expires or is taken off.
     *
     * @param durationMs how long; 0 shelves one-shot: until the alarm next returns to normal, at most the
     *        maximum shelving time
     */
    Alarm shelve(String id, String user, String entryPoint, String reason, long durationMs);

    Alarm unshelve(String id, String user, String entryPoint, String reason);

    /** Takes an alarm out of service (inService false) or puts it back. */
    Alarm setInService(String id, boolean inService, String user, String entryPoint, String reason);

    /** The latest transitions, newest first. */
    List<AlarmTransition> journal(int limit);

    AlarmMetrics metrics();
}
