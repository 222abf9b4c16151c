package org.brewpi.hardware;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What went wrong, and how often, for health. */
final class Counters {
    final AtomicLong forced = new AtomicLong();
    final AtomicLong forceFailures = new AtomicLong();
    final AtomicLong inputErrors = new AtomicLong();
    final AtomicLong outputErrors = new AtomicLong();
    final AtomicLong auditFailures = new AtomicLong();
    final AtomicLong tickErrors = new AtomicLong();
    final AtomicReference<String> lastError = new AtomicReference<>();
    /** Whether the last read of the E-stop, or the last write of the outputs, failed. */
    volatile boolean inputFailing;
    volatile boolean outputFailing;
}
