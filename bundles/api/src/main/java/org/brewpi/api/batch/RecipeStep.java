package org.brewpi.api.batch;

import java.util.Map;

/**
 * One step of a recipe on one zone.
 *
 * @param zone the zone it runs on, e.g. {@code kettle}
 * @param zoneType the zone's type, e.g. {@code kettle}, {@code fermenter}
 * @param setpoints tag → value ({@link Double}, {@link Boolean} or {@link String}), e.g. {@code sv = 100.0}
 * @param minutes how long the step lasts
 */
public record RecipeStep(String zone, String zoneType, String name, Map<String, Object> setpoints, int minutes) {

    public RecipeStep {
        setpoints = Map.copyOf(setpoints);
    }
}
