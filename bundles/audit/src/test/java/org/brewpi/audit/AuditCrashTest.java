package org.brewpi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditVerification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry is durable when append returns: a box process killed (SIGKILL) right after the append, before H2's
 * own background writer ran, still finds it at the next start.
 */
class AuditCrashTest {

    @TempDir
    Path dir;

    /** The process that gets killed: appends one entry, says so, then waits to die. */
    public static void main(String[] args) throws Exception {
        AuditStore store = new AuditStore(Path.of(args[0]));
        AuditEntry stored = store.append(AuditEntry.of("ana", "hmi", "command.write", "fv1.sv", "18", args[1], null),
                System.currentTimeMillis());
        System.out.println("appended " + stored.seq());
        System.out.flush();
        Thread.sleep(60_000); // not a wait for something: the child idles until the test kills it
    }

    @Test
    void anEntryAppendedJustBeforeTheProcessIsKilledIsThereAfterARestart() throws Exception {
        for (int round = 1; round <= 3; round++) {
            Process box = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), AuditCrashTest.class.getName(), dir.toString(),
                    Integer.toString(round)).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(box.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("appended ")) {
                    // H2 and slf4j may talk first
                }
                assertThat(line).as("the child appended").isEqualTo("appended " + round);
                box.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                assertThat(box.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                box.destroyForcibly();
            }
        }
        try (AuditStore again = new AuditStore(dir)) {
            List<AuditEntry> entries = again.entries(0, 0, Long.MAX_VALUE, null, null, 10);
            assertThat(entries).extracting(AuditEntry::newValue).containsExactly("1", "2", "3");
            assertThat(again.verify()).isEqualTo(new AuditVerification(true, 3, null, null));
        }
    }
}
