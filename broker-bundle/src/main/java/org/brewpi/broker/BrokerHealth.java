package org.brewpi.broker;

import java.util.Map;

import org.brewpi.api.health.HealthContributor;

/**
 * The broker's part of {@code /api/health}: port, connected clients, refused logins and ACL denials.
 * DOWN when the broker is stopped, when nobody can log in (credentials or ACL unavailable) or when a Moquette
 * session loop died; DEGRADED when some zone configuration was refused.
 */
final class BrokerHealth implements HealthContributor {

    static final String NAME = "broker";

    private final BrokerCore core;

    BrokerHealth(BrokerCore core) {
        this.core = core;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status status() {
        return core.status();
    }

    @Override
    public Map<String, Object> details() {
        return core.details();
    }
}
