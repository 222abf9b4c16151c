package org.brewpi.sim.plc;

import java.util.List;

/**
 * A tag as the emulated PLC declares it in its birth.
 *
 * @param kind {@code analog}, {@code bool} or {@code enum}
 * @param unit {@code null} when the tag has none
 * @param min {@code null} when unbounded (and for non-analog tags)
 * @param max {@code null} when unbounded (and for non-analog tags)
 * @param values allowed values of an enum, empty otherwise
 */
public record TagSpec(String name, String kind, String unit, Double min, Double max, List<String> values, boolean rw) {

    public TagSpec {
        values = List.copyOf(values);
    }

    static TagSpec analog(String name, String unit, double min, double max, boolean rw) {
        return new TagSpec(name, "analog", unit, min, max, List.of(), rw);
    }

    static TagSpec bool(String name, boolean rw) {
        return new TagSpec(name, "bool", null, null, null, List.of(), rw);
    }

    static TagSpec enumeration(String name, List<String> values, boolean rw) {
        return new TagSpec(name, "enum", null, null, null, values, rw);
    }
}
