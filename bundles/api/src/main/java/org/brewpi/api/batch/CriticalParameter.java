package org.brewpi.api.batch;

/**
 * A critical control point (HACCP) of a recipe: a zone's tag within limits.
 *
 * @param min lower limit (inclusive), {@code null} for none
 * @param max upper limit (inclusive), {@code null} for none
 * @param minutes {@code hold}: the shortest unbroken stretch within limits; {@code throughout}: unused (0)
 * @param mode {@code hold} (within limits for at least {@code minutes} at some point of the batch) or
 *        {@code throughout} (every sample of the batch within limits)
 * @param hazard what the CCP controls, as the HACCP plan says it
 */
public record CriticalParameter(String id, String zone, String tag, Double min, Double max, int minutes, String mode,
        String hazard) {

    public static final String HOLD = "hold";
    public static final String THROUGHOUT = "throughout";
}
