package org.brewpi.zone.mqtt;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BrewPi MQTT zone driver", description = "Speaks docs/protocol.md with the zone PLCs.")
public @interface DriverConfig {

    @AttributeDefinition(name = "Topic root")
    String topic_root() default "brewpi/v1";

    @AttributeDefinition(name = "Heartbeat period (ms)", min = "100")
    long heartbeat_ms() default 1000;

    @AttributeDefinition(name = "Command timeout (ms)", description = "A command without ack after this is reported failed.", min = "100")
    long command_timeout_ms() default 3000;
}
