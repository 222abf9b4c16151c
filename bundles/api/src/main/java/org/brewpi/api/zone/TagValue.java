package org.brewpi.api.zone;

/**
 * One tag's value as the SCADA knows it.
 *
 * @param value a {@code Double}, {@code Boolean} or {@code String}; {@code null} when no good value exists
 * @param plcTime the PLC's clock when it read the value (epoch ms, or ms since boot without NTP)
 * @param arrivalTime when the SCADA received it, UTC epoch ms
 */
public record TagValue(String zone, String tag, Object value, Quality quality, long plcTime, long arrivalTime) {

    public TagValue withQuality(Quality q) {
        return q == quality ? this : new TagValue(zone, tag, value, q, plcTime, arrivalTime);
    }
}
