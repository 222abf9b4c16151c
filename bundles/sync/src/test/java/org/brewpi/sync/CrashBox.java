package org.brewpi.sync;

import java.nio.file.Path;

/**
 * The historian and the sync engine in a JVM of their own, for the crash test.
 * <p>
 * {@code run <dataDir> <url> <schema> <site>}: records the plant as fast as it can while the sync
 * ships in small batches, until killed. {@code drain ...}: records nothing, waits until every row
 * is synced, prints {@code DRAINED <overlapping batches>}, and closes cleanly.
 */
public final class CrashBox {

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        SyncSettings settings = new SyncSettings(args[2], TestPostgres.ADMIN, "", args[4], args[3], 500, 20, 100, 400,
                3_600_000);
        LocalHistory box = new LocalHistory(Path.of(args[1]));
        SyncEngine sync = new SyncEngine(box.historian, settings);
        if (mode.equals("run")) {
            long t = Long.parseLong(args[5]);
            System.out.println("RUNNING");
            while (true) {
                box.produce(t, 10, 20);
                t += 200;
                Thread.sleep(5);
            }
        }
        while (box.waitingTotal() > 0) {
            Thread.sleep(20);
        }
        Object overlapping = sync.report(System.currentTimeMillis()).details().get("batches.overlapping");
        sync.close();
        box.close();
        System.out.println("DRAINED " + overlapping);
    }

    private CrashBox() {
    }
}
