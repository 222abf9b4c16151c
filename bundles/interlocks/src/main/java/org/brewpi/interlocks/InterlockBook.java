package org.brewpi.interlocks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.command.Command;
import org.brewpi.api.interlock.Bypass;
import org.brewpi.api.interlock.GuardRefusal;
import org.brewpi.api.interlock.Interlock;
import org.brewpi.api.interlock.InterlockState;
import org.brewpi.api.security.AccessPolicy;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Signature;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interlocks and their state. Plant data is judged here, commands are checked here, and users act here;
 * every method holds the book's lock, so a check always sees a consistent state. Nothing here does I/O except
 * the audit of a user's act, which must be on record before the act takes effect: trips, clears and the forcing
 * writes they call for are handed back as {@link Effects} for the engine to carry out outside the lock.
 */
final class InterlockBook {

    static final String BYPASS_MEANING = "interlock bypass";
    static final String SYSTEM_ACTOR = "interlock";
    static final String ORIGIN = "interlock";
    private static final int SIGNATURES_REMEMBERED = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(InterlockBook.class);

    /** Writes the audit trail; throws when the entry cannot be made durable. */
    interface Auditor {
        void append(AuditEntry entry);
    }

    /** What an evaluation calls for: forcing writes, then the audit entries of what happened. */
    /**
     * What a judgement asks for: forcing writes, then its records and its warnings, which the engine logs after the
     * writes went out (a console that is slow to take a line must not hold up a trip).
     */
    record Effects(List<Command> forces, List<AuditEntry> audits, List<String> warnings) {
        static Effects empty() {
            return new Effects(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        boolean isEmpty() {
            return forces.isEmpty() && audits.isEmpty() && warnings.isEmpty();
        }
    }

    private static final class Entry {
        final Rule rule;
        final long createdAt;
        InterlockState state = InterlockState.TRIPPED;
        /** false until the rule has once been judged on data: its initial TRIPPED blocks but is not a trip. */
        boolean announced;
        long unsafeSince;
        String cause = "waiting for data";
        long trippedAt;
        boolean firstOut;
        Bypass bypass;
        final Map<TagRef, Long> lastForced = new HashMap<>();

        Entry(Rule rule, long createdAt) {
            this.rule = rule;
            this.createdAt = createdAt;
        }
    }

    private final LongSupplier clock;
    private final PlantReading plant;
    private final Auditor auditor;
    private final Supplier<AccessPolicy> policy;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> refused = new TreeMap<>();
    private final Set<Long> usedSignatures = new LinkedHashSet<>();
    private Settings settings;

    InterlockBook(LongSupplier clock, Settings settings, PlantReading plant, Auditor auditor,
            Supplier<AccessPolicy> policy) {
        this.clock = clock;
        this.settings = settings;
        this.plant = plant;
        this.auditor = auditor;
        this.policy = policy;
    }

    synchronized void configure(Settings s) {
        settings = s;
    }

    // ---- rules ----

    /** Takes the configured rules: unchanged rules keep their state, new or changed ones start afresh. */
    synchronized Effects define(List<? extends RuleSource> sources) {
        long now = clock.getAsLong();
        refused.clear();
        Map<String, Rule> rules = new TreeMap<>();
        Map<String, String> originOf = new HashMap<>();
        sources.stream().sorted(Comparator.comparing(RuleSource::origin)).forEach(s -> {
            if (s.rule() == null) {
                refused.put(s.origin(), s.error());
            } else if (rules.containsKey(s.rule().id())) {
                String error = "id " + s.rule().id() + " is already used by " + originOf.get(s.rule().id());
                LOG.error("Interlock configuration {} refused: {}", s.origin(), error);
                refused.put(s.origin(), error);
            } else {
                rules.put(s.rule().id(), s.rule());
                originOf.put(s.rule().id(), s.origin());
            }
        });
        Map<String, Entry> next = new LinkedHashMap<>();
        rules.forEach((id, rule) -> {
            Entry old = entries.get(id);
            next.put(id, old != null && old.rule.equals(rule) ? old : new Entry(rule, now));
        });
        entries.keySet().stream().filter(id -> !next.containsKey(id))
                .forEach(id -> LOG.warn("Interlock {} removed from the configuration", id));
        entries.clear();
        entries.putAll(next);
        return evaluate(null);
    }

    // ---- plant data ----

    /** Judges the rules that read or force anything of {@code zone} ({@code null}: every rule). */
    synchronized Effects evaluate(String zone) {
        long now = clock.getAsLong();
        Effects effects = Effects.empty();
        for (Entry e : entries.values()) {
            if (zone == null || e.rule.concerns(zone)) {
                judge(e, now, effects);
            }
        }
        return effects;
    }

    /** Runs time forward: bypasses expire, delays and the start-up grace run out, forced outputs are checked. */
    synchronized Effects tick() {
        long now = clock.getAsLong();
        Effects effects = Effects.empty();
        for (Entry e : entries.values()) {
            if (e.bypass != null && now >= e.bypass.until()) {
                LOG.warn("Interlock {}: bypass by {} expired", e.rule.id(), e.bypass.user());
                effects.audits().add(system("interlock.bypass.expired", e, "bypassed", e.state.name(),
                        "bypass by " + e.bypass.user() + " ended at its time limit"));
                e.bypass = null;
                e.lastForced.clear();
            }
            judge(e, now, effects);
        }
        return effects;
    }

    private void judge(Entry e, long now, Effects effects) {
        Condition.Failure failure = e.rule.failure(plant);
        if (failure == null) {
            e.unsafeSince = 0;
            if (e.state == InterlockState.TRIPPED) {
                clear(e, effects);
            }
        } else if (e.state == InterlockState.HEALTHY || e.state == InterlockState.RESET_NEEDED || e.announced) {
            // a PLC restarting while the plant starts up (its password just hashed, say) is not a trip either
            boolean startingUp = failure.noData() && now - e.createdAt < settings.startupGraceMs();
            if (e.state != InterlockState.TRIPPED && !startingUp) {
                e.unsafeSince = e.unsafeSince == 0 ? now : e.unsafeSince;
                if (e.state == InterlockState.RESET_NEEDED || now - e.unsafeSince >= e.rule.delayMs()) {
                    trip(e, failure, now, effects);
                }
            }
        } else {
            // never judged yet: missing data is not a trip while the PLCs are still connecting, but it blocks
            e.cause = "waiting for data: " + failure.text();
            boolean graceOver = now - e.createdAt >= settings.startupGraceMs();
            if (failure.noData() && !graceOver) {
                e.unsafeSince = 0;
            } else {
                e.unsafeSince = e.unsafeSince == 0 ? now : e.unsafeSince;
                if (now - e.unsafeSince >= e.rule.delayMs()) {
                    trip(e, failure, now, effects);
                }
            }
        }
        if (e.state != InterlockState.HEALTHY && e.announced) {
            forcesDue(e, now, effects);
        }
    }

    private void clear(Entry e, Effects effects) {
        if (!e.announced) {
            e.announced = true;
            e.state = InterlockState.HEALTHY;
            e.cause = null;
            LOG.info("Interlock {} armed: its conditions hold", e.rule.id());
        } else if (e.rule.latched()) {
            e.state = InterlockState.RESET_NEEDED;
            LOG.info("Interlock {}: conditions hold again; it stays until reset", e.rule.id());
            effects.audits().add(system("interlock.clear", e, "TRIPPED", "RESET_NEEDED", "conditions hold again; reset needed"));
        } else {
            e.state = InterlockState.HEALTHY;
            e.cause = null;
            e.firstOut = false;
            LOG.info("Interlock {} cleared", e.rule.id());
            effects.audits().add(system("interlock.clear", e, "TRIPPED", "HEALTHY", "conditions hold again"));
        }
    }

    private void trip(Entry e, Condition.Failure failure, long now, Effects effects) {
        String before = e.announced ? e.state.name() : "ARMING";
        e.state = InterlockState.TRIPPED;
        e.announced = true;
        e.cause = failure.text();
        e.trippedAt = now;
        e.unsafeSince = 0;
        e.lastForced.clear();
        long window = settings.firstOutWindowMs();
        e.firstOut = entries.values().stream().noneMatch(o -> o != e && o.announced
                && o.state != InterlockState.HEALTHY && o.trippedAt > 0 && now - o.trippedAt <= window);
        boolean bypassed = bypassed(e, now);
        effects.warnings().add("Interlock " + e.rule.id() + " TRIPPED" + (e.firstOut ? " (first out)" : "") + ": " + e.cause
                + (bypassed ? " - bypassed, outputs not forced" : ""));
        effects.audits().add(system("interlock.trip", e, before, "TRIPPED", e.cause + (e.firstOut ? "; first out" : "")
                + (bypassed ? "; bypassed by " + e.bypass.user() + ": outputs not forced" : "")));
    }

    /** The forcing writes still needed: an output not known to be at its safe value, not sent too recently. */
    private void forcesDue(Entry e, long now, Effects effects) {
        if (bypassed(e, now)) {
            return;
        }
        for (Force f : e.rule.forces()) {
            ZoneState state = plant.state(f.tag().zone());
            TagValue live = plant.tag(f.tag().zone(), f.tag().tag());
            if (state == ZoneState.OFFLINE || state == ZoneState.FAILSAFE || (state == null && live == null)) {
                // unreachable, or refusing every write until it leaves fail-safe: its own fail-safe holds it,
                // and it is forced when it is back online
                continue;
            }
            if (live != null && live.quality() == Quality.GOOD && f.value().matches(live.value())) {
                continue;
            }
            Long last = e.lastForced.get(f.tag());
            if (last != null && now - last < settings.reforceIntervalMs()) {
                continue;
            }
            if (last != null) {
                effects.warnings().add("Interlock " + e.rule.id() + ": " + f.tag() + " is "
                        + (live == null ? "unknown" : live.value()) + " again; forcing it back");
            }
            e.lastForced.put(f.tag(), now);
            effects.forces().add(Command.write(f.tag().zone(), f.tag().tag(), f.value().commandValue(), ORIGIN,
                    SYSTEM_ACTOR + ":" + e.rule.id()));
        }
    }

    private static boolean bypassed(Entry e, long now) {
        return e.bypass != null && now < e.bypass.until();
    }

    // ---- the guard ----

    /** Whether a command may go out: a tripped interlock refuses what it blocks; a healthy one what would trip it. */
    synchronized Optional<GuardRefusal> check(Command command) {
        if (!Command.WRITE.equals(command.op()) || command.tag() == null) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        for (Entry e : entries.values()) {
            if (bypassed(e, now)) {
                continue;
            }
            if (e.state != InterlockState.HEALTHY) {
                for (Block b : e.rule.blocks()) {
                    if (b.matches(command)) {
                        return Optional.of(new GuardRefusal("interlocked", e.rule.id(), e.rule.text()));
                    }
                }
            } else if (e.rule.reads(command.zone(), command.tag())) {
                PlantReading after = plant.with(new TagRef(command.zone(), command.tag()), command.value(), now);
                if (e.rule.failure(after) != null) {
                    return Optional.of(new GuardRefusal("interlocked", e.rule.id(), e.rule.text()));
                }
            }
        }
        return Optional.empty();
    }

    // ---- what users do ----

    synchronized Interlock reset(String id, String user, String entryPoint) {
        Entry e = entry(id);
        requireUser(user);
        AccessPolicy p = policy.get();
        if (p == null) {
            throw new IllegalStateException("the user directory is not running: nobody can be checked for the right to reset");
        }
        var access = p.check(user, Right.OPERATE);
        if (!access.allowed()) {
            throw new IllegalArgumentException(user + " may not reset interlocks: " + access.reason());
        }
        if (e.state == InterlockState.HEALTHY) {
            throw new IllegalStateException("interlock " + id + " is healthy: nothing to reset");
        }
        Condition.Failure failure = e.rule.failure(plant);
        if (e.state == InterlockState.TRIPPED || failure != null) {
            throw new IllegalStateException("interlock " + id + " cannot be reset while its conditions fail: "
                    + (failure != null ? failure.text() : e.cause));
        }
        audit(new AuditEntry(0, 0, user, entryPoint, "interlock.reset", target(e), e.state.name(), "HEALTHY",
                "reset after: " + e.cause, null));
        e.state = InterlockState.HEALTHY;
        e.cause = null;
        e.firstOut = false;
        LOG.info("Interlock {} reset by {}", id, user);
        return view(e, clock.getAsLong());
    }

    synchronized Interlock bypass(String id, Signature signature, long durationMs, String entryPoint) {
        Entry e = entry(id);
        long now = clock.getAsLong();
        if (signature == null) {
            throw new IllegalArgumentException("a bypass needs a supervisor's electronic signature");
        }
        try {
            checkBypass(e, signature, durationMs, now);
        } catch (IllegalArgumentException refused) {
            // the signature is on record: so is what became of it
            try {
                auditor.append(new AuditEntry(0, 0, signature.user(), entryPoint, "interlock.bypass.refused", target(e),
                        e.state.name(), null, refused.getMessage(), signature.meaning()));
            } catch (RuntimeException ex) {
                LOG.error("Refused bypass of {} not audited: {}", id, ex.getMessage());
            }
            throw refused;
        }
        long until = now + durationMs;
        audit(new AuditEntry(0, 0, signature.user(), entryPoint, "interlock.bypass", target(e), e.state.name(),
                "bypassed until " + Instant.ofEpochMilli(until), signature.reason(), signature.meaning()));
        e.bypass = new Bypass(signature.user(), signature.printedName(), signature.reason(), now, until,
                signature.auditSeq());
        usedSignatures.add(signature.auditSeq());
        if (usedSignatures.size() > SIGNATURES_REMEMBERED) {
            usedSignatures.remove(usedSignatures.iterator().next());
        }
        LOG.warn("Interlock {} BYPASSED by {} until {}: {}", id, signature.user(), Instant.ofEpochMilli(until),
                signature.reason());
        return view(e, now);
    }

    private void checkBypass(Entry e, Signature signature, long durationMs, long now) {
        if (!BYPASS_MEANING.equals(signature.meaning()) || !target(e).equals(signature.target())) {
            throw new IllegalArgumentException("the signature is for '" + signature.meaning() + "' of "
                    + signature.target() + ", not '" + BYPASS_MEANING + "' of " + target(e));
        }
        AccessPolicy p = policy.get();
        if (p == null || signature.role() == null || !p.allows(signature.role(), Right.BYPASS_INTERLOCK)) {
            throw new IllegalArgumentException("role " + (signature.role() == null ? "none" : signature.role().id())
                    + " may not bypass interlocks");
        }
        if (now - signature.time() > settings.signatureMaxAgeMs()) {
            throw new IllegalArgumentException("the signature is older than " + settings.signatureMaxAgeMs() / 1000
                    + " s: sign again");
        }
        if (usedSignatures.contains(signature.auditSeq())) {
            throw new IllegalArgumentException("that signature was already used: sign again");
        }
        if (durationMs < Settings.MINUTE || durationMs > settings.bypassMaxMs()) {
            throw new IllegalArgumentException("a bypass lasts 1 to " + settings.bypassMaxMs() / Settings.MINUTE + " minutes");
        }
    }

    synchronized Interlock endBypass(String id, String user, String entryPoint, String reason) {
        Entry e = entry(id);
        requireUser(user);
        long now = clock.getAsLong();
        if (!bypassed(e, now)) {
            throw new IllegalStateException("interlock " + id + " is not bypassed");
        }
        audit(new AuditEntry(0, 0, user, entryPoint, "interlock.bypass.end", target(e), "bypassed", e.state.name(),
                reason == null || reason.isBlank() ? "bypass ended" : reason, null));
        LOG.info("Interlock {}: bypass ended by {}", id, user);
        e.bypass = null;
        e.lastForced.clear();
        return view(e, now);
    }

    private void audit(AuditEntry entry) {
        try {
            auditor.append(entry);
        } catch (RuntimeException ex) {
            throw new IllegalStateException("the audit trail cannot record it, so it was not done: " + ex.getMessage(), ex);
        }
    }

    private static void requireUser(String user) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("who acts must be known");
        }
    }

