package org.brewpi.broker;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PLC credentials, one per {@code brewpi.zone} configuration: user name = zone id, password checked against
 * its stored hash.
 * <p>
 * Fail-closed: until the zone configurations have been read ({@link #loaded()}), or after reading them failed
 * ({@link #unavailable(String)}), every login is refused. A configuration that is wrong (bad zone id, bad hash,
 * no password) is refused loudly and that zone cannot log in; two configurations claiming one zone lock that
 * zone out until one is removed.
 * <p>
 * Checking a password costs a PBKDF2 derivation on the Netty thread, so two things keep logins cheap: a password
 * that was verified once is recognised afterwards by an HMAC under a key that lives only in memory (a PLC that
 * reconnects costs microseconds), and after a wrong password the next slow check for that zone waits
 * {@link #FAILURE_BACKOFF_NANOS} (guessing is slow, and a flood of bad logins cannot eat the CPU).
 */
final class ZoneCredentials {

    static final String ZONE = "zone";
    static final String PASSWORD = "password";
    static final String PASSWORD_HASH = "password.hash";
    static final long FAILURE_BACKOFF_NANOS = 1_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(ZoneCredentials.class);

    /** Outcome of a login. */
    enum Check {
        OK, UNKNOWN_USER, BAD_PASSWORD, NO_PASSWORD, INVALID_USER, THROTTLED, CONFLICT, UNAVAILABLE;

        /** The key under which refusals are counted, e.g. {@code bad_password}. */
        String reason() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Credential(String zone, String passwordHash) {
    }

    private final Map<String, Credential> byPid = new ConcurrentHashMap<>();
    private final Map<String, String> refusedByPid = new ConcurrentHashMap<>();
    private final Map<String, byte[]> verifiedTags = new ConcurrentHashMap<>();
    private final Map<String, Long> lastFailure = new ConcurrentHashMap<>();
    private final SecretKeySpec tagKey;
    private final LongSupplier nanoClock;
    private volatile String unavailableReason = "zone configurations not read yet";

    ZoneCredentials() {
        this(System::nanoTime);
    }

    ZoneCredentials(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        tagKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * Takes in one {@code brewpi.zone} configuration. A clear-text {@code password} is hashed here; the caller
     * must then write the returned properties back, so the clear text leaves the configuration (and its file).
     *
     * @param pid the configuration's pid, which identifies it across updates
     * @param properties the configuration's properties
     * @return the properties to write back (no {@code password}, a new {@code password.hash}), or empty when the
     *         configuration holds no clear text
     */
    Optional<Map<String, Object>> apply(String pid, Map<String, ?> properties) {
        Object zoneValue = properties.get(ZONE);
        String zone = zoneValue instanceof String s ? s.trim() : null;
        String zoneProblem = ZoneIds.problem(zone);
        if (zoneProblem != null) {
            refuse(pid, zone, zoneValue == null ? "no 'zone' property" : zoneProblem);
            return Optional.empty();
        }
        Object password = properties.get(PASSWORD);
        Object hash = properties.get(PASSWORD_HASH);
        if (password != null) {
            // A clear-text password wins over an older hash: that is how an integrator sets a new one.
            if (!(password instanceof String clear) || clear.isEmpty()) {
                refuse(pid, zone, "'password' is empty or not text");
                return Optional.empty();
            }
            String newHash = PasswordHash.hash(clear);
            accept(pid, zone, newHash);
            Map<String, Object> rewritten = new LinkedHashMap<>(properties);
            rewritten.remove(PASSWORD);
            rewritten.put(PASSWORD_HASH, newHash);
            return Optional.of(rewritten);
        }
        if (hash == null) {
            refuse(pid, zone, "no 'password' or 'password.hash'");
            return Optional.empty();
        }
        String hashProblem = hash instanceof String text ? PasswordHash.problem(text) : "'password.hash' is not text";
        if (hashProblem != null) {
            refuse(pid, zone, hashProblem);
            return Optional.empty();
        }
        accept(pid, zone, ((String) hash).trim());
        return Optional.empty();
    }

    /** The configuration was deleted: its zone can no longer log in. */
    void remove(String pid) {
        refusedByPid.remove(pid);
        Credential removed = byPid.remove(pid);
        if (removed != null) {
            forget(removed.zone());
            LOG.info("Zone {}: MQTT credentials removed", removed.zone());
        }
    }

    /** Every zone configuration has been read: logins may now succeed. */
    void loaded() {
        unavailableReason = null;
    }

    /** The zone configurations cannot be read: nobody gets in. */
    void unavailable(String reason) {
        unavailableReason = reason;
        verifiedTags.clear();
        LOG.error("MQTT credentials unavailable ({}): every PLC login is refused", reason);
    }

    /** @return why nobody can log in, or {@code null} when the credentials are available */
    String unavailableReason() {
        return unavailableReason;
    }

    /** Zones that can log in, sorted. */
    List<String> zones() {
        return byPid.values().stream().map(Credential::zone).distinct().sorted().toList();
    }

    /** Configurations refused, by pid, with the reason (no secret in it). */
    Map<String, String> refusedConfigurations() {
        return new TreeMap<>(refusedByPid);
    }

    /** Checks a login as Moquette hands it over. Never throws for any input. */
    Check check(String user, byte[] password) {
        if (unavailableReason != null) {
            return Check.UNAVAILABLE;
        }
        if (!ZoneIds.isValid(user)) {
            return Check.INVALID_USER;
        }
        if (password == null || password.length == 0) {
            return Check.NO_PASSWORD;
        }
        Credential credential = null;
        for (Credential candidate : byPid.values()) {
            if (candidate.zone().equals(user)) {
                if (credential != null) {
                    return Check.CONFLICT;
                }
                credential = candidate;
            }
        }
        if (credential == null) {
            return Check.UNKNOWN_USER;
        }
        byte[] tag = tag(password);
        byte[] known = verifiedTags.get(user);
        if (known != null && MessageDigest.isEqual(known, tag)) {
            return Check.OK;
        }
        Long failedAt = lastFailure.get(user);
        if (failedAt != null && nanoClock.getAsLong() - failedAt < FAILURE_BACKOFF_NANOS) {
            return Check.THROTTLED;
        }
        if (PasswordHash.verify(password, credential.passwordHash())) {
            // Only remember it if the credential was not replaced while we were hashing.
            if (byPid.containsValue(credential)) {
                verifiedTags.put(user, tag);
            }
            lastFailure.remove(user);
            return Check.OK;
        }
        lastFailure.put(user, nanoClock.getAsLong());
        return Check.BAD_PASSWORD;
    }

    private void accept(String pid, String zone, String passwordHash) {
        refusedByPid.remove(pid);
        Credential credential = new Credential(zone, passwordHash);
        Credential previous = byPid.put(pid, credential);
        if (credential.equals(previous)) {
            return; // the same configuration seen again, e.g. after our own rewrite
        }
        if (previous != null) {
            forget(previous.zone());
        }
        forget(zone);
        LOG.info("Zone {}: MQTT credentials {}", zone, previous == null ? "loaded" : "updated");
        long claims = byPid.values().stream().filter(c -> c.zone().equals(zone)).count();
        if (claims > 1) {
            LOG.error("Zone {} is claimed by {} brewpi.zone configurations: it cannot log in until only one remains",
                    zone, claims);
        }
    }

    private void refuse(String pid, String zone, String reason) {
        Credential previous = byPid.remove(pid);
        if (previous != null) {
            forget(previous.zone());
        }
        refusedByPid.put(pid, reason);
        LOG.error("brewpi.zone configuration {}{} refused: {}; that zone cannot log in to the broker", pid,
                zone == null || zone.isEmpty() ? "" : " (zone '" + ZoneIds.printable(zone) + "')", reason);
    }

    private void forget(String zone) {
        verifiedTags.remove(zone);
        lastFailure.remove(zone);
    }

    private byte[] tag(byte[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(tagKey);
            return mac.doFinal(password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "ZoneCredentials" + zones();
    }
}
