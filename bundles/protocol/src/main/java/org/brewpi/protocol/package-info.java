/**
 * The zone protocol of docs/protocol.md as Java: topic names, the messages, and a codec that validates
 * every payload by the protocol's rules and names the first rule it breaks.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.brewpi.protocol;
