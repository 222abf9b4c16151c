package org.brewpi.api.zone;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A zone the plant is configured to have: one factory configuration {@code brewpi.zone} in
 * {@code conf/} each (for example {@code conf/brewpi.zone-fv1.cfg}). Drivers accept messages only
 * from configured zones; the broker lets in only their PLCs.
 */
@ProviderType
public interface ZoneDefinition {

    /** Factory PID of zone configurations. */
    String FACTORY_PID = "brewpi.zone";

    String id();

    /** {@code hlt}, {@code mash}, {@code kettle}, {@code fermenter}, {@code brite}, {@code glycol}, {@code cip} or {@code generic}. */
    String type();

    /** Display name for the HMI, e.g. "Fermentador 1". */
    String label();

    /** The driver that owns the zone, {@code mqtt} by default. */
    String driver();

    /** Whether the simulator should emulate this zone's PLC. */
    boolean simulated();
}
