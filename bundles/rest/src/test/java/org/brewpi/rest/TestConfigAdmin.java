package org.brewpi.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Stands in for Felix ConfigurationAdmin plus FileInstall (the real pair runs in distribution/itest): a
 * configuration read from a {@code .cfg} file holds the file's values as text plus
 * {@code felix.fileinstall.filename}, as FileInstall gives them; {@link #restart} reads every file again, as the
 * box does at its next start.
 */
final class TestConfigAdmin implements ConfigurationAdmin {

    final Map<String, TestConfiguration> configs = new ConcurrentHashMap<>();
    final List<String> updates = new CopyOnWriteArrayList<>();

    /** A configuration from a file {@code <pid>.cfg} (factory: {@code <factory>-<name>.cfg}, pid factory~name). */
    TestConfiguration fromFile(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.cfg$", "");
        int dash = name.indexOf('-');
        String factory = dash < 0 ? null : name.substring(0, dash);
        String pid = dash < 0 ? name : factory + "~" + name.substring(dash + 1);
        TestConfiguration c = new TestConfiguration(pid, factory);
        c.properties = read(file);
        c.properties.put("service.pid", pid);
        if (factory != null) {
            c.properties.put("service.factoryPid", factory);
        }
        configs.put(pid, c);
        return c;
    }

    /** A configuration given by a component or the box's settings, without a file. */
    TestConfiguration plain(String pid, Map<String, Object> values) {
        TestConfiguration c = new TestConfiguration(pid, null);
        c.properties = new Hashtable<>(values);
        c.properties.put("service.pid", pid);
        configs.put(pid, c);
        return c;
    }

    /** Reads every file-backed configuration from its file again: what a restarted box would hold. */
    void restart() throws IOException {
        for (TestConfiguration c : configs.values()) {
            Object file = c.properties.get(ConfigServlet.FILE_PROPERTY);
            if (file != null) {
                c.properties = read(Path.of(java.net.URI.create(file.toString())));
                c.properties.put("service.pid", c.pid);
            }
        }
    }

    private static Hashtable<String, Object> read(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(in);
        }
        Hashtable<String, Object> values = new Hashtable<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        values.put(ConfigServlet.FILE_PROPERTY, file.toUri().toString());
        return values;
    }

    @Override
    public Configuration[] listConfigurations(String filter) throws InvalidSyntaxException {
        Filter f = filter == null ? null : FrameworkUtil.createFilter(filter);
        List<Configuration> out = new ArrayList<>();
        for (TestConfiguration c : configs.values()) {
            if (f == null || f.match(c.properties)) {
                out.add(c);
            }
        }
        return out.isEmpty() ? null : out.toArray(new Configuration[0]);
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid, String location) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Configuration getConfiguration(String pid, String location) {
        return configs.get(pid);
    }

    @Override
    public Configuration getConfiguration(String pid) {
        return configs.get(pid);
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name, String location) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name) {
        throw new UnsupportedOperationException();
    }

    final class TestConfiguration implements Configuration {
        final String pid;
        final String factoryPid;
        volatile Hashtable<String, Object> properties;
        volatile long changeCount;
        volatile boolean failUpdates;

        TestConfiguration(String pid, String factoryPid) {
            this.pid = pid;
            this.factoryPid = factoryPid;
        }

        @Override
        public String getPid() {
            return pid;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return properties == null ? null : new Hashtable<>(properties);
        }

        @Override
        public Dictionary<String, Object> getProcessedProperties(ServiceReference<?> reference) {
            return getProperties();
        }

        @Override
        public void update(Dictionary<String, ?> values) throws IOException {
            if (failUpdates) {
                throw new IOException("configuration store full");
            }
            Hashtable<String, Object> next = new Hashtable<>();
            for (var keys = values.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                next.put(k, values.get(k));
            }
            next.put("service.pid", pid);
            properties = next;
            changeCount++;
            updates.add(pid);
        }

        @Override
        public void delete() {
            configs.remove(pid);
        }

        @Override
        public String getFactoryPid() {
            return factoryPid;
        }

        @Override
        public void update() {
        }

        @Override
        public boolean updateIfDifferent(Dictionary<String, ?> values) throws IOException {
            update(values);
            return true;
        }

        @Override
        public void setBundleLocation(String location) {
        }

        @Override
        public String getBundleLocation() {
            return null;
        }

        @Override
        public long getChangeCount() {
            return changeCount;
        }

        @Override
        public void addAttributes(ConfigurationAttribute... attrs) {
        }

        @Override
        public Set<ConfigurationAttribute> getAttributes() {
            return Collections.emptySet();
        }

        @Override
        public void removeAttributes(ConfigurationAttribute... attrs) {
        }
    }
}
