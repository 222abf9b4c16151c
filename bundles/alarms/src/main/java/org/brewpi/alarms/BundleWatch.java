package org.brewpi.alarms;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is wrong with the box's bundles, for the system alarm {@code system.bundles}: a bundle that does not
 * resolve, a bundle that should run (started, its start level reached) but is not active, or a framework
 * ERROR event within the last {@code errorWindowMs}. Any bundle change asks for a new look at once.
 */
final class BundleWatch implements BundleListener, FrameworkListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BundleWatch.class);

    private final BundleContext context;
    private final LongSupplier clock;
    private final LongSupplier errorWindowMs;
    private final Runnable changed;
    private volatile long lastErrorAt = Long.MIN_VALUE;
    private volatile String lastError;

    BundleWatch(BundleContext context, LongSupplier clock, LongSupplier errorWindowMs, Runnable changed) {
        this.context = context;
        this.clock = clock;
        this.errorWindowMs = errorWindowMs;
        this.changed = changed;
        context.addBundleListener(this);
        context.addFrameworkListener(this);
    }

    @Override
    public void close() {
        try {
            context.removeBundleListener(this);
            context.removeFrameworkListener(this);
        } catch (IllegalStateException e) {
            // the bundle is already stopping: its listeners go with it
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        changed.run();
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() != FrameworkEvent.ERROR) {
            return;
        }
        Bundle b = event.getBundle();
        Throwable t = event.getThrowable();
        lastError = "framework error" + (b == null ? "" : " in " + b.getSymbolicName()) + ": "
                + (t == null ? "(no detail)" : t.getMessage() == null ? t.toString() : t.getMessage());
        lastErrorAt = clock.getAsLong();
        LOG.warn("System alarm condition: {}", lastError);
        changed.run();
    }

    /** {@code null} when every bundle is as it should be and no framework error was seen lately. */
    String problem() {
        List<String> problems = new ArrayList<>();
        int activeLevel;
        try {
            activeLevel = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class)
                    .getStartLevel();
        } catch (IllegalStateException e) {
            return null; // the framework is going down
        }
        for (Bundle b : context.getBundles()) {
            if (b.getHeaders("").get(Constants.FRAGMENT_HOST) != null) {
                continue; // fragments resolve with their host and are never started
            }
            if (b.getState() == Bundle.INSTALLED) {
                problems.add(b.getSymbolicName() + " " + b.getVersion() + " does not resolve");
            } else if (b.getState() == Bundle.RESOLVED) {
                BundleStartLevel level = b.adapt(BundleStartLevel.class);
                if (level != null && level.isPersistentlyStarted() && level.getStartLevel() <= activeLevel) {
                    problems.add(b.getSymbolicName() + " " + b.getVersion() + " failed to start");
                }
            }
        }
        String error = lastError;
        if (error != null && clock.getAsLong() - lastErrorAt < errorWindowMs.getAsLong()) {
            problems.add(error);
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }
}
