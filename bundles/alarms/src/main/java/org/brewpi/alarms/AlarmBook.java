package org.brewpi.alarms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmDefinition;
import org.brewpi.api.alarm.AlarmKind;
import org.brewpi.api.alarm.AlarmMetrics;
import org.brewpi.api.alarm.AlarmPriority;
import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.alarm.AlarmTransition;
import org.brewpi.api.alarm.OutOfService;
import org.brewpi.api.alarm.Shelf;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarms and their ISA-18.2 state machine, without threads or OSGi: fed plant data and acts of
 * users, it moves each alarm between NORMAL, UNACK_ACTIVE, ACK_ACTIVE and UNACK_RETURNED, keeps the
 * overlays (shelved, suppressed by design, out of service), journals and audits every transition.
 * <p>
 * Time comes from the clock given, so delays and shelf expiry are tested without sleeping. All methods
 * are synchronized: the engine thread feeds data, service callers act, both briefly.
 * <p>
 * While an overlay hides an alarm its {@code active} flag still follows the process, but it is never left
 * unacknowledged and its activations are not counted in the metrics; when the last overlay goes and the
 * alarm is active it is annunciated again (UNACK_ACTIVE).
 */
final class AlarmBook {

    static final String ENGINE = "alarms";
    static final String INTERNAL = "internal";
    private static final Logger LOG = LoggerFactory.getLogger(AlarmBook.class);

    private final LongSupplier clock;
    private final Consumer<AuditEntry> audit;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final PlantPicture picture;
    private final long started;
    private final ActivationLog activations;
    private Settings settings;
    private long unaudited;
    private String lastAuditError;
    private final Journal journal;

    /** Without a durable journal (tests of the state machine alone). */
    AlarmBook(LongSupplier clock, Settings settings, Consumer<AuditEntry> audit) {
        this(clock, settings, audit, transitions -> {
        }, List.of());
    }

    /**
     * @param audit appends to the audit trail; throws when the entry cannot be made durable
     * @param sink the durable journal, written on the thread that makes the transition
     * @param history the newest transitions already in the durable journal, oldest first: the journal
     *        carries on from them
     */
    AlarmBook(LongSupplier clock, Settings settings, Consumer<AuditEntry> audit, Journal.Sink sink,
            List<AlarmTransition> history) {
        this.clock = clock;
        this.settings = settings;
        this.audit = audit;
        this.journal = new Journal(sink, history, settings.journalSize());
        this.started = clock.getAsLong();
        this.activations = new ActivationLog(started);
        this.picture = new PlantPicture(started);
    }

    // ---- configuration ----

    synchronized void configure(Settings s) {
        this.settings = s;
        long now = clock.getAsLong();
        for (Slot slot : slots.values()) {
            applySuppression(slot, now);
        }
        journal.resize(s.journalSize());
    }

    /** Replaces the set of alarms; alarms that keep their id, zone, tag and kind keep their state. */
    synchronized void define(Collection<AlarmDefinition> definitions) {
        long now = clock.getAsLong();
        Map<String, AlarmDefinition> wanted = new LinkedHashMap<>();
        definitions.forEach(d -> wanted.put(d.id(), d));
        for (var it = slots.entrySet().iterator(); it.hasNext();) {
            Slot slot = it.next().getValue();
            AlarmDefinition d = wanted.get(slot.def.id());
            if (d == null || !sameSignal(d, slot.def)) {
                record(slot, "removed", slot.state(), AlarmState.NORMAL, ENGINE, INTERNAL,
                        d == null ? "no longer defined" : "redefined", now);
                it.remove();
            }
        }
        for (AlarmDefinition d : wanted.values()) {
            Slot slot = slots.computeIfAbsent(d.id(), id -> new Slot(d));
            slot.def = d;
            applySuppression(slot, now);
            evaluate(slot, now);
        }
    }

    private static boolean sameSignal(AlarmDefinition a, AlarmDefinition b) {
        return a.zone().equals(b.zone()) && a.tag().equals(b.tag()) && a.kind() == b.kind();
    }

    private void applySuppression(Slot slot, long now) {
        String state = processAlarm(slot.def) ? suppressingState(slot.def.zone()) : null;
        boolean wanted = slot.def.suppressed() || settings.suppressedZones().contains(slot.def.zone()) || state != null;
        if (wanted == slot.suppressed) {
            return;
        }
        AlarmState from = slot.state();
        slot.suppressed = wanted;
        overlayChanged(slot);
        record(slot, wanted ? "suppress" : "unsuppress", from, slot.state(), ENGINE, INTERNAL,
                state != null ? "by design: " + state + " is true" : "by design (configuration)", now);
    }

