package org.brewpi.users;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Role;
import org.brewpi.audit.AuditConfig;
import org.brewpi.audit.H2AuditTrail;

/** A user service on a real H2 user store and a real H2 audit trail, with a clock the test moves. */
final class Fixture {

    static final String FIRST_PIN = "31415926";
    static final String BOOTSTRAP = "bootstrap-token-for-tests";
    /** Cheap hashes keep the tests fast; production uses 210 000 iterations. */
    static final int ITERATIONS = 1_000;

    static final class TestClock extends Clock {
        final AtomicLong now = new AtomicLong(1_764_300_000_000L);

        void advanceMinutes(double minutes) {
            now.addAndGet((long) (minutes * 60_000));
        }

        @Override
        public long millis() {
            return now.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final Path dir;
    final TestClock clock = new TestClock();
    final H2AuditTrail audit;
    final UserService users;

    Fixture(Path dir) throws Exception {
        this(dir, BOOTSTRAP);
    }

    Fixture(Path dir, String bootstrapToken) throws Exception {
        this.dir = dir;
        this.audit = new H2AuditTrail(auditConfig(dir.toString()));
        this.users = open(bootstrapToken);
    }

    UserService open(String bootstrapToken) throws Exception {
        return new UserService(dir.resolve("users"), config(bootstrapToken), audit, clock, new SecureRandom(),
                () -> FIRST_PIN);
    }

    /** The administrator, logged in, one-time PIN changed to {@code adminPin}. */
    Principal admin(String adminPin) {
        users.changePin("admin", FIRST_PIN, adminPin, "hmi");
        return users.login("admin", adminPin, "hmi").principal();
    }

    /** A user of the given role whose one-time PIN is already changed to {@code pin}. */
    Principal user(Principal admin, String name, Role role, String pin) {
        users.createUser(admin, name, name.toUpperCase() + " Tester", role, "one-time-" + name);
        users.changePin(name, "one-time-" + name, pin, "hmi");
        return users.login(name, pin, "hmi").principal();
    }

    List<AuditEntry> entries() {
        return audit.entries(0, 0, Long.MAX_VALUE, null, null, 10_000);
    }

    List<String> actions() {
        return entries().stream().map(AuditEntry::action).toList();
    }

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

    static UsersConfig config(String bootstrapToken) {
        return new UsersConfig() {
            public Class<? extends Annotation> annotationType() {
                return UsersConfig.class;
            }

            public String data_dir() {
                return "unused";
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
                return ITERATIONS;
            }

            public String _api_token() {
                return bootstrapToken;
            }
        };
    }
}
