package org.brewpi.users;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BrewPi users and roles")
public @interface UsersConfig {

    @AttributeDefinition(name = "Data folder", description = "Users and tokens live in <data.dir>/users")
    String data_dir() default "data";

    @AttributeDefinition(name = "Inactivity logout (minutes)")
    int idle_timeout_minutes() default 15;

    @AttributeDefinition(name = "Failed logins before lockout")
    int lockout_failures() default 5;

    @AttributeDefinition(name = "Window the failures are counted in (minutes)")
    int lockout_window_minutes() default 10;

    @AttributeDefinition(name = "Lockout (minutes)")
    int lockout_minutes() default 5;

    @AttributeDefinition(name = "PBKDF2 iterations for new PIN hashes")
    int pin_iterations() default PinHash.DEFAULT_ITERATIONS;

    /** From PID brewpi.rest ({@code .api.token}, BREWPI_API_TOKEN): the bootstrap admin API token. */
    @AttributeDefinition(name = "Bootstrap API token", type = AttributeType.PASSWORD)
    String _api_token() default "";
}
