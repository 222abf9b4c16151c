package org.brewpi.hardware;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.brewpi.api.alarm.Alarm;
import org.brewpi.api.alarm.AlarmMetrics;
import org.brewpi.api.alarm.AlarmService;
import org.brewpi.api.alarm.AlarmTransition;
import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.audit.AuditVerification;
import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandGate;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.Quality;
import org.brewpi.api.zone.TagDef;
import org.brewpi.api.zone.TagKind;
import org.brewpi.api.zone.TagValue;
import org.brewpi.api.zone.ZoneInfo;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;

/**
 * Stand-ins for the services around the hardware layer in unit tests. The in-framework test
 * {@code EmergencyStopTest} (distribution/itest) runs the same paths against the real gate, plant and simulator.
 */
final class Fakes {

    private Fakes() {
    }

    static ZoneSnapshot zone(String id, ZoneState state, String mode) {
        List<TagDef> tags = List.of(new TagDef("mode", TagKind.ENUM, null, null, null, List.of("off", "auto", "manual"), true),
                new TagDef("heater", TagKind.BOOL, null, null, null, List.of(), true));
        ZoneInfo info = new ZoneInfo(id, "kettle", "1", "sim", 1, "off", 1000, tags);
        Map<String, TagValue> values = mode == null ? Map.of()
                : Map.of("mode", new TagValue(id, "mode", mode, Quality.GOOD, 0, 0));
        return new ZoneSnapshot(id, "mqtt", info, state, null, 0, values, null);
    }

    /** A plant whose zones the test sets; commands to {@code mode} are applied when {@link #apply} is true. */
    static final class FakePlant implements Plant {
        final Map<String, ZoneSnapshot> zones = new ConcurrentHashMap<>();

        void put(ZoneSnapshot z) {
            zones.put(z.id(), z);
        }

        @Override
        public Collection<ZoneSnapshot> zones() {
            return List.copyOf(zones.values());
        }

        @Override
        public Optional<ZoneSnapshot> zone(String zoneId) {
            return Optional.ofNullable(zones.get(zoneId));
        }
    }

    /** Records every command and answers it done at once. */
    static final class RecordingGate implements CommandGate {
        final List<Command> commands = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<CommandResult> submit(Command command) {
            commands.add(command);
            return CompletableFuture.completedFuture(new CommandResult(command, Outcome.DONE, null, null, 0, 0));
        }
    }

    static final class ListAudit implements AuditTrail {
        final List<AuditEntry> entries = new CopyOnWriteArrayList<>();
        volatile boolean broken;

        @Override
        public AuditEntry append(AuditEntry entry) {
            if (broken) {
                throw new IllegalStateException("disk full");
            }
            entries.add(entry);
            return entry;
        }

        @Override
        public List<AuditEntry> entries(long afterSeq, long from, long to, String actor, String target, int limit) {
            return List.copyOf(entries);
        }

        @Override
        public AuditVerification verify() {
            throw new UnsupportedOperationException();
        }
    }

    /** Alarms as the test sets them. */
    static final class FixedAlarms implements AlarmService {
        volatile List<Alarm> alarms = new ArrayList<>();

        @Override
        public List<Alarm> alarms() {
            return alarms;
        }

        @Override
        public Optional<Alarm> alarm(String id) {
            return alarms.stream().filter(a -> a.id().equals(id)).findFirst();
        }

        @Override
        public Alarm acknowledge(String id, String user, String entryPoint, String comment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Alarm shelve(String id, String user, String entryPoint, String reason, long durationMs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Alarm unshelve(String id, String user, String entryPoint, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Alarm setInService(String id, boolean inService, String user, String entryPoint, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<AlarmTransition> journal(int limit) {
            return List.of();
        }

        @Override
        public AlarmMetrics metrics() {
            throw new UnsupportedOperationException();
        }
    }
}