    /** Communication loss and the box's own health are always told: they are not a process state. */
    private static boolean processAlarm(AlarmDefinition d) {
        return d.kind() != AlarmKind.COMM_LOSS && d.kind() != AlarmKind.SYSTEM;
    }

    /** The {@code zone.tag} of a configured process state that holds for the zone now, or {@code null}. */
    private String suppressingState(String zone) {
        for (String s : settings.suppressWhen()) {
            int dot = s.indexOf('.');
            String z = s.substring(0, dot);
            if ((z.equals("*") || z.equals(zone)) && picture.isTrue(zone, s.substring(dot + 1))) {
                return zone + "." + s.substring(dot + 1);
            }
        }
        return null;
    }

    private void suppressByState(Set<String> zones, long now) {
        if (settings.suppressWhen().isEmpty()) {
            return;
        }
        for (Slot slot : slots.values()) {
            if (zones.contains(slot.def.zone())) {
                applySuppression(slot, now);
            }
        }
    }

    /** After an overlay came or went: hidden alarms have nothing to acknowledge; uncovered active ones do. */
    private void overlayChanged(Slot slot) {
        if (slot.hidden()) {
            slot.acked = true;
        } else if (slot.active) {
            slot.acked = false;
            slot.ackUser = null;
            slot.ackTime = 0;
        }
    }

    // ---- plant data ----

    synchronized void tags(List<TagValue> values) {
        long now = clock.getAsLong();
        Set<String> zones = new HashSet<>();
        for (TagValue v : values) {
            picture.tag(v);
            zones.add(v.zone());
            for (Slot slot : slots.values()) {
                if (slot.def.kind() == AlarmKind.RATE && slot.def.zone().equals(v.zone())
                        && slot.def.tag().equals(v.tag())) {
                    PlantPicture.sample(slot, v, now);
                }
            }
        }
        suppressByState(zones, now);
        evaluateZones(zones, now);
    }

    synchronized void zone(ZoneSnapshot zone) {
        long now = clock.getAsLong();
        picture.zone(zone);
        suppressByState(Set.of(zone.id()), now);
        evaluateZones(Set.of(zone.id()), now);
    }

    /** The latest look at the box's own health, by component tag; the system alarms follow it. */
    synchronized void system(Map<String, SystemWatch.Health> health) {
        long now = clock.getAsLong();
        picture.components(health);
        for (Slot slot : slots.values()) {
            if (slot.def.kind() == AlarmKind.SYSTEM) {
                evaluate(slot, now);
            }
        }
    }

    /** Runs delays, shelf expiry and rate windows forward to now. */
    synchronized void tick() {
        journal.flush();
        long now = clock.getAsLong();
        for (Slot slot : slots.values()) {
            if (slot.shelf != null && now >= slot.shelf.until()) {
                AlarmState from = slot.state();
                slot.shelf = null;
                overlayChanged(slot);
                record(slot, "shelf_expired", from, slot.state(), ENGINE, INTERNAL, "shelving time is over", now);
            }
            evaluate(slot, now);
        }
    }

    private void evaluateZones(Set<String> zones, long now) {
        for (Slot slot : slots.values()) {
            if (zones.contains(slot.def.zone())) {
                evaluate(slot, now);
            }
        }
    }

    private void evaluate(Slot slot, long now) {
        Boolean condition = picture.condition(slot, now, settings.startupGraceMs());
        if (condition == null) {
            // No trustworthy data: hold the state (communication-loss alarms report the data itself).
            slot.conditionSince = -1;
            slot.clearSince = -1;
            return;
        }
        AlarmDefinition d = slot.def;
        if (condition) {
            slot.clearSince = -1;
            if (!slot.active) {
                if (slot.conditionSince < 0) {
                    slot.conditionSince = now;
                }
                if (now - slot.conditionSince >= d.onDelayMs()) {
                    activate(slot, now);
                }
            }
        } else {
            slot.conditionSince = -1;
            if (slot.active) {
                if (slot.clearSince < 0) {
                    slot.clearSince = now;
                }
                if (now - slot.clearSince >= d.offDelayMs()) {
                    deactivate(slot, now);
                }
            }
        }
    }

    // ---- transitions the process makes ----

    private void activate(Slot slot, long now) {
        AlarmState from = slot.state();
        slot.active = true;
        slot.activeSince = now;
        slot.conditionSince = -1;
        if (!slot.hidden()) {
            slot.acked = false;
            slot.ackUser = null;
            slot.ackTime = 0;
            activations.add(slot.def.id(), now);
        }
        record(slot, "activate", from, slot.state(), ENGINE, INTERNAL, slot.def.message(), now);
    }

