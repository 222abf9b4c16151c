package org.brewpi.batches;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;
import org.brewpi.historian.H2Historian;
import org.brewpi.historian.HistorianConfig;
import org.brewpi.users.UserService;
import org.brewpi.users.UsersConfig;

/**
 * A batch manager on the real parts of the box: the H2 audit trail, the users service (rights table, PINs,
 * signatures), the H2 historian, and its own store, all in one folder; a clock the test moves.
 */
final class Box implements AutoCloseable {

    static final String BOOTSTRAP = "bootstrap-token-for-batch-tests";
    static final String PIN = "4711-pin";
    /** Recent enough for the historian's 30-day retention. */
    static final long T0 = (System.currentTimeMillis() / 60_000 - 6 * 60) * 60_000;

    final Path dir;
    final AtomicLong now = new AtomicLong(T0);
    final H2AuditTrail audit;
    final UserService users;
    final H2Historian historian;
    BatchManager manager;

    Box(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(recipes());
        audit = new H2AuditTrail(auditConfig(dir.toString()));
        users = new UserService(usersConfig(dir.toString()), audit);
        historian = new H2Historian(historianConfig(dir.toString()));
        manager = open();
    }

    BatchManager open() {
        BatchManager m = new BatchManager(new Settings(dir, dir.resolve("conf"), 100_000, 300_000, 20_000), now::get);
        m.setAudit(audit);
        m.setPolicy(users);
        m.setSignatures(users);
        m.setHistorian(historian);
        return m;
    }

    /** Closes the manager and opens a new one on the same files, as a restart of the box does. */
    void restart() {
        manager.close();
        manager = open();
    }

    Path recipes() {
        return dir.resolve("conf").resolve("recipes");
    }

    /** Writes a recipe file and has the manager look at the folder. */
    void recipe(String id, String json) throws Exception {
        Files.writeString(recipes().resolve(id + ".json"), json);
        manager.rescan();
    }

    Principal bootstrap() {
        return users.authenticate("Bearer " + BOOTSTRAP).orElseThrow();
    }

    /** A person of the role, logged in with {@link #PIN}. */
    Principal person(String name, Role role) {
        users.createUser(bootstrap(), name, "Printed " + name, role, "first-" + name);
        users.changePin(name, "first-" + name, PIN, "hmi");
        return users.login(name, PIN, "hmi").principal();
    }

    List<AuditEntry> audited(String target) {
        return audit.entries(0, 0, Long.MAX_VALUE, null, target, 10_000);
    }

    void minutes(double m) {
        now.addAndGet((long) (m * 60_000));
    }

    @Override
    public void close() throws Exception {
        manager.close();
        historian.close();
    }

    static String recipe(String id, int version, String ccps) {
        return """
                {
                  "id": "%s", "name": "Test %s", "version": %d, "style": "Test",
                  "steps": [
                    {"zone": "kettle", "zoneType": "kettle", "name": "boil", "setpoints": {"sv": 100.0}, "minutes": 60},
                    {"zone": "fv1", "zoneType": "fermenter", "name": "primary", "setpoints": {"sv": 18.5, "mode": "auto"}, "minutes": 10080}
                  ],
                  "criticalParameters": [%s]
                }
                """.formatted(id, id, version, ccps);
    }

    static final String BOIL = """
            {"id": "boil", "zone": "kettle", "tag": "pv", "min": 98.0, "minutes": 60, "hazard": "pathogens"}""";
    static final String FERMENTATION = """
            {"id": "fermentation", "zone": "fv1", "tag": "pv", "min": 10.0, "max": 22.0, "mode": "throughout"}""";

    static AuditConfig auditConfig(String dataDir) {
        return new AuditConfig() {
            public Class<? extends Annotation> annotationType() {
                return AuditConfig.class;
            }

            public String data_dir() {
                return dataDir;
            }
        };
    }

    static UsersConfig usersConfig(String dataDir) {
        return new UsersConfig() {
            public Class<? extends Annotation> annotationType() {
                return UsersConfig.class;
            }

            public String data_dir() {
                return dataDir;
            }

            public int idle_timeout_minutes() {
                return 15;
            }

            public int lockout_failures() {
                return 5;
            }

            public int lockout_window_minutes() {
                return 10;
            }

            public int lockout_minutes() {
                return 5;
            }

            public int pin_iterations() {
                return 1_000;
            }

            public String _api_token() {
                return BOOTSTRAP;
            }
        };
    }

    static HistorianConfig historianConfig(String dataDir) {
        return new HistorianConfig() {
            public Class<? extends Annotation> annotationType() {
                return HistorianConfig.class;
            }

            public String data_dir() {
                return dataDir;
            }

            public long flush_ms() {
                return 50;
            }

            public int batch_size() {
                return 5000;
            }

            public int queue_capacity() {
                return 100_000;
            }

            public long offer_timeout_ms() {
                return 1000;
            }

            public long retention_days() {
                return 30;
            }

            public long disk_min_free_mb() {
                return 1;
            }

            public long disk_check_s() {
                return 3600;
            }
        };
    }
}
