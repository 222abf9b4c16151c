package org.brewpi.interlocks;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code brewpi.interlock} configuration becomes one {@link RuleSource}. A changed file re-creates the
 * component, so the engine sees the old rule go and the new one come: live, without a restart. A bad file is
 * still registered, carrying its error, so the engine can show it in health.
 */
@Component(configurationPid = RuleSource.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = InterlockConfig.class, factory = true)
public class ConfiguredInterlock implements RuleSource {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredInterlock.class);
    private static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private final String origin;
    private final Rule rule;
    private final String error;

    @Activate
    public ConfiguredInterlock(InterlockConfig config, Map<String, Object> properties) {
        this.origin = origin(properties);
        Rule parsed = null;
        String problem = null;
        try {
            parsed = parse(config, origin);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
            LOG.error("Interlock configuration {} refused: {}", origin, problem);
        }
        this.rule = parsed;
        this.error = problem;
        if (parsed != null) {
            LOG.info("Interlock {} configured from {}", parsed.id(), origin);
        }
    }

    static Rule parse(InterlockConfig c, String origin) {
        String id = c.id() == null || c.id().isBlank() ? nameOf(origin) : c.id();
        return Rule.parse(id, c.text(), c.match(), c.conditions(), c.blocks(), c.forces(), c.latched(), c.delay__ms());
    }

    /** {@code .../brewpi.interlock-kettle-level.cfg} gives {@code kettle-level}. */
    static String nameOf(String origin) {
        String file = origin;
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        file = file.substring(slash + 1);
        String prefix = RuleSource.FACTORY_PID + "-";
        if (file.startsWith(prefix)) {
            file = file.substring(prefix.length());
        }
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static String origin(Map<String, Object> properties) {
        Object file = properties.get(FILE_PROPERTY);
        if (file != null) {
            String s = file.toString();
            try {
                return Path.of(s.startsWith("file:") ? java.net.URI.create(s).getPath() : s).getFileName().toString();
            } catch (RuntimeException e) {
                return s;
            }
        }
        Object pid = properties.get("service.pid");
        return pid == null ? "(unknown)" : pid.toString();
    }

    @Override
    public String origin() {
        return origin;
    }

    @Override
    public Rule rule() {
        return rule;
    }

    @Override
    public String error() {
        return error;
    }
}
