/**
 * Users, roles, sessions, API tokens and electronic signatures. The rights each role holds are listed in
 * {@code bundles/users/README.md}; the users bundle implements every service here.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.brewpi.api.security;
