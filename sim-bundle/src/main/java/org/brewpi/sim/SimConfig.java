package org.brewpi.sim;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code brewpi.sim}. */
@ObjectClassDefinition(name = "BrewPi plant simulator",
        description = "Emulates the PLCs of the zones configured with simulated=true.")
public @interface SimConfig {

    String PID = "brewpi.sim";

    @AttributeDefinition(description = "Run the emulated PLCs at all.")
    boolean enabled() default true;

    @AttributeDefinition(name = "broker.url", description = "MQTT broker the emulated PLCs connect to.")
    String broker_url() default "tcp://127.0.0.1:1883";

    @AttributeDefinition(name = "time.scale",
            description = "Plant seconds per real second for physics and telemetry; protocol timers stay real-time.")
    double time_scale() default 1.0;

    @AttributeDefinition(name = "credentials.file",
            description = "Properties file of zone=password lines: the emulated PLCs' own MQTT passwords.")
    String credentials_file() default "data/sim-credentials.properties";

    @AttributeDefinition(name = "topic.root", description = "Topic root of the zone protocol.")
    String topic_root() default "brewpi/v1";

    @AttributeDefinition(name = "tls.truststore",
            description = "For an ssl:// broker: PKCS#12 file whose certificates the emulated PLCs trust (the box's own).")
    String tls_truststore() default "";

    /** Property {@code .tls.truststore.password}: the leading dot keeps it out of the service properties. */
    @AttributeDefinition(description = "Password of tls.truststore.")
    String _tls_truststore_password() default "";
}
