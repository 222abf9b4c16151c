package org.brewpi.plant;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.ZoneCounters;
import org.brewpi.api.zone.ZoneDefinition;
import org.brewpi.api.zone.ZoneDriver;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Every configured zone, as its driver sees it. A configured zone whose driver is not deployed (yet)
 * shows as offline with no tags: never silently missing.
 */
@Component
public class PlantTable implements Plant {

    private final List<ZoneDriver> drivers = new CopyOnWriteArrayList<>();
    private final List<ZoneDefinition> definitions = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDriver(ZoneDriver driver) {
        drivers.add(driver);
    }

    void removeDriver(ZoneDriver driver) {
        drivers.remove(driver);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDefinition(ZoneDefinition definition) {
        definitions.add(definition);
    }

    void removeDefinition(ZoneDefinition definition) {
        definitions.remove(definition);
    }

    @Override
    public Collection<ZoneSnapshot> zones() {
        Map<String, ZoneSnapshot> known = new LinkedHashMap<>();
        for (ZoneDriver driver : drivers) {
            for (ZoneSnapshot zone : driver.zones()) {
                known.put(zone.id(), zone);
            }
        }
        List<ZoneSnapshot> result = new ArrayList<>();
        for (ZoneDefinition definition : definitions) {
            ZoneSnapshot zone = known.remove(definition.id());
            result.add(zone != null ? zone : undriven(definition));
        }
        result.addAll(known.values());
        result.sort((a, b) -> a.id().compareTo(b.id()));
        return result;
    }

    @Override
    public Optional<ZoneSnapshot> zone(String zoneId) {
        for (ZoneDriver driver : drivers) {
            Optional<ZoneSnapshot> zone = driver.zone(zoneId);
            if (zone.isPresent()) {
                return zone;
            }
        }
        return definitions.stream().filter(d -> d.id().equals(zoneId)).findFirst().map(PlantTable::undriven);
    }

    /** @return the driver that owns a zone, if one is running */
    Optional<ZoneDriver> driverOf(String zoneId) {
        return drivers.stream().filter(d -> d.zone(zoneId).isPresent()).findFirst();
    }

    private static ZoneSnapshot undriven(ZoneDefinition definition) {
        return new ZoneSnapshot(definition.id(), definition.driver(), null, ZoneState.OFFLINE,
                "driver '" + definition.driver() + "' not running", 0, Map.of(),
                new ZoneCounters(0, 0, 0, 0, 0, 0, Map.of()));
    }
}
