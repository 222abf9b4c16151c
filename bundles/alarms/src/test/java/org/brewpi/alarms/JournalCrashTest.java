package org.brewpi.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.brewpi.api.alarm.AlarmState;
import org.brewpi.api.alarm.AlarmTransition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journaled transition survives the process being killed (SIGKILL) right after it was written. */
class JournalCrashTest {

    @TempDir
    Path dir;

    /** The process that gets killed: journals one transition, says so, then waits to die. */
    public static void main(String[] args) throws Exception {
        JournalStore store = new JournalStore(Path.of(args[0]));
        long seq = store.lastSeq() + 1;
        store.append(List.of(new AlarmTransition(seq, System.currentTimeMillis(), "fv1.comm", "activate",
                AlarmState.NORMAL, AlarmState.UNACK_ACTIVE, "alarms", "zone offline", "zone offline")));
        System.out.println("journaled " + seq);
        System.out.flush();
        Thread.sleep(60_000); // not a wait for something: the child idles until the test kills it
    }

    @Test
    void aTransitionJournaledJustBeforeTheProcessIsKilledIsThereAfterARestart() throws Exception {
        for (int round = 1; round <= 3; round++) {
            Process box = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), JournalCrashTest.class.getName(), dir.toString())
                    .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(box.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("journaled ")) {
                    // logging first
                }
                assertThat(line).as("the child journaled").isEqualTo("journaled " + round);
                box.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                assertThat(box.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                box.destroyForcibly();
            }
        }
        try (JournalStore again = new JournalStore(dir)) {
            assertThat(again.newest(10)).extracting(AlarmTransition::seq).containsExactly(1L, 2L, 3L);
        }
    }
}
