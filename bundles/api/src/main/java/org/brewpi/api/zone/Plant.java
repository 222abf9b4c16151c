package org.brewpi.api.zone;

import java.util.Collection;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** All zones of all drivers, as one read-only live table. */
@ProviderType
public interface Plant {

    Collection<ZoneSnapshot> zones();

    Optional<ZoneSnapshot> zone(String zoneId);
}
