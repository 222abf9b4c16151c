package org.brewpi.api.zone;

import java.util.List;

/**
 * A tag as the PLC declares it in its birth message.
 *
 * @param min lower limit of an analog tag, {@code null} if none
 * @param max upper limit of an analog tag, {@code null} if none
 * @param values allowed values of an enum tag, empty otherwise
 * @param writable whether the SCADA may write it
 */
public record TagDef(String name, TagKind kind, String unit, Double min, Double max, List<String> values,
        boolean writable) {

    public TagDef {
        values = values == null ? List.of() : List.copyOf(values);
    }
}
