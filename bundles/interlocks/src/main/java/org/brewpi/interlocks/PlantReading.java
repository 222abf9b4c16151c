package org.brewpi.interlocks;

import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneState;

/** What an interlock reads: the last value of each tag and each zone's state, {@code null} when never seen. */
interface PlantReading {

    TagValue tag(String zone, String tag);

    ZoneState state(String zone);

    /** The same plant with one tag at a value about to be written: how a write is judged before it goes out. */
    default PlantReading with(TagRef ref, Object value, long now) {
        PlantReading base = this;
        TagValue written = new TagValue(ref.zone(), ref.tag(), value, org.brewpi.api.zone.Quality.GOOD, now, now);
        return new PlantReading() {
            @Override
            public TagValue tag(String zone, String tag) {
                return ref.zone().equals(zone) && ref.tag().equals(tag) ? written : base.tag(zone, tag);
            }

            @Override
            public ZoneState state(String zone) {
                return base.state(zone);
            }
        };
    }
}
