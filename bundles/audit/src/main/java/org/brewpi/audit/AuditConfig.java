package org.brewpi.audit;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BrewPi audit trail")
public @interface AuditConfig {

    @AttributeDefinition(name = "Data folder", description = "The trail lives in <data.dir>/audit")
    String data_dir() default "data";
}
