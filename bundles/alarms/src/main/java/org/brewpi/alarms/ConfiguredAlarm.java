package org.brewpi.alarms;

import java.util.Locale;
import java.util.regex.Pattern;

import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmPriority;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code brewpi.alarm} configuration becomes one {@link AlarmSource}. A changed file re-creates the
 * component, so the engine sees the old definition go and the new one come: live, without a restart.
 */
@Component(configurationPid = AlarmDefinition.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AlarmConfig.class, factory = true)
public class ConfiguredAlarm implements AlarmSource {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredAlarm.class);
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private final AlarmDefinition definition;
    private final boolean enabled;

    @Activate
    public ConfiguredAlarm(AlarmConfig config) {
        try {
            this.definition = parse(config);
        } catch (IllegalArgumentException e) {
            // A bad file must not become an alarm: refuse it loudly, the other alarms go on.
            LOG.error("Alarm configuration refused: {}", e.getMessage());
            throw e;
        }
        this.enabled = config.enabled();
        LOG.info("Alarm {} configured{}", definition.id(), enabled ? "" : " as disabled");
    }

    static AlarmDefinition parse(AlarmConfig c) {
        String zone = trim(c.zone());
        if (!NAME.matcher(zone).matches()) {
            throw new IllegalArgumentException("zone '" + zone + "' must match " + NAME.pattern());
        }
        AlarmKind kind = parseEnum(AlarmKind.class, c.kind(), "kind");
        String tag = trim(c.tag());
        if (kind == AlarmKind.SYSTEM && tag.isEmpty()) {
            throw new IllegalArgumentException("a SYSTEM alarm needs the health component it watches as its tag");
        }
        if (kind != AlarmKind.COMM_LOSS && tag.isEmpty()) {
            tag = "pv"; // the process value is what most alarms watch
        }
        if (!tag.isEmpty() && !NAME.matcher(tag).matches()) {
            throw new IllegalArgumentException("tag '" + tag + "' must match " + NAME.pattern());
        }
        String id = trim(c.id());
        if (id.isEmpty()) {
            id = Defaults.id(zone, tag, kind);
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id '" + id + "' must match " + ID.pattern());
        }
        AlarmPriority priority = parseEnum(AlarmPriority.class, c.priority(), "priority");
        if (!Double.isFinite(c.limit()) || !Double.isFinite(c.deadband()) || c.deadband() < 0) {
            throw new IllegalArgumentException(id + ": limit must be a number and deadband a number >= 0");
        }
        if (c.on_delay_ms() < 0 || c.off_delay_ms() < 0) {
            throw new IllegalArgumentException(id + ": delays must not be negative");
        }
        String state = trim(c.state());
        if (kind == AlarmKind.DISCRETE && state.isEmpty()) {
            throw new IllegalArgumentException(id + ": a DISCRETE alarm needs the abnormal state");
        }
        if ((kind == AlarmKind.RATE || kind == AlarmKind.DEVIATION) && c.limit() <= 0) {
            throw new IllegalArgumentException(id + ": the limit of a " + kind + " alarm must be above 0");
        }
        String message = trim(c.message());
        return new AlarmDefinition(id, zone, tag, kind, c.limit(), state, priority, c.deadband(), c.on_delay_ms(),
                c.off_delay_ms(), message.isEmpty() ? Defaults.message(zone, tag, kind, c.limit(), state) : message,
                c.suppressed(), AlarmDefinition.CONFIG);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String raw, String what) {
        try {
            return Enum.valueOf(type, trim(raw).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + raw + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    @Override
    public AlarmDefinition definition() {
        return definition;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }
}
