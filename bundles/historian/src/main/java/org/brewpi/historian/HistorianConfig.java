package org.brewpi.historian;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code brewpi.historian}. */
@ObjectClassDefinition(id = H2Historian.PID, name = "BrewPi historian",
        description = "Durable local history of every tag change, event and zone state in H2")
public @interface HistorianConfig {

    @AttributeDefinition(name = "Data folder", description = "The H2 files live in <data.dir>/history")
    String data_dir() default "data";

    @AttributeDefinition(name = "Flush interval (ms)",
            description = "Longest time a record waits in memory before its batch is committed")
    long flush_ms() default 200;

    @AttributeDefinition(name = "Batch size", description = "Most records committed in one transaction")
    int batch_size() default 5000;

    @AttributeDefinition(name = "Queue capacity",
            description = "Most records waiting in memory for the writer; bounds the memory the historian uses")
    int queue_capacity() default 100_000;

    @AttributeDefinition(name = "Offer timeout (ms)",
            description = "How long a driver's thread may wait for room in a full queue before records are dropped")
    long offer_timeout_ms() default 1000;

    @AttributeDefinition(name = "Retention (days)",
            description = "Samples older than this that are already in the central database are removed from the box;"
                    + " 0 keeps them for ever")
    long retention_days() default 30;

    @AttributeDefinition(name = "Minimum free disk (MB)",
            description = "Below this much free space under the data folder the oldest samples are dropped, synced ones"
                    + " first; events and other records are never dropped. 0 turns the check off")
    long disk_min_free_mb() default 512;

    @AttributeDefinition(name = "Disk check interval (s)", description = "Time between retention and free-space checks")
    long disk_check_s() default 60;
}
