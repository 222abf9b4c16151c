package org.brewpi.audit;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.audit.ConfigChangeClaims;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every configuration change (ConfigurationAdmin, whoever made it: a file in conf/, the box's settings,
 * a component) and every bundle change (installed, updated, uninstalled, started, stopped) to the audit trail,
 * as actor {@value #ACTOR}, entry point {@value #ENTRY_POINT}. These are observed after the framework made them;
 * acts of people that change the configuration are audited by whoever takes them, before they take effect.
 * <p>
 * Configuration values are written as {@code key=value} pairs, sorted, with the value of every key that names
 * a secret (password, token, secret, pin, key) masked; the previous values of the same configuration are the
 * entry's old value. Bundle changes are heard synchronously, so the version written is the one the change made,
 * not whatever the bundle has become by the time an asynchronous event arrives; what is heard is written on a
 * thread of this component, in order, so no framework thread waits for the disk.
 * <p>
 * A change a person made and signed through a door that audits it itself (the REST API's {@code PUT /api/config})
 * is claimed beforehand ({@link ConfigChangeClaims}): the one update of that pid to exactly the claimed values is
 * then left out here, so the trail holds it once, with its signer. Claims are matched by pid and the values the
 * configuration holds after the update, not by thread or time alone, so a file edited by shell in the meantime
 * is still recorded as {@value #ACTOR}.
 */
@Component(service = { ConfigurationListener.class, ConfigChangeClaims.class }, immediate = true)
public class ChangeAuditor implements ConfigurationListener, SynchronousBundleListener, ConfigChangeClaims {

    static final String ACTOR = "system";
    static final String ENTRY_POINT = "internal";
    static final String MASK = ConfigChangeClaims.MASK;

    private static final Logger LOG = LoggerFactory.getLogger(ChangeAuditor.class);

    private final AuditTrail trail;
    private final ConfigurationAdmin configAdmin;
    private final BundleContext context;
    /** The last values seen per pid, rendered: the old value of the next change. */
    private final Map<String, String> lastValues = new ConcurrentHashMap<>();
    private final Claims claims = new Claims();
    /** The version of each bundle as last seen: the old value of an update. */
    private final Map<Long, String> versions = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "brewpi-audit-changes");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public ChangeAuditor(@Reference(name = "trail") AuditTrail trail,
            @Reference(name = "configAdmin") ConfigurationAdmin configAdmin, BundleContext context) {
        this.trail = trail;
        this.configAdmin = configAdmin;
        this.context = context;
        try {
            Configuration[] all = configAdmin.listConfigurations(null);
            for (Configuration c : all == null ? new Configuration[0] : all) {
                lastValues.put(c.getPid(), render(c.getProperties()));
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Configurations could not be listed; the first change of each is audited without its old value: {}",
                    e.toString());
        }
        for (Bundle b : context.getBundles()) {
            versions.put(b.getBundleId(), b.getVersion().toString());
        }
        context.addBundleListener(this);
    }

    @Deactivate
    void stop() throws InterruptedException {
        try {
            context.removeBundleListener(this);
        } catch (IllegalStateException e) {
            // the bundle is stopping: its listeners go with it
        }
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS); // what was heard is written before the trail goes
    }

    /**
     * Called on ConfigurationAdmin's one event thread, which every listener shares (the broker learns of a new
     * zone this way): the values are read here, as they are now, and the disk work is done on a thread of our
     * own, in the order the events came.
     */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        Runnable record = switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> {
                String now = current(pid);
                String before = lastValues.put(pid, now == null ? "" : now);
                if (now != null && now.equals(before)) {
                    yield null; // written again unchanged: nothing changed
                }
                if (claimed(pid, now)) {
                    LOG.debug("Configuration {} changed as claimed: audited by its signer", pid);
                    yield null;
                }
                yield () -> append("config.updated", pid, before, now);
            }
            case ConfigurationEvent.CM_DELETED -> {
                String before = lastValues.remove(pid);
                yield () -> append("config.deleted", pid, before, null);
            }
            case ConfigurationEvent.CM_LOCATION_CHANGED -> () -> append("config.location_changed", pid, null, null);
            default -> null; // no other kind of change exists
        };
        if (record != null) {
            write(record, "configuration " + pid + " change " + event.getType());
        }
    }

    @Override
    public Runnable claim(String pid, Map<String, ?> properties) {
        return claims.claim(pid, properties, System.currentTimeMillis());
    }

    private boolean claimed(String pid, String now) {
        return claims.consume(pid, now, System.currentTimeMillis());
    }

    /** Claimed changes per pid: the values rendered, and until when the claim holds. */
    static final class Claims {

        private record Claimed(String values, long until) {
        }

        private final Map<String, Claimed> byPid = new ConcurrentHashMap<>();

        Runnable claim(String pid, Map<String, ?> properties, long now) {
            Hashtable<String, Object> values = new Hashtable<>();
            properties.forEach((k, v) -> {
                if (v != null) {
                    values.put(k, v);
                }
            });
            Claimed claimed = new Claimed(render(values), now + VALID_MS);
            byPid.put(pid, claimed);
            return () -> byPid.remove(pid, claimed);
        }

        /** Consumes a live claim on exactly these (rendered) values; an expired one goes when its pid changes. */
        boolean consume(String pid, String rendered, long now) {
            Claimed c = byPid.get(pid);
            if (c == null) {
                return false;
            }
            if (c.until() < now) {
                byPid.remove(pid, c);
                return false;
            }
            return c.values().equals(rendered) && byPid.remove(pid, c);
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle b = event.getBundle();
        String version = b.getVersion().toString();
        String action = switch (event.getType()) {
            case BundleEvent.INSTALLED -> "bundle.installed";
            case BundleEvent.UPDATED -> "bundle.updated";
            case BundleEvent.UNINSTALLED -> "bundle.uninstalled";
            case BundleEvent.STARTED -> "bundle.started";
            case BundleEvent.STOPPED -> "bundle.stopped";
            default -> null; // resolving, starting, stopping: steps on the way, not changes of their own
        };
        if (action == null) {
            return;
        }
        String before = event.getType() == BundleEvent.UPDATED || event.getType() == BundleEvent.UNINSTALLED
                ? versions.get(b.getBundleId())
                : null;
        if (event.getType() == BundleEvent.UNINSTALLED) {
            versions.remove(b.getBundleId());
        } else {
            versions.put(b.getBundleId(), version);
        }
        String name = b.getSymbolicName() == null ? b.getLocation() : b.getSymbolicName();
        String after = event.getType() == BundleEvent.UNINSTALLED ? null : version;
        write(() -> append(action, name, before, after), action + " " + name);
    }

    /** The disk work, off the framework's threads (start-up starts every bundle on one), in the order heard. */
    private void write(Runnable record, String what) {
        try {
            writer.execute(record);
        } catch (RejectedExecutionException e) {
            LOG.error("Not audited (stopping): {}", what);
        }
    }

    /** The configuration's values now, rendered; {@code null} if it is gone again. */
    private String current(String pid) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
            return found == null || found.length == 0 ? null : render(found[0].getProperties());
        } catch (IOException | InvalidSyntaxException e) {
            return "(values unreadable: " + e.getMessage() + ")";
        }
    }

    private void append(String action, String target, String oldValue, String newValue) {
        try {
            trail.append(AuditEntry.of(ACTOR, ENTRY_POINT, action, target, oldValue, newValue, null));
        } catch (RuntimeException e) {
            // The change has happened already; it cannot be undone, only reported.
            LOG.error("Not audited: {} {} ({})", action, target, e.getMessage());
        }
    }

    /** {@code key=value} pairs sorted by key, secrets masked, framework bookkeeping left out. */
    static String render(Dictionary<String, Object> properties) {
        if (properties == null) {
            return "";
        }
        Map<String, String> sorted = new TreeMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (key.startsWith("service.") || key.equals("felix.fileinstall.filename")) {
                continue;
            }
            sorted.put(key, secret(key) ? MASK : text(properties.get(key)));
        }
        StringBuilder out = new StringBuilder();
        sorted.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return out.toString();
    }

    static boolean secret(String key) {
        return ConfigChangeClaims.secret(key);
    }

    private static String text(Object value) {
        if (value != null && value.getClass().isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(value); i++) {
                out.append(i == 0 ? "" : ", ").append(Array.get(value, i));
            }
            return out.append(']').toString();
        }
        return String.valueOf(value);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
