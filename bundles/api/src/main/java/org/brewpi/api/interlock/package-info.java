/**
 * Plant-wide interlocks, the emergency stop and the guards every command passes in the command gate.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.brewpi.api.interlock;
