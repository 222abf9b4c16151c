package org.brewpi.users;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.security.Access;
import org.brewpi.api.security.AccessPolicy;
import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Role;
import org.brewpi.api.security.SecurityRefusal;
import org.brewpi.api.security.Session;
import org.brewpi.api.security.Sessions;
import org.brewpi.api.security.Signature;
import org.brewpi.api.security.Signatures;
import org.brewpi.api.security.TokenInfo;
import org.brewpi.api.security.UserAdmin;
import org.brewpi.api.security.UserInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users, roles, PIN sessions, API tokens and electronic signatures. Sessions and lockouts live in memory
 * (a restart logs everyone out); users and tokens live in {@code <data.dir>/users}. Every security-relevant
 * act is appended to the audit trail before it takes effect; if the trail cannot record it, it does not happen.
 * <p>
 * Configuration: the box's {@code data.dir} comes with {@code brewpi.audit} (the settings bundle pushes it there),
 * the bootstrap token ({@code .api.token}) with {@code brewpi.rest}; {@code brewpi.users}, read last, overrides both.
 */
@Component(service = { Authenticator.class, AccessPolicy.class, Sessions.class, UserAdmin.class, Signatures.class,
        HealthContributor.class }, configurationPid = { "brewpi.audit", "brewpi.rest", "brewpi.users" },
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class UserService implements Authenticator, AccessPolicy, Sessions, UserAdmin, Signatures, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(UserService.class);

    /** The principal of the bootstrap token (BREWPI_API_TOKEN); no user can take this name. */
    public static final String BOOTSTRAP_USER = "api";
    static final String TOKEN_PREFIX = "token:";
    static final String FIRST_ADMIN = "admin";
    static final int MIN_PIN = 6;
    static final int MAX_PIN = 64;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{1,31}");
    private static final String BEARER = "Bearer ";
    private static final long BOOTSTRAP_WARN_INTERVAL_MS = 3_600_000;

    private final AuditTrail audit;
    private final Clock clock;
    private final UserStore store;
    private final PinHash hasher;
    /** Checked against for unknown users, at the same cost as a real hash, so timing does not tell who exists. */
    private final String dummyHash;
    private volatile Settings settings;

    private final SessionTable sessions;
    private final Lockout lockout = new Lockout();
    private final AtomicLong lastBootstrapWarning = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong refusedLogins = new AtomicLong();

    /** The configuration as used: durations in ms, the bootstrap token as a hash. */
    record Settings(long idleMs, int lockoutFailures, long lockoutWindowMs, long lockoutMs, byte[] bootstrapHash) {

        static Settings of(UsersConfig c) {
            String token = c._api_token();
            return new Settings(Math.max(1, c.idle_timeout_minutes()) * 60_000L, Math.max(1, c.lockout_failures()),
                    Math.max(1, c.lockout_window_minutes()) * 60_000L, Math.max(1, c.lockout_minutes()) * 60_000L,
                    token == null || token.isBlank() ? null : sha(token.trim()));
        }
    }

    @Activate
    public UserService(UsersConfig config, @Reference AuditTrail audit) throws Exception {
        this(Path.of(config.data_dir()).resolve("users"), config, audit, Clock.systemUTC(), new SecureRandom(), null);
    }

    /** @param oneTimePins where the first administrator's password comes from; {@code null}: random digits */
    UserService(Path directory, UsersConfig config, AuditTrail audit, Clock clock, SecureRandom random,
            Supplier<String> oneTimePins) throws Exception {
        this.audit = audit;
        this.clock = clock;
        this.sessions = new SessionTable(clock::millis, this::sessionEnded);
        this.settings = Settings.of(config);
        this.hasher = new PinHash(random, config.pin_iterations());
        this.dummyHash = hasher.hash(hasher.newToken());
        this.store = new UserStore(directory);
        createFirstAdmin(oneTimePins == null ? hasher::newOneTimePin : oneTimePins);
        LOG.info("Users {} open; inactivity logout after {} min; bootstrap API token {}", directory,
                settings.idleMs() / 60_000, settings.bootstrapHash() == null ? "not set" : "set");
    }

    @Modified
    void modified(UsersConfig config) {
        settings = Settings.of(config);
    }

    @Deactivate
    void close() throws SQLException {
        store.close();
    }

    /** First start: an administrator with a one-time password, printed once, to be changed at first login. */
    private void createFirstAdmin(Supplier<String> oneTimePins) throws SQLException {
        if (!store.noUsers()) {
            return;
        }
        String pin = oneTimePins.get();
        audit.append(AuditEntry.of("system", "internal", "user.create", "user:" + FIRST_ADMIN, null, Role.ADMIN.id(),
                "first start: administrator with a one-time password"));
        store.insert(new UserStore.User(FIRST_ADMIN, "Administrator", Role.ADMIN, hasher.hash(pin), true, true, now()));
        LOG.warn("First start: user '{}' created with the one-time password {} (shown only this once; it must be changed at the first login)",
                FIRST_ADMIN, pin);
    }

    // ---- Authenticator -------------------------------------------------------------------------------------

    @Override
    public Optional<Principal> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String presented = authorization.substring(BEARER.length()).trim();
        if (presented.isEmpty() || presented.length() > 256) {
            return Optional.empty();
        }
        byte[] bootstrap = settings.bootstrapHash();
        if (bootstrap != null && MessageDigest.isEqual(sha(presented), bootstrap)) {
            warnBootstrapInUse();
            return Optional.of(bootstrapPrincipal());
        }
        String hash = PinHash.tokenHash(presented);
        SessionTable.Live session = sessions.touch(hash, settings.idleMs());
        if (session != null) {
            Optional<UserStore.User> user = read(() -> store.user(session.user));
            if (user.isEmpty() || !user.get().enabled()) {
                sessions.end(hash, "session.end", "user disabled");
                return Optional.empty();
            }
            UserStore.User u = user.get();
            return Optional.of(new Principal(u.name(), u.printedName(), u.role(), session.entryPoint, u.mustChangePin()));
        }
        return read(() -> store.tokenByHash(hash)).filter(t -> t.revokedAt() == 0)
                .map(t -> new Principal(TOKEN_PREFIX + t.name(), "API token " + t.name(), t.role(), "rest", false));
    }

    private Principal bootstrapPrincipal() {
        return new Principal(BOOTSTRAP_USER, "Bootstrap API token", Role.ADMIN, "rest", false);
    }

    private void warnBootstrapInUse() {
        long now = now();
        long last = lastBootstrapWarning.get();
        if (now - last >= BOOTSTRAP_WARN_INTERVAL_MS && lastBootstrapWarning.compareAndSet(last, now)) {
            LOG.warn("The bootstrap API token (BREWPI_API_TOKEN) is in use: it acts as an administrator; create named API"
                    + " tokens (POST /api/tokens) and retire it");
        }
    }

    // ---- AccessPolicy --------------------------------------------------------------------------------------

    @Override
    public Access check(String user, Right right) {
        Optional<Role> role = roleOf(user);
        if (role.isEmpty()) {
            return new Access(false, user, null, right, "'" + user + "' is not an active user or API token");
        }
        if (user != null && !user.startsWith(TOKEN_PREFIX) && !BOOTSTRAP_USER.equals(user)
                && read(() -> store.user(user)).map(UserStore.User::mustChangePin).orElse(true)) {
            return new Access(false, user, role.get(), right, user + " must change the one-time PIN first");
        }
        if (!RightsTable.allows(role.get(), right)) {
            return new Access(false, user, role.get(), right, "role " + role.get().id() + " may not " + right.id());
        }
        return new Access(true, user, role.get(), right, null);
    }

    @Override
    public boolean allows(Role role, Right right) {
        return RightsTable.allows(role, right);
    }

    private Optional<Role> roleOf(String user) {
        if (user == null) {
            return Optional.empty();
        }
        if (BOOTSTRAP_USER.equals(user)) {
            return settings.bootstrapHash() == null ? Optional.empty() : Optional.of(Role.ADMIN);
        }
        if (user.startsWith(TOKEN_PREFIX)) {
            String name = user.substring(TOKEN_PREFIX.length());
            return read(() -> store.token(name)).filter(t -> t.revokedAt() == 0).map(UserStore.Token::role);
        }
        return read(() -> store.user(user)).filter(UserStore.User::enabled).map(UserStore.User::role);
    }

    // ---- Sessions ------------------------------------------------------------------------------------------

    @Override
    public Session login(String user, String pin, String entryPoint) {
        sessions.expireIdle(settings.idleMs());
        UserStore.User u = checkPin(user, pin, entryPoint, "session.login_failed");
        String token = hasher.newToken();
        audit.append(AuditEntry.of(u.name(), entryPoint, "session.login", "user:" + u.name(), null, null,
                u.mustChangePin() ? "one-time PIN: must change it" : "role " + u.role().id()));
        sessions.open(PinHash.tokenHash(token), u.name(), entryPoint);
        LOG.info("{} logged in via {} as {}", u.name(), entryPoint, u.role().id());
        return new Session(token, new Principal(u.name(), u.printedName(), u.role(), entryPoint, u.mustChangePin()),
                settings.idleMs());
    }

    @Override
    public void logout(String token) {
        if (token == null) {
            return;
        }
        sessions.end(PinHash.tokenHash(token.trim()), "session.logout", "logout");
    }

    @Override
    public void changePin(String user, String oldPin, String newPin, String entryPoint) {
        UserStore.User u = checkPin(user, oldPin, entryPoint, "user.pin_change_failed");
        String problem = weakPin(newPin);
        if (problem == null && newPin.equals(oldPin)) {
            problem = "the new PIN must differ from the old one";
        }
        if (problem != null) {
            throw new SecurityRefusal("bad_request", problem);
        }
        audit.append(AuditEntry.of(u.name(), entryPoint, "user.pin_change", "user:" + u.name(), null, null,
                u.mustChangePin() ? "one-time PIN replaced" : "PIN changed"));
        write(() -> store.update(new UserStore.User(u.name(), u.printedName(), u.role(), hasher.hash(newPin), u.enabled(),
                false, u.createdAt())));
        LOG.info("{} changed their PIN", u.name());
    }

    /** Checks a PIN, counting failures towards the lockout; the same answer whether the user exists or not. */
    private UserStore.User checkPin(String user, String pin, String entryPoint, String failedAction) {
        String name = user == null ? "" : user.trim().toLowerCase(java.util.Locale.ROOT);
        if (!NAME.matcher(name).matches() || pin == null || pin.isEmpty() || pin.length() > MAX_PIN) {
            throw refused(name.isEmpty() ? "unknown" : clip(name), entryPoint, failedAction, "malformed user or PIN");
        }
        long now = now();
        Lockout.Entry f = lockout.entry(name, now, settings.lockoutWindowMs());
        synchronized (f) {
            long lockedFor = f.lockedFor(now);
            if (lockedFor > 0) {
                refusedLogins.incrementAndGet();
                audit.append(AuditEntry.of(name, entryPoint, failedAction, "user:" + name, null, null, "locked"));
                throw new SecurityRefusal("locked", "too many failed attempts: locked for "
                        + ((lockedFor + 59_999) / 60_000) + " min");
            }
            Optional<UserStore.User> u = read(() -> store.user(name));
            // Hash even for unknown users, so timing does not tell which names exist.
            boolean pinOk = PinHash.verify(pin, u.map(UserStore.User::pinHash).orElse(dummyHash));
            if (u.isPresent() && pinOk && u.get().enabled()) {
                lockout.clear(name);
                return u.get();
            }
            String why = u.isEmpty() ? "unknown user" : !u.get().enabled() ? "user disabled" : "wrong PIN";
            if (f.failed(now, settings.lockoutWindowMs(), settings.lockoutFailures(), settings.lockoutMs())) {
                audit.append(AuditEntry.of(name, entryPoint, failedAction, "user:" + name, null, null, why));
                audit.append(AuditEntry.of("system", "internal", "user.locked", "user:" + name, null, null,
                        settings.lockoutFailures() + " failures: locked for " + settings.lockoutMs() / 60_000 + " min"));
                LOG.warn("User {} locked for {} min after {} failed attempts via {}", name, settings.lockoutMs() / 60_000,
                        settings.lockoutFailures(), entryPoint);
                refusedLogins.incrementAndGet();
                throw new SecurityRefusal("locked", "too many failed attempts: locked for "
                        + settings.lockoutMs() / 60_000 + " min");
            }
            throw refused(name, entryPoint, failedAction, why);
        }
    }

    private SecurityRefusal refused(String name, String entryPoint, String action, String why) {
        refusedLogins.incrementAndGet();
        audit.append(AuditEntry.of(name, entryPoint, action, "user:" + name, null, null, why));
        LOG.info("Refused {} for '{}' via {}: {}", action, name, entryPoint, why);
        return new SecurityRefusal("bad_credentials", "unknown user or wrong PIN");
    }

    private void sessionEnded(String user, String entryPoint, String action, String reason) {
        audit.append(AuditEntry.of(user, entryPoint, action, "user:" + user, null, null, reason));
        LOG.info("{} logged out ({})", user, reason);
    }

    // ---- UserAdmin -----------------------------------------------------------------------------------------

    @Override
    public List<UserInfo> users(Principal actor) {
        requireAdmin(actor);
        return read(store::users).stream().map(UserService::info).toList();
    }

    @Override
    public UserInfo createUser(Principal actor, String user, String printedName, Role role, String oneTimePin) {
        requireAdmin(actor);
        String name = checkedName(user);
        if (BOOTSTRAP_USER.equals(name)) {
            throw new SecurityRefusal("bad_request", "'" + name + "' is reserved");
        }
        if (printedName == null || printedName.isBlank() || printedName.length() > 128) {
            throw new SecurityRefusal("bad_request", "a printed name (1-128 characters) is required");
        }
        if (role == null) {
            throw new SecurityRefusal("bad_request", "role must be one of operator, supervisor, quality, engineer, admin");
        }
        String problem = weakPin(oneTimePin);
        if (problem != null) {
            throw new SecurityRefusal("bad_request", problem);
        }
        if (read(() -> store.user(name)).isPresent()) {
            throw new SecurityRefusal("conflict", "user " + name + " exists");
        }
        UserStore.User u = new UserStore.User(name, printedName.trim(), role, hasher.hash(oneTimePin), true, true, now());
        audit.append(AuditEntry.of(actor.user(), actor.entryPoint(), "user.create", "user:" + name, null, role.id(),
                "printed name " + u.printedName()));
        write(() -> store.insert(u));
        LOG.info("{} created user {} ({})", actor.user(), name, role.id());
        return info(u);
    }

    @Override
    public UserInfo updateUser(Principal actor, String user, Role role, Boolean enabled) {
        requireAdmin(actor);
        UserStore.User u = existing(user);
        if (u.name().equals(actor.user()) && (Boolean.FALSE.equals(enabled) || (role != null && role != u.role()))) {
            throw new SecurityRefusal("bad_request", "administrators cannot disable or demote themselves");
        }
        UserStore.User next = new UserStore.User(u.name(), u.printedName(), role == null ? u.role() : role, u.pinHash(),
                enabled == null ? u.enabled() : enabled, u.mustChangePin(), u.createdAt());
        audit.append(AuditEntry.of(actor.user(), actor.entryPoint(), "user.update", "user:" + u.name(),
                u.role().id() + (u.enabled() ? "" : " disabled"), next.role().id() + (next.enabled() ? "" : " disabled"),
                null));
        write(() -> store.update(next));
        if (!next.enabled()) {
            sessions.endAllOf(u.name(), "user disabled");
        }
        return info(next);
    }

    @Override
    public void resetPin(Principal actor, String user, String oneTimePin) {
        requireAdmin(actor);
        UserStore.User u = existing(user);
        String problem = weakPin(oneTimePin);
        if (problem != null) {
            throw new SecurityRefusal("bad_request", problem);
        }
        audit.append(AuditEntry.of(actor.user(), actor.entryPoint(), "user.pin_reset", "user:" + u.name(), null, null,
                "one-time PIN set"));
        write(() -> store.update(new UserStore.User(u.name(), u.printedName(), u.role(), hasher.hash(oneTimePin),
                u.enabled(), true, u.createdAt())));
        lockout.clear(u.name());
    }

    @Override
    public List<TokenInfo> tokens(Principal actor) {
        requireAdmin(actor);
        return read(store::tokens).stream()
                .map(t -> new TokenInfo(t.name(), t.role(), t.createdBy(), t.createdAt(), t.revokedAt(), null)).toList();
    }

    @Override
    public TokenInfo createToken(Principal actor, String name, Role role) {
        requireAdmin(actor);
        String checked = checkedName(name);
        if (role == null) {
            throw new SecurityRefusal("bad_request", "role must be one of operator, supervisor, quality, engineer, admin");
        }
        if (read(() -> store.token(checked)).isPresent()) {
            throw new SecurityRefusal("conflict", "token " + checked + " exists (revoked names are not reused)");
        }
        String secret = hasher.newToken();
        UserStore.Token t = new UserStore.Token(checked, role, PinHash.tokenHash(secret), actor.user(), now(), 0);
        audit.append(AuditEntry.of(actor.user(), actor.entryPoint(), "token.create", TOKEN_PREFIX + checked, null,
                role.id(), null));
        write(() -> store.insert(t));
        LOG.info("{} created API token {} ({})", actor.user(), checked, role.id());
        return new TokenInfo(t.name(), t.role(), t.createdBy(), t.createdAt(), 0, secret);
    }

    @Override
    public TokenInfo revokeToken(Principal actor, String name) {
        requireAdmin(actor);
        UserStore.Token t = read(() -> store.token(name == null ? "" : name.trim()))
                .orElseThrow(() -> new SecurityRefusal("not_found", "no API token " + clip(String.valueOf(name))));
        if (t.revokedAt() != 0) {
            return new TokenInfo(t.name(), t.role(), t.createdBy(), t.createdAt(), t.revokedAt(), null);
        }
        long at = now();
        audit.append(AuditEntry.of(actor.user(), actor.entryPoint(), "token.revoke", TOKEN_PREFIX + t.name(),
                t.role().id(), "revoked", null));
        write(() -> store.revoke(t.name(), at));
        LOG.info("{} revoked API token {}", actor.user(), t.name());
        return new TokenInfo(t.name(), t.role(), t.createdBy(), t.createdAt(), at, null);
    }

    private void requireAdmin(Principal actor) {
        if (actor == null || actor.mustChangePin()) {
            throw new SecurityRefusal("forbidden", "log in (and change the one-time PIN) first");
        }
        Access access = check(actor.user(), Right.MANAGE_USERS);
        if (!access.allowed()) {
            audit.append(AuditEntry.of(actor.user(), actor.entryPoint(), "access.refused", "users", null, null,
                    access.reason()));
            throw new SecurityRefusal("forbidden", access.reason());
        }
    }

    private UserStore.User existing(String user) {
        String name = user == null ? "" : user.trim().toLowerCase(java.util.Locale.ROOT);
        return read(() -> store.user(name)).orElseThrow(() -> new SecurityRefusal("not_found", "no user " + clip(name)));
    }

    private static String checkedName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        if (!NAME.matcher(n).matches()) {
            throw new SecurityRefusal("bad_request",
                    "names are 2-32 characters: a letter, then letters, digits, '.', '_' or '-'");
        }
        return n;
    }

    /** @return what is wrong with a new PIN, or {@code null} */
    static String weakPin(String pin) {
        if (pin == null || pin.length() < MIN_PIN || pin.length() > MAX_PIN) {
            return "a PIN has " + MIN_PIN + " to " + MAX_PIN + " characters";
        }
        if (pin.chars().distinct().count() == 1) {
            return "a PIN of one repeated character is too easy to guess";
        }
        return null;
    }

    private static UserInfo info(UserStore.User u) {
        return new UserInfo(u.name(), u.printedName(), u.role(), u.enabled(), u.mustChangePin(), u.createdAt());
    }

    // ---- Signatures ----------------------------------------------------------------------------------------

    @Override
    public Signature sign(String user, String pin, String meaning, String reason, String target, String entryPoint) {
        if (pin == null || pin.isEmpty()) {
            throw new SecurityRefusal("bad_request", "a signature needs the signer's PIN");
        }
        if (meaning == null || meaning.isBlank() || meaning.length() > 128) {
            throw new SecurityRefusal("bad_request", "a signature needs its meaning (1-128 characters)");
        }
        if (reason == null || reason.isBlank() || reason.length() > 512) {
            throw new SecurityRefusal("bad_request", "a signature needs a reason (1-512 characters)");
        }
        if (target == null || target.isBlank() || target.length() > 256) {
            throw new SecurityRefusal("bad_request", "a signature needs what it is for (1-256 characters)");
        }
        UserStore.User u = checkPin(user, pin, entryPoint, "signature.failed");
        if (u.mustChangePin()) {
            throw new SecurityRefusal("must_change_pin", "change the one-time PIN before signing");
        }
        AuditEntry stored = audit.append(new AuditEntry(0, 0, u.name(), entryPoint, "signature", target.trim(), null,
                u.printedName(), reason.trim(), meaning.trim()));
        LOG.info("{} signed '{}' for {}", u.name(), meaning.trim(), target.trim());
        return new Signature(u.name(), u.printedName(), u.role(), stored.time(), meaning.trim(), reason.trim(),
                target.trim(), stored.seq());
    }

    // ---- Health --------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return "users";
    }

    @Override
    public Status status() {
        return Status.UP;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sessions", sessions.size());
        d.put("refusedLogins", refusedLogins.get());
        d.put("bootstrapToken", settings.bootstrapHash() != null);
        return d;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private long now() {
        return clock.millis();
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static byte[] sha(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private interface Query<T> {
        T run() throws SQLException;
    }

    private interface Update {
        void run() throws SQLException;
    }

    private static <T> T read(Query<T> q) {
        try {
            return q.run();
        } catch (SQLException e) {
            throw new IllegalStateException("the user store cannot be read: " + e.getMessage(), e);
        }
    }

    private static void write(Update u) {
        try {
            u.run();
        } catch (SQLException e) {
            throw new IllegalStateException("the user store cannot be written: " + e.getMessage(), e);
        }
    }
}
