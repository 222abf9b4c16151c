package org.brewpi.batches;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = BatchesConfig.PID, name = "BrewPi recipes and batches",
        description = "Where recipes are read from, where the batch store lives, how CCPs are evaluated")
public @interface BatchesConfig {

    String PID = "brewpi.batches";

    @AttributeDefinition(name = "Data folder",
            description = "The batch store lives in <data.dir>/batches (set by the box from BREWPI_DATA_DIR; read at start)")
    String data_dir() default "data";

    @AttributeDefinition(name = "Configuration folder",
            description = "Recipes are the files <conf.dir>/recipes/<id>.json (set by the box from BREWPI_CONF_DIR)")
    String conf_dir() default "conf";

    @AttributeDefinition(name = "Recipe poll (ms)", description = "How often the recipe folder is looked at for changes")
    long poll_ms() default 2000;

    @AttributeDefinition(name = "Longest gap (s)",
            description = "Two samples further apart than this break a stretch within limits: nobody saw the value in between")
    int max_gap_seconds() default 300;

    @AttributeDefinition(name = "History points",
            description = "At most this many samples (or history buckets, each judged by its minimum and maximum) per CCP")
    int history_points() default 20000;
}