    private void deactivate(Slot slot, long now) {
        AlarmState from = slot.state();
        slot.active = false;
        slot.clearSince = -1;
        record(slot, "return", from, slot.state(), ENGINE, INTERNAL, slot.def.message(), now);
        if (slot.shelf != null && slot.shelf.oneShot()) {
            AlarmState shelved = slot.state();
            slot.shelf = null;
            overlayChanged(slot);
            record(slot, "shelf_expired", shelved, slot.state(), ENGINE, INTERNAL,
                    "one-shot shelf: the alarm returned to normal", now);
        }
    }

    // ---- acts of users ----

    synchronized Alarm acknowledge(String id, String user, String entryPoint, String comment) {
        Slot slot = slot(id);
        requireText(user, "user");
        if (slot.acked) {
            throw new IllegalStateException("alarm " + id + " is " + slot.state() + ": nothing to acknowledge");
        }
        long now = clock.getAsLong();
        AlarmState from = slot.state();
        auditFirst(slot, "ack", from, AlarmState.of(slot.active, true), user, entryPoint, comment);
        slot.acked = true;
        slot.ackUser = user;
        slot.ackTime = now;
        return journalled(slot, "ack", from, user, comment, now);
    }

    synchronized Alarm shelve(String id, String user, String entryPoint, String reason, long durationMs) {
        Slot slot = slot(id);
        requireText(user, "user");
        requireText(reason, "reason");
        if (durationMs < 0 || durationMs > settings.shelveMaxMs()) {
            throw new IllegalArgumentException("shelving time must be between 0 (one-shot) and "
                    + settings.shelveMaxMs() / Settings.MINUTE + " minutes");
        }
        long now = clock.getAsLong();
        boolean oneShot = durationMs == 0;
        Shelf shelf = new Shelf(user, reason, now, now + (oneShot ? settings.shelveMaxMs() : durationMs), oneShot);
        AlarmState from = slot.state();
        String why = reason + (oneShot ? " (one-shot)" : " (" + durationMs / 1000 + " s)");
        auditFirst(slot, "shelve", from, AlarmState.of(slot.active, true), user, entryPoint, why);
        slot.shelf = shelf;
        overlayChanged(slot);
        return journalled(slot, "shelve", from, user, why, now);
    }

    synchronized Alarm unshelve(String id, String user, String entryPoint, String reason) {
        Slot slot = slot(id);
        requireText(user, "user");
        if (slot.shelf == null) {
            throw new IllegalStateException("alarm " + id + " is not shelved");
        }
        long now = clock.getAsLong();
        AlarmState from = slot.state();
        Shelf before = slot.shelf;
        slot.shelf = null;
        AlarmState to = afterOverlay(slot);
        slot.shelf = before;
        auditFirst(slot, "unshelve", from, to, user, entryPoint, reason);
        slot.shelf = null;
        overlayChanged(slot);
        return journalled(slot, "unshelve", from, user, reason, now);
    }

    synchronized Alarm setInService(String id, boolean inService, String user, String entryPoint, String reason) {
        Slot slot = slot(id);
        requireText(user, "user");
        requireText(reason, "reason");
        if (inService == (slot.outOfService == null)) {
            throw new IllegalStateException("alarm " + id + " is already " + (inService ? "in" : "out of") + " service");
        }
        long now = clock.getAsLong();
        AlarmState from = slot.state();
        OutOfService before = slot.outOfService;
        slot.outOfService = inService ? null : new OutOfService(user, reason, now);
        AlarmState to = afterOverlay(slot);
        OutOfService after = slot.outOfService;
        slot.outOfService = before;
        String transition = inService ? "in_service" : "out_of_service";
        auditFirst(slot, transition, from, to, user, entryPoint, reason);
        slot.outOfService = after;
        overlayChanged(slot);
        return journalled(slot, transition, from, user, reason, now);
    }

    private static AlarmState afterOverlay(Slot slot) {
        return AlarmState.of(slot.active, slot.hidden() || !slot.active && slot.acked);
    }

    private Slot slot(String id) {
        Slot slot = id == null ? null : slots.get(id);
        if (slot == null) {
            throw new NoSuchElementException("no alarm '" + id + "'");
        }
        return slot;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (value.length() > 256) {
            throw new IllegalArgumentException(what + " is longer than 256 characters");
        }
    }

    // ---- journal and audit ----

    /** A user's act is audited before it takes effect: no record, no act. */
    private void auditFirst(Slot slot, String transition, AlarmState from, AlarmState to, String user,
            String entryPoint, String reason) {
        try {
            audit.accept(entry(slot, transition, from, to, user, entryPoint, reason));
        } catch (RuntimeException e) {
            LOG.warn("Alarm {} {} by {} refused: the audit trail cannot record it ({})", slot.def.id(), transition,
                    user, e.getMessage());
            throw new IllegalStateException("not done: the audit trail cannot record it (" + e.getMessage() + ")", e);
        }
    }

