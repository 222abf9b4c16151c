package org.brewpi.rest;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = RestConfig.PID, name = "BrewPi REST API",
        description = "The REST API under /api and the live feed /api/live.")
public @interface RestConfig {

    String PID = "brewpi.rest";

    /** Property {@code .api.token}: the leading dot keeps it private, out of the service properties. */
    @AttributeDefinition(name = "API token", type = AttributeType.PASSWORD,
            description = "Writes need the header 'Authorization: Bearer <token>'. Empty: writes are refused.")
    String _api_token() default "";
}