    private Entry entry(String id) {
        Entry e = id == null ? null : entries.get(id);
        if (e == null) {
            throw new NoSuchElementException("no interlock '" + id + "'");
        }
        return e;
    }

    private static String target(Entry e) {
        return "interlock:" + e.rule.id();
    }

    private static AuditEntry system(String action, Entry e, String from, String to, String reason) {
        return AuditEntry.of(SYSTEM_ACTOR, "internal", action, target(e), from, to, reason);
    }

    // ---- views ----

    synchronized List<Interlock> interlocks() {
        long now = clock.getAsLong();
        return entries.values().stream()
                .sorted(Comparator.comparing((Entry e) -> e.state == InterlockState.HEALTHY)
                        .thenComparing(e -> e.state == InterlockState.HEALTHY ? 0 : e.trippedAt)
                        .thenComparing(e -> e.rule.id()))
                .map(e -> view(e, now)).toList();
    }

    synchronized Optional<Interlock> interlock(String id) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(view(e, clock.getAsLong()));
    }

    private static Interlock view(Entry e, long now) {
        Rule r = e.rule;
        return new Interlock(r.id(), r.text(), e.state, r.match(), r.conditions().stream().map(Condition::text).toList(),
                r.blocks().stream().map(Block::text).toList(), r.forces().stream().map(Force::text).toList(),
                r.latched(), r.delayMs(), e.state == InterlockState.HEALTHY ? null : e.cause, e.trippedAt,
                e.state != InterlockState.HEALTHY && e.firstOut, bypassed(e, now) ? e.bypass : null);
    }

    /** Refused configurations: where they came from and why. */
    synchronized Map<String, String> refused() {
        return new TreeMap<>(refused);
    }

    synchronized Map<String, Object> counts() {
        long now = clock.getAsLong();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("rules", entries.size());
        c.put("tripped", entries.values().stream().filter(e -> e.state == InterlockState.TRIPPED && e.announced)
                .map(e -> e.rule.id()).toList());
        c.put("waitingForData", entries.values().stream().filter(e -> !e.announced).map(e -> e.rule.id()).toList());
        c.put("resetNeeded", entries.values().stream().filter(e -> e.state == InterlockState.RESET_NEEDED)
                .map(e -> e.rule.id()).toList());
        c.put("bypassed", entries.values().stream().filter(e -> bypassed(e, now)).map(e -> e.rule.id()).toList());
        return c;
    }
}
