package org.brewpi.plant;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BrewPi zone", description = "One zone of the plant (conf/brewpi.zone-<id>.cfg).")
public @interface ZoneConfig {

    @AttributeDefinition(name = "Zone id", description = "[a-z0-9][a-z0-9-]{0,31}; also the PLC's MQTT user name")
    String zone();

    @AttributeDefinition(name = "Type", description = "hlt, mash, kettle, fermenter, brite, glycol, cip or generic")
    String type() default "generic";

    @AttributeDefinition(name = "Label", description = "What the HMI calls it")
    String label() default "";

    @AttributeDefinition(name = "Driver")
    String driver() default "mqtt";

    @AttributeDefinition(name = "Simulated", description = "The simulator emulates this zone's PLC")
    boolean simulated() default false;
}
