package org.brewpi.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link ZoneCredentials} in step with the {@code brewpi.zone} factory configurations (one per zone, files
 * {@code conf/brewpi.zone-<id>.cfg} through FileInstall), and takes clear-text passwords out of them: a
 * configuration holding {@code password} is written back through ConfigurationAdmin with {@code password.hash}
 * instead, and FileInstall then rewrites its file without the clear text.
 */
final class ZoneConfigTracker implements ConfigurationListener {

    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";
    static final String PASSWORD_HASH = "password.hash";


    static final String FACTORY_PID = "brewpi.zone";

    private static final Logger LOG = LoggerFactory.getLogger(ZoneConfigTracker.class);

    private final ConfigurationAdmin configAdmin;
    private final ZoneCredentials credentials;

    ZoneConfigTracker(ConfigurationAdmin configAdmin, ZoneCredentials credentials) {
        this.configAdmin = configAdmin;
        this.credentials = credentials;
    }

    /** Reads every zone configuration; if they cannot be listed, nobody can log in. */
    void loadAll() {
        Configuration[] all;
        try {
            all = configAdmin.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            credentials.unavailable("cannot read the brewpi.zone configurations: " + e.getMessage());
            return;
        }
        for (Configuration configuration : all == null ? new Configuration[0] : all) {
            apply(configuration);
        }
        credentials.loaded();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!FACTORY_PID.equals(event.getFactoryPid())) {
            return;
        }
        String pid = event.getPid();
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            credentials.remove(pid);
        } else if (event.getType() == ConfigurationEvent.CM_UPDATED) {
            Configuration[] found;
            try {
                found = configAdmin.listConfigurations("(service.pid=" + escape(pid) + ")");
            } catch (IOException | InvalidSyntaxException | RuntimeException e) {
                LOG.error("brewpi.zone configuration {} could not be read: {}", pid, e.toString());
                return;
            }
            if (found == null) {
                credentials.remove(pid);
            } else {
                apply(found[0]);
            }
        }
    }

    /** Takes in one configuration; a failure concerns that configuration only. */
    private void apply(Configuration configuration) {
        String pid = configuration.getPid();
        Optional<Map<String, Object>> rewrite;
        try {
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null) {
                return; // created but never updated: nothing to read yet
            }
            rewrite = credentials.apply(pid, toMap(properties));
        } catch (RuntimeException e) {
            LOG.error("brewpi.zone configuration {} could not be read: {}", pid, e.toString());
            return;
        }
        if (rewrite.isEmpty()) {
            return;
        }
        try {
            Object file = configuration.getProperties().get(FILEINSTALL_FILENAME);
            if (file != null) {
                // From a file in conf/: change the file itself, atomically, and let FileInstall read it back.
                // (FileInstall's own write-back is not atomic and its poll can read a half-written file.)
                Path path = Path.of(java.net.URI.create(file.toString()));
                ConfFiles.replacePassword(path, (String) rewrite.get().get(PASSWORD_HASH));
                LOG.info("brewpi.zone configuration {}: clear-text password replaced by its hash in {}", pid, path);
                return;
            }
            configuration.update(new Hashtable<>(rewrite.get()));
            LOG.info("brewpi.zone configuration {}: clear-text password replaced by its hash", pid);
        } catch (IOException | RuntimeException e) {
            // The new hash is in use already; only the clear text could not be taken out of the configuration.
            LOG.error("brewpi.zone configuration {}: the clear-text password could not be replaced by its hash: {}", pid,
                    e.toString());
        }
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            map.put(key, properties.get(key));
        }
        return map;
    }

    /** LDAP filter escaping (RFC 4515) for a pid inside {@code (service.pid=...)}. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
