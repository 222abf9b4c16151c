package org.brewpi.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.brewpi.sim.plc.ZoneProfile;
import org.brewpi.sim.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator outside the box: {@code java -jar org.brewpi.sim-<version>.jar --broker tcp://host:1883 ...}
 * emulates zone PLCs against any MQTT broker until stopped (Ctrl-C), then drops their connections
 * so the broker publishes their wills.
 */
public final class Main {

    static final List<String> DEMO_PLANT = List.of("hlt:hlt", "mash:mash", "kettle:kettle", "fv1:fermenter",
            "fv2:fermenter", "glycol:glycol");

    private static final String USAGE = """
            Usage: java -jar org.brewpi.sim.jar [options]
              --broker URL              MQTT broker (default tcp://127.0.0.1:1883; ssl://... for TLS)
              --zone ID:TYPE[:PASSWORD] a zone PLC to emulate, repeatable; types: %s.
                                        The MQTT user name is the zone id. Without --zone: the demo plant
                                        %s
              --credentials FILE        zone=password lines for zones given without a password
              --scale X                 time scale: plant seconds per real second (default 1; 60 = 1 h per min)
              --topic-root ROOT         topic root (default brewpi/v1)
              --heartbeat-timeout MS    fail-safe after this long without a SCADA heartbeat (default 5000)
              --help                    this text
            """;

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        configureConsoleLogging();
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println();
            printUsage(System.err);
            System.exit(2);
            return;
        }
        if (options.help) {
            printUsage(System.out);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        List<ZoneSpec> zones;
        Simulator simulator;
        try {
            zones = options.zones();
            simulator = new Simulator(new Simulator.Settings(options.broker, options.topicRoot, options.scale,
                    options.heartbeatTimeoutMs));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.stop();
            stopped.countDown();
        }, "brewpi-sim-shutdown"));
        zones.forEach(simulator::addZone);
        log.info("emulating {} zone(s): {}; Ctrl-C to stop", zones.size(), zones);
        stopped.await();
    }

    private static void printUsage(PrintStream out) {
        out.print(USAGE.formatted(String.join(", ", ZoneProfile.TYPES), String.join(" ", DEMO_PLANT)));
    }

    /** slf4j-simple, embedded for this mode only: timestamps and short names unless the user set them. */
    private static void configureConsoleLogging() {
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "true");
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** The command line. */
    static final class Options {
        String broker = "tcp://127.0.0.1:1883";
        String topicRoot = "brewpi/v1";
        double scale = 1.0;
        long heartbeatTimeoutMs = Simulator.DEFAULT_HEARTBEAT_TIMEOUT_MS;
        Path credentials;
        boolean help;
        final List<String> zoneArgs = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> o.help = true;
                    case "--broker" -> o.broker = value(args, ++i, arg);
                    case "--zone" -> o.zoneArgs.add(value(args, ++i, arg));
                    case "--credentials" -> o.credentials = Path.of(value(args, ++i, arg));
                    case "--topic-root" -> o.topicRoot = value(args, ++i, arg);
                    case "--scale" -> o.scale = number(value(args, ++i, arg), arg);
                    case "--heartbeat-timeout" -> o.heartbeatTimeoutMs = (long) number(value(args, ++i, arg), arg);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            return o;
        }

        /** The zones to emulate, passwords filled in from the credentials file where not given. */
        List<ZoneSpec> zones() throws IOException {
            List<ZoneSpec> zones = new ArrayList<>();
            CredentialsFile file = credentials == null ? null : new CredentialsFile(credentials);
            List<String> wanted = zoneArgs.isEmpty() ? DEMO_PLANT : zoneArgs;
            for (String zone : wanted) {
                String[] parts = zone.split(":", 3);
                if (parts.length < 2 || !Topics.isValidZoneId(parts[0])) {
                    throw new IllegalArgumentException("--zone " + zone + ": expected ID:TYPE[:PASSWORD] with an id like fv1");
                }
                if (!ZoneProfile.TYPES.contains(parts[1])) {
                    throw new IllegalArgumentException("--zone " + zone + ": type '" + parts[1] + "' is not one of "
                            + ZoneProfile.TYPES);
                }
                if (zones.stream().anyMatch(z -> z.id().equals(parts[0]))) {
                    throw new IllegalArgumentException("zone " + parts[0] + " given twice");
                }
                String password = parts.length == 3 ? parts[2] : null;
                if (password == null && file != null) {
                    password = file.password(parts[0]).orElse(null);
                }
                zones.add(new ZoneSpec(parts[0], parts[1], password));
            }
            return zones;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static double number(String text, String option) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, not '" + text + "'");
            }
        }
    }
}
