package org.brewpi.sync;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code brewpi.sync}. Blank connection settings fall back to the environment
 * ({@code BREWPI_PG_URL}, {@code BREWPI_PG_USER}, {@code BREWPI_PG_PASSWORD}, {@code BREWPI_SITE},
 * {@code BREWPI_PG_SCHEMA})
 * and then to the matching system properties ({@code brewpi.pg.url}, ...). No URL at all: the box
 * keeps its history locally and the sync service only reports that.
 */
@ObjectClassDefinition(id = SyncService.PID, name = "BrewPi sync to PostgreSQL",
        description = "Ships the local history to a central PostgreSQL exactly once")
public @interface SyncConfig {

    @AttributeDefinition(name = "PostgreSQL URL", description = "jdbc:postgresql://host:5432/db; blank = local only",
            required = false)
    String url() default "";

    @AttributeDefinition(name = "User", required = false)
    String user() default "";

    /** Key {@code .password}: the leading dot keeps it out of the service properties anyone can list. */
    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
    String _password() default "";

    @AttributeDefinition(name = "Site", description = "This box's name in the central database; blank = host name",
            required = false)
    String site() default "";

    @AttributeDefinition(name = "Schema", description = "The PostgreSQL schema holding the history tables;"
            + " blank = BREWPI_PG_SCHEMA, else brewpi", required = false)
    String schema() default "";

    @AttributeDefinition(name = "Batch size", description = "Most rows shipped in one PostgreSQL transaction")
    int batch_size() default 20_000;

    @AttributeDefinition(name = "Idle poll (ms)", description = "Pause between looks for new rows when nothing waits")
    long idle_ms() default 500;

    @AttributeDefinition(name = "First retry (ms)", description = "Pause after the first failure; doubles per failure")
    long retry_min_ms() default 1000;

    @AttributeDefinition(name = "Longest retry (ms)", description = "Cap of the doubling pause while PostgreSQL is away")
    long retry_max_ms() default 60_000;

    @AttributeDefinition(name = "Backlog alarm (s)",
            description = "A row waiting longer than this raises the sync alarm")
    long backlog_alarm_s() default 3600;
}
