package org.brewpi.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes the demo brewery into {@code conf/} at the first start of a simulated box: one zone configuration
 * per PLC, each with its own password. The broker replaces the clear-text password by its hash at once;
 * the simulator keeps its copy in {@code data/sim-credentials.properties}, as a real PLC keeps its own in flash.
 */
final class DemoPlant {

    static final String SEEDED_MARKER = ".demo-plant-seeded";
    static final String SIM_CREDENTIALS = "sim-credentials.properties";

    record DemoZone(String id, String type, String label) {
    }

    static final List<DemoZone> ZONES = List.of(
            new DemoZone("hlt", "hlt", "Tanque de agua caliente"),
            new DemoZone("mash", "mash", "Macerador"),
            new DemoZone("kettle", "kettle", "Olla de hervor"),
            new DemoZone("fv1", "fermenter", "Fermentador 1"),
            new DemoZone("fv2", "fermenter", "Fermentador 2"),
            new DemoZone("glycol", "glycol", "Enfriador de glicol"));

    private DemoPlant() {
    }

    /**
     * Seeds once per data folder: an integrator who later removes a demo zone does not see it come back.
     *
     * @return the zones written, empty if the plant was already seeded or conf/ already holds zones
     */
    static List<DemoZone> seedIfNew(Path confDir, Path dataDir) throws IOException {
        Path marker = dataDir.resolve(SEEDED_MARKER);
        if (Files.exists(marker)) {
            return List.of();
        }
        Files.createDirectories(confDir);
        Files.createDirectories(dataDir);
        try (var existing = Files.list(confDir)) {
            if (existing.anyMatch(p -> p.getFileName().toString().startsWith("brewpi.zone-"))) {
                Files.writeString(marker, "conf/ already held zones\n");
                return List.of();
            }
        }
        SecureRandom random = new SecureRandom();
        StringBuilder credentials = new StringBuilder(
                "# Passwords of the simulated PLCs (the broker only keeps their hashes).\n");
        List<DemoZone> written = new ArrayList<>();
        for (DemoZone zone : ZONES) {
            byte[] secret = new byte[12];
            random.nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            String cfg = "# Zone " + zone.id() + " of the demo plant, emulated by the simulator.\n"
                    + "zone = " + zone.id() + "\n"
                    + "type = " + zone.type() + "\n"
                    + "label = " + zone.label() + "\n"
                    + "driver = mqtt\n"
                    + "simulated = true\n"
                    + "password = " + password + "\n";
            Files.writeString(confDir.resolve("brewpi.zone-" + zone.id() + ".cfg"), cfg, StandardCharsets.UTF_8);
            credentials.append(zone.id()).append('=').append(password).append('\n');
            written.add(zone);
        }
        Path credentialFile = dataDir.resolve(SIM_CREDENTIALS);
        Files.writeString(credentialFile, credentials, StandardCharsets.UTF_8);
        Files.writeString(marker, "seeded\n");
        return written;
    }
}
