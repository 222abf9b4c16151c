package org.brewpi.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the demo brewery into {@code conf/} at the first start of a simulated box: one zone configuration
 * per PLC, each with its own password, and the plant-wide interlocks that ship with it. The broker replaces the clear-text password by its hash at once;
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

    /**
     * The plant-wide interlocks of the demo brewery (grammar: bundles/interlocks/README.md). The hot side's
     * safe state is mode off: its heater can only be written in mode manual. The latched ones wait 2 s: a level
     * reading that sloshes, or telemetry late for a moment, must not need an operator's reset.
     */
    static final Map<String, String> INTERLOCKS = interlocks();

    private static Map<String, String> interlocks() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("kettle-level", """
                text = Kettle heater needs kettle level above minimum
                conditions = kettle.mode == off, kettle.level > 20
                match = any
                blocks = kettle.mode != off
                forces = kettle.mode = off
                latched = true
                delay_ms = 2000
                """);
        rules.put("hlt-level-switch", """
                text = HLT heater needs its level switch
                conditions = hlt.mode == off, hlt.level_switch == true
                match = any
                blocks = hlt.mode != off
                forces = hlt.mode = off
                latched = true
                delay_ms = 2000
                """);
        rules.put("mash-transfer", """
                text = Transfer pump needs its destination valve open (kettle inlet)
                conditions = mash.pump == false, kettle.inlet_valve == true
                match = any
                blocks = mash.pump = true
                forces = mash.pump = false
                """);
        for (String fv : List.of("fv1", "fv2")) {
            rules.put(fv + "-cip", """
                    text = CIP running on %1$s blocks its product valve
                    conditions = %1$s.cip == false, %1$s.product_valve == false
                    match = any
                    blocks = %1$s.product_valve = true
                    forces = %1$s.product_valve = false
                    """.formatted(fv));
        }
        rules.put("glycol-chiller", """
                text = Glycol pump needs the chiller online
                conditions = glycol online, glycol.mode != off
                match = all
                blocks = glycol.pump = true
                forces = glycol.pump = false
                delay_ms = 3000
                """);
        return java.util.Collections.unmodifiableMap(rules);
    }

    /** The demo plant's recipe (grammar: bundles/batches/README.md), a DRAFT until QA approves it. */
    static final String DEMO_RECIPE_ID = "pale-ale";
    static final String DEMO_RECIPE = """
            {
              "id": "pale-ale",
              "name": "Pale Ale de la casa",
              "version": 1,
              "style": "American Pale Ale",
              "description": "Demo recipe of the demo plant: mash at 66 °C, 60 min boil, primary at 18-19 °C in fv1.",
              "steps": [
                {"zone": "hlt", "zoneType": "hlt", "name": "strike water", "setpoints": {"sv": 74.0}, "minutes": 30},
                {"zone": "mash", "zoneType": "mash", "name": "mash rest", "setpoints": {"sv": 66.0}, "minutes": 60},
                {"zone": "kettle", "zoneType": "kettle", "name": "boil", "setpoints": {"sv": 100.0}, "minutes": 60},
                {"zone": "fv1", "zoneType": "fermenter", "name": "primary", "setpoints": {"sv": 18.5}, "minutes": 10080}
              ],
              "criticalParameters": [
                {"id": "boil", "zone": "kettle", "tag": "pv", "min": 98.0, "minutes": 60,
                 "hazard": "vegetative pathogens survive an insufficient boil (CCP 1)"},
                {"id": "fermentation", "zone": "fv1", "tag": "pv", "min": 10.0, "max": 22.0, "mode": "throughout",
                 "hazard": "off-flavours and spoilage organisms above 22 °C (CCP 2)"}
              ]
            }
            """;

    private DemoPlant() {
    }

    /**
     * Writes the demo recipe into {@code conf/recipes/} unless the folder already holds it (an integrator's
     * edits are never overwritten). Separate from the zones' seeding: a box seeded before recipes existed gets it too.
     */
    static boolean seedRecipe(Path confDir) throws IOException {
        Path recipes = confDir.resolve("recipes");
        Path file = recipes.resolve(DEMO_RECIPE_ID + ".json");
        Path marker = recipes.resolve(".demo-recipe-seeded");
        if (Files.exists(file) || Files.exists(marker)) {
            return false;
        }
        Files.createDirectories(recipes);
        Files.writeString(file, DEMO_RECIPE, StandardCharsets.UTF_8);
        Files.writeString(marker, "seeded; delete the recipe and it stays deleted\n");
        return true;
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
        for (var rule : INTERLOCKS.entrySet()) {
            Files.writeString(confDir.resolve("brewpi.interlock-" + rule.getKey() + ".cfg"),
                    "# Interlock of the demo plant (grammar: bundles/interlocks/README.md).\nid = " + rule.getKey() + "\n"
                            + rule.getValue(), StandardCharsets.UTF_8);
        }
        Path credentialFile = dataDir.resolve(SIM_CREDENTIALS);
        Files.writeString(credentialFile, credentials, StandardCharsets.UTF_8);
        Files.writeString(marker, "seeded\n");
        return written;
    }
}