    private Alarm journalled(Slot slot, String transition, AlarmState from, String user, String reason, long now) {
        slot.lastChange = now;
        remember(slot, transition, from, slot.state(), user, reason, now);
        return slot.view();
    }

    /** A transition the engine made on its own: journaled and audited; an audit failure is counted, not fatal. */
    private void record(Slot slot, String transition, AlarmState from, AlarmState to, String actor, String entryPoint,
            String reason, long now) {
        slot.lastChange = now;
        remember(slot, transition, from, to, actor, reason, now);
        try {
            audit.accept(entry(slot, transition, from, to, actor, entryPoint, reason));
        } catch (RuntimeException e) {
            unaudited++;
            lastAuditError = e.getMessage();
            LOG.warn("Alarm {} {} not audited: {}", slot.def.id(), transition, e.getMessage());
        }
    }

    private void remember(Slot slot, String transition, AlarmState from, AlarmState to, String actor, String reason,
            long now) {
        journal.add(new AlarmTransition(journal.nextSeq(), now, slot.def.id(), transition, from, to, actor, reason,
                slot.value));
        LOG.info("Alarm {} {}: {} -> {} by {} ({})", slot.def.id(), transition, from, to, actor, reason);
    }

    private static AuditEntry entry(Slot slot, String transition, AlarmState from, AlarmState to, String actor,
            String entryPoint, String reason) {
        return AuditEntry.of(actor, entryPoint == null || entryPoint.isBlank() ? INTERNAL : entryPoint,
                "alarm." + transition, slot.def.id(), from.name(), to.name(), reason);
    }

    // ---- views ----

    private static final Comparator<Alarm> URGENCY = Comparator
            .comparing((Alarm a) -> a.state().acknowledged())
            .thenComparing(a -> !a.state().active())
            .thenComparing(Alarm::priority)
            .thenComparing(Comparator.comparingLong(Alarm::lastChange).reversed())
            .thenComparing(Alarm::id);

    synchronized List<Alarm> alarms() {
        List<Alarm> list = new ArrayList<>(slots.size());
        slots.values().forEach(s -> list.add(s.view()));
        list.sort(URGENCY);
        return list;
    }

    synchronized Optional<Alarm> alarm(String id) {
        return Optional.ofNullable(slots.get(id)).map(Slot::view);
    }

    synchronized List<AlarmTransition> journal(int limit) {
        return journal.newest(limit);
    }

    synchronized AlarmMetrics metrics() {
        long now = clock.getAsLong();
        List<String> stale = slots.values().stream()
                .filter(s -> s.active && !s.hidden() && now - s.activeSince > settings.staleMs())
                .map(s -> s.def.id()).sorted().toList();
        return activations.metrics(now, settings, stale);
    }

    /** Counts for the health report. */
    synchronized Map<String, Object> counts() {
        Map<AlarmPriority, Integer> byPriority = new EnumMap<>(AlarmPriority.class);
        Map<AlarmState, Integer> byState = new EnumMap<>(AlarmState.class);
        for (AlarmPriority p : AlarmPriority.values()) {
            byPriority.put(p, 0);
        }
        for (AlarmState st : AlarmState.values()) {
            byState.put(st, 0);
        }
        int shelved = 0;
        int suppressed = 0;
        int outOfService = 0;
        for (Slot s : slots.values()) {
            byState.merge(s.state(), 1, Integer::sum);
            if (s.state() != AlarmState.NORMAL) {
                byPriority.merge(s.def.priority(), 1, Integer::sum);
            }
            shelved += s.shelf != null ? 1 : 0;
            suppressed += s.suppressed ? 1 : 0;
            outOfService += s.outOfService != null ? 1 : 0;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("defined", slots.size());
        Map<String, Integer> p = new LinkedHashMap<>();
        byPriority.forEach((k, v) -> p.put(k.wire(), v));
        details.put("notNormalByPriority", p);
        Map<String, Integer> st = new LinkedHashMap<>();
        byState.forEach((k, v) -> st.put(k.name(), v));
        details.put("byState", st);
        details.put("shelved", shelved);
        details.put("suppressed", suppressed);
        details.put("outOfService", outOfService);
        details.put("unauditedTransitions", unaudited);
        if (lastAuditError != null) {
            details.put("lastAuditError", lastAuditError);
        }
        journal.report(details);
        return details;
    }

    synchronized long unaudited() {
        return unaudited;
    }

    synchronized String journalProblem() {
        return journal.problem();
    }

    /** Transitions not (yet) in the durable journal, lost ones included. */
    synchronized long unjournaled() {
        return journal.unjournaled();
    }
}
