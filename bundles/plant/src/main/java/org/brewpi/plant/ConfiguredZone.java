package org.brewpi.plant;

import java.util.Set;
import java.util.regex.Pattern;

import org.brewpi.api.zone.ZoneDefinition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One zone configuration in conf/ becomes one {@link ZoneDefinition} service, live. */
@Component(configurationPid = ZoneDefinition.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ZoneConfig.class, factory = true)
public class ConfiguredZone implements ZoneDefinition {

    static final Pattern ZONE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    static final Set<String> TYPES = Set.of("hlt", "mash", "kettle", "fermenter", "brite", "glycol", "cip", "generic");
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredZone.class);

    private final String id;
    private final String type;
    private final String label;
    private final String driver;
    private final boolean simulated;

    @Activate
    public ConfiguredZone(ZoneConfig config) {
        String zone = config.zone() == null ? "" : config.zone().trim();
        if (!ZONE_ID.matcher(zone).matches()) {
            // A bad file must not become a zone: refuse it loudly, the rest of the plant goes on.
            LOG.error("Zone configuration refused: zone id '{}' must match {}", zone, ZONE_ID.pattern());
            throw new IllegalArgumentException("bad zone id '" + zone + "'");
        }
        if (!TYPES.contains(config.type())) {
            LOG.error("Zone configuration {} refused: type '{}' is not one of {}", zone, config.type(), TYPES);
            throw new IllegalArgumentException("bad zone type '" + config.type() + "'");
        }
        this.id = zone;
        this.type = config.type();
        this.label = config.label().isBlank() ? zone : config.label();
        this.driver = config.driver();
        this.simulated = config.simulated();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String driver() {
        return driver;
    }

    @Override
    public boolean simulated() {
        return simulated;
    }

    @Override
    public String toString() {
        return "zone " + id + " (" + type + ", " + driver + (simulated ? ", simulated" : "") + ")";
    }
}
