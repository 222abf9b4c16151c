/**
 * Alarms per ISA-18.2 / IEC 62682: definitions, the state of each alarm (active, acknowledged and the
 * shelved / suppressed / out-of-service overlays), the journal of transitions and the alarm system's metrics.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.brewpi.api.alarm;
