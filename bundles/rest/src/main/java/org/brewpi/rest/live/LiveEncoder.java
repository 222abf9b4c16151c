package org.brewpi.rest.live;

import java.util.Collection;
import java.util.List;

import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.rest.Json;
import org.brewpi.rest.Views;
import org.brewpi.rest.ZoneDirectory;

/** The live feed's messages, as JSON text. */
final class LiveEncoder {

    record Snapshot(String type, long time, List<Views.Zone> zones) {
    }

    record Tags(String type, long time, List<Views.TagChange> values) {
    }

    record Zone(String type, long time, Views.Zone zone) {
    }

    record Event(String type, long time, Views.Event event) {
    }

    record Ping(String type, long time) {
    }

    private final Json json = new Json();
    private final ZoneDirectory zones;

    LiveEncoder(ZoneDirectory zones) {
        this.zones = zones;
    }

    /** Every zone as it is now. */
    String snapshot(long time) {
        return json.write(new Snapshot("snapshot", time, zones.zones()));
    }

    String tags(Collection<TagValue> values, long time) {
        return json.write(new Tags("tags", time, values.stream().map(ZoneDirectory::change).toList()));
    }

    String zone(ZoneSnapshot zone, long time) {
        return json.write(new Zone("zone", time, zones.render(zone)));
    }

    String event(ZoneEvent event, long time) {
        return json.write(new Event("event", time, ZoneDirectory.event(event)));
    }

    String ping(long time) {
        return json.write(new Ping("ping", time));
    }
}
