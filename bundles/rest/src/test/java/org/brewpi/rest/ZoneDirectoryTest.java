package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneEvent;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.rest.Fixtures.Definition;
import org.brewpi.rest.Fixtures.TestPlant;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ZoneDirectoryTest {

    private final Json json = new Json();
    private final TestPlant plant = new TestPlant();
    private final ZoneDirectory directory = new ZoneDirectory(() -> plant);

    private JsonNode wire(Object value) {
        return json.tree(value);
    }

    @Test
    void zoneCarriesConfigurationBirthTagsAndCounters() {
        plant.put(Fixtures.fermenter("fv1", ZoneState.ONLINE, 18.25));
        directory.addDefinition(Definition.of("fv1", "fermenter", "Fermentador 1"));

        JsonNode zone = wire(directory.zone("fv1").orElseThrow());

        assertThat(zone.get("id").asText()).isEqualTo("fv1");
        assertThat(zone.get("label").asText()).isEqualTo("Fermentador 1");
        assertThat(zone.get("type").asText()).isEqualTo("fermenter");
        assertThat(zone.get("driver").asText()).isEqualTo("mqtt");
        assertThat(zone.get("state").asText()).isEqualTo("online");
        assertThat(zone.get("lastSeen").asLong()).isEqualTo(Fixtures.T0);
        assertThat(zone.get("firmware").asText()).isEqualTo("1.0.0");
        assertThat(zone.get("boot").asLong()).isEqualTo(31337);
        assertThat(zone.get("periodMs").asLong()).isEqualTo(1000);
        assertThat(zone.get("failsafe").asText()).isEqualTo("hold_last");

        JsonNode pv = zone.get("tags").get("pv");
        assertThat(pv.get("value").asDouble()).isEqualTo(18.25);
        assertThat(pv.get("quality").asText()).isEqualTo("GOOD");
        assertThat(pv.get("plcTime").asLong()).isEqualTo(123_456_789L);
        assertThat(pv.get("time").asLong()).isEqualTo(Fixtures.T0);
        assertThat(pv.get("kind").asText()).isEqualTo("analog");
        assertThat(pv.get("unit").asText()).isEqualTo("degC");
        assertThat(pv.get("min").asDouble()).isEqualTo(-5.0);
        assertThat(pv.get("max").asDouble()).isEqualTo(40.0);
        assertThat(pv.get("rw").asBoolean()).isFalse();
        assertThat(zone.get("tags").get("sv").get("rw").asBoolean()).isTrue();

        JsonNode mode = zone.get("tags").get("mode");
        assertThat(mode.get("kind").asText()).isEqualTo("enum");
        assertThat(mode.get("values")).extracting(JsonNode::asText).containsExactly("off", "auto", "manual");
        assertThat(mode.get("value").asText()).isEqualTo("auto");

        JsonNode counters = zone.get("counters");
        assertThat(counters.get("telemetry").asLong()).isEqualTo(100);
        assertThat(counters.get("gaps").asLong()).isEqualTo(2);
        assertThat(counters.get("missed").asLong()).isEqualTo(3);
        assertThat(counters.get("duplicates").asLong()).isEqualTo(1);
        assertThat(counters.get("events").asLong()).isEqualTo(4);
        assertThat(counters.get("rejects").get("not_json").asLong()).isEqualTo(5);
    }

    @Test
    void tagsFollowBirthOrderAndATagNeverReportedHasNoValue() {
        plant.put(Fixtures.fermenter("fv1", ZoneState.ONLINE, 18.25));

        JsonNode tags = wire(directory.zone("fv1").orElseThrow()).get("tags");

        assertThat(tags.fieldNames()).toIterable().containsExactly("pv", "sv", "mode", "glycol_valve");
        JsonNode valve = tags.get("glycol_valve");
        assertThat(valve.get("value").isNull()).isTrue();
        assertThat(valve.get("quality").asText()).isEqualTo("STALE");
        assertThat(valve.get("time").isNull()).isTrue();
        assertThat(valve.get("kind").asText()).isEqualTo("bool");
    }

    @Test
    void aConfiguredZoneNoDriverKnowsIsOfflineWithNoTags() {
        directory.addDefinition(Definition.of("kettle", "kettle", "Olla de hervor"));

        JsonNode zone = wire(directory.zone("kettle").orElseThrow());

        assertThat(zone.get("state").asText()).isEqualTo("offline");
        assertThat(zone.get("label").asText()).isEqualTo("Olla de hervor");
        assertThat(zone.get("type").asText()).isEqualTo("kettle");
        assertThat(zone.get("driver").asText()).isEqualTo("mqtt");
        assertThat(zone.get("lastSeen").isNull()).isTrue();
        assertThat(zone.get("firmware").isNull()).isTrue();
        assertThat(zone.get("tags").size()).isZero();
        assertThat(zone.get("counters").get("telemetry").asLong()).isZero();
        assertThat(zone.get("counters").get("rejects").size()).isZero();
    }

    @Test
    void listMergesLiveAndConfiguredZonesSortedById() {
        plant.put(Fixtures.fermenter("fv2", ZoneState.FAILSAFE, 20));
        plant.put(Fixtures.fermenter("fv1", ZoneState.ONLINE, 18));
        directory.addDefinition(Definition.of("fv1", "fermenter", "Fermentador 1"));
        directory.addDefinition(Definition.of("hlt", "hlt", "Licor caliente"));

        List<Views.Zone> zones = directory.zones();

        assertThat(zones).extracting(Views.Zone::id).containsExactly("fv1", "fv2", "hlt");
        assertThat(zones).extracting(Views.Zone::state).containsExactly("online", "failsafe", "offline");
        // Without a configuration the label falls back to the id and the type to what the PLC declared.
        assertThat(zones.get(1).label()).isEqualTo("fv2");
        assertThat(zones.get(1).type()).isEqualTo("fermenter");
    }

    @Test
    void removedDefinitionDisappearsAndDuplicatesCountOnce() {
        Definition hlt = Definition.of("hlt", "hlt", "Licor caliente");
        directory.addDefinition(hlt);
        directory.addDefinition(Definition.of("hlt", "hlt", "Otra"));
        assertThat(directory.configuredCount()).isEqualTo(1);
        assertThat(directory.zone("hlt").orElseThrow().label()).isEqualTo("Licor caliente");

        directory.removeDefinition(hlt);
        assertThat(directory.zone("hlt").orElseThrow().label()).isEqualTo("Otra");
    }

    @Test
    void unknownOrMalformedZoneIsEmpty() {
        assertThat(directory.zone("nope")).isEmpty();
        assertThat(directory.zone("FV1")).isEmpty();
        assertThat(directory.zone("../etc")).isEmpty();
        assertThat(directory.zone(null)).isEmpty();
    }

    @Test
    void nonFiniteNumbersBecomeNull() {
        ZoneSnapshot base = Fixtures.fermenter("fv1", ZoneState.ONLINE, Double.NaN);
        plant.put(base);

        JsonNode pv = wire(directory.zone("fv1").orElseThrow()).get("tags").get("pv");

        assertThat(pv.get("value").isNull()).isTrue();
        assertThat(wire(ZoneDirectory.change(new TagValue("fv1", "pv", Double.POSITIVE_INFINITY, Quality.BAD, 1, 2)))
                .get("value").isNull()).isTrue();
    }

    @Test
    void tagChangeAndEventShapes() {
        JsonNode change = wire(ZoneDirectory.change(new TagValue("fv1", "sv", 18.5, Quality.GOOD, 42, Fixtures.T0)));
        assertThat(change.toString()).isEqualTo(
                "{\"zone\":\"fv1\",\"tag\":\"sv\",\"value\":18.5,\"quality\":\"GOOD\",\"plcTime\":42,\"time\":"
                        + Fixtures.T0 + "}");

        JsonNode event = wire(ZoneDirectory.event(
                new ZoneEvent("hlt", 7, 12, 5000, Fixtures.T0, "interlock", "overtemp", true, "pv 85.2 > trip 80.0")));
        assertThat(event.get("zone").asText()).isEqualTo("hlt");
        assertThat(event.get("kind").asText()).isEqualTo("interlock");
        assertThat(event.get("code").asText()).isEqualTo("overtemp");
        assertThat(event.get("active").asBoolean()).isTrue();
        assertThat(event.get("message").asText()).isEqualTo("pv 85.2 > trip 80.0");
        assertThat(event.get("time").asLong()).isEqualTo(Fixtures.T0);
        assertThat(event.get("plcTime").asLong()).isEqualTo(5000);
    }

    @Test
    void countsByStateWithRejectsSummed() {
        plant.put(Fixtures.fermenter("fv1", ZoneState.ONLINE, 18));
        plant.put(Fixtures.fermenter("fv2", ZoneState.FAILSAFE, 18));
        directory.addDefinition(Definition.of("fv1", "fermenter", "F1"));
        directory.addDefinition(Definition.of("fv2", "fermenter", "F2"));
        directory.addDefinition(Definition.of("hlt", "hlt", "HLT"));

        Map<String, Object> counts = ZoneDirectory.counts(directory.zones(), directory.configuredCount());

        assertThat(counts).containsEntry("configured", 3).containsEntry("online", 1L).containsEntry("failsafe", 1L)
                .containsEntry("offline", 1L);
        assertThat(counts.get("rejects")).isEqualTo(Map.of("bad_type", 2L, "not_json", 10L));
    }
}
