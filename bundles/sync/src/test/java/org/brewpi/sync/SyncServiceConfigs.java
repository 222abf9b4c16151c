package org.brewpi.sync;

import java.lang.annotation.Annotation;

/** A {@link SyncConfig} with the metatype defaults, as DS hands it over without a configuration. */
final class SyncServiceConfigs {

    private SyncServiceConfigs() {
    }

    static SyncConfig defaults() {
        return new SyncConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SyncConfig.class;
            }

            @Override
            public String url() {
                return "";
            }

            @Override
            public String user() {
                return "";
            }

            @Override
            public String _password() {
                return "";
            }

            @Override
            public String site() {
                return "";
            }

            @Override
            public String schema() {
                return "";
            }

            @Override
            public int batch_size() {
                return 20_000;
            }

            @Override
            public long idle_ms() {
                return 500;
            }

            @Override
            public long retry_min_ms() {
                return 1000;
            }

            @Override
            public long retry_max_ms() {
                return 60_000;
            }

            @Override
            public long backlog_alarm_s() {
                return 3600;
            }
        };
    }
}
