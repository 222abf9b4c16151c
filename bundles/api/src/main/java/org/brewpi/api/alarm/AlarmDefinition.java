package org.brewpi.api.alarm;

/**
 * One alarm as configured (factory PID {@code brewpi.alarm}) or as a built-in default of a zone type.
 *
 * @param id unique, e.g. {@code fv1.pv.dev}
 * @param zone the zone; {@code system} for {@link AlarmKind#SYSTEM} alarms
 * @param tag the tag watched; for {@link AlarmKind#COMM_LOSS} empty means the zone itself; for
 *        {@link AlarmKind#SYSTEM} the health component watched
 * @param limit the limit in the tag's unit ({@link AlarmKind#RATE}: units per minute); unused for
 *        DISCRETE and COMM_LOSS
 * @param state for {@link AlarmKind#DISCRETE}: the value that is abnormal, e.g. {@code true} or {@code fault}
 * @param deadband how far back past the limit the value must come before the alarm returns
 * @param onDelayMs how long the condition must hold before the alarm becomes active
 * @param offDelayMs how long the condition must be gone before the alarm returns
 * @param suppressed suppressed by design: evaluated, never annunciated
 * @param source {@code default} (built in for the zone's type) or {@code config}
 */
public record AlarmDefinition(String id, String zone, String tag, AlarmKind kind, double limit, String state,
        AlarmPriority priority, double deadband, long onDelayMs, long offDelayMs, String message, boolean suppressed,
        String source) {

    public static final String FACTORY_PID = "brewpi.alarm";
    public static final String DEFAULT = "default";
    public static final String CONFIG = "config";

    public AlarmDefinition {
        tag = tag == null ? "" : tag;
        state = state == null ? "" : state;
        message = message == null ? "" : message;
    }

    public AlarmDefinition withSuppressed(boolean s) {
        return s == suppressed ? this
                : new AlarmDefinition(id, zone, tag, kind, limit, state, priority, deadband, onDelayMs, offDelayMs,
                        message, s, source);
    }
}
