/** Recipes and batches (lots): approval and release by electronic signature, the batch record with its CCPs. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.brewpi.api.batch;
