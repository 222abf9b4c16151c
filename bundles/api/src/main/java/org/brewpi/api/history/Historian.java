package org.brewpi.api.history;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The box's durable record of every tag change and zone event. */
@ProviderType
public interface Historian {

    /**
     * A tag's history between two instants (UTC epoch ms, inclusive), downsampled to at most
     * {@code maxPoints} buckets; each bucket keeps its minimum and maximum so peaks survive.
     */
    List<HistoryPoint> history(String zone, String tag, long from, long to, int maxPoints);

    /** Zone events between two instants, newest last, at most {@code limit}. */
    List<org.brewpi.api.zone.ZoneEvent> events(String zone, long from, long to, int limit);
}
