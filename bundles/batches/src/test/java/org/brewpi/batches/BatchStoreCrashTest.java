package org.brewpi.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch act committed just before the process is killed (SIGKILL) is there after a restart. */
class BatchStoreCrashTest {

    @TempDir
    Path dir;

    /** The process that gets killed: starts one batch, says so, then waits to die. */
    public static void main(String[] args) throws Exception {
        BatchStore store = new BatchStore(Path.of(args[0]));
        String lot = "CRASH-" + args[1];
        store.append(new BatchStore.Row(0, 0, "batch", lot, "ipa", 1, "ab12", "start", null, "RUNNING", "olga",
                "Olga O.", "operator", "hmi", "before the crash", null, null, null, null), System.currentTimeMillis(),
                BatchStore.startBatch(lot, "ipa", "{}", 1, System.currentTimeMillis(), List.of("kettle")));
        System.out.println("committed " + lot);
        System.out.flush();
        // the child waits to be killed: a bounded sleep only so it never outlives a broken test run
        Thread.sleep(60_000);
    }

    @Test
    void aStartedBatchIsThereAfterTheProcessIsKilled() throws Exception {
        for (int round = 1; round <= 3; round++) {
            Process box = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), BatchStoreCrashTest.class.getName(), dir.toString(),
                    String.valueOf(round)).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(box.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("committed ")) {
                    // logging first
                }
                assertThat(line).as("the child committed").isEqualTo("committed CRASH-" + round);
                box.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                assertThat(box.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                box.destroyForcibly();
            }
        }
        try (BatchStore again = new BatchStore(dir)) {
            assertThat(again.batches(10)).extracting(BatchStore.BatchRow::lot)
                    .containsExactlyInAnyOrder("CRASH-1", "CRASH-2", "CRASH-3");
            assertThat(again.rowsAfter(0, 10)).hasSize(3);
            assertThat(again.history("batch", "CRASH-2")).extracting(BatchStore.Row::reason).containsExactly("before the crash");
        }
    }
}
