package org.brewpi.api.zone;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service told of every change in the plant. Drivers call it on their own threads:
 * implementations must return quickly and hand heavy work (storage, network) to their own thread.
 */
@ConsumerType
public interface ZoneListener {

    /** Tag values that changed in value or quality. */
    default void tagsChanged(List<TagValue> values) {
    }

    /** The zone's state, birth or counters changed. */
    default void zoneChanged(ZoneSnapshot zone) {
    }

    /** The PLC reported an event. */
    default void event(ZoneEvent event) {
    }
}
