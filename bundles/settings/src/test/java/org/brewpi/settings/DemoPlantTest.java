package org.brewpi.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoPlantTest {

    @TempDir
    Path dir;

    @Test
    void seedsZonesAndTheirInterlocksOnce() throws Exception {
        Path conf = dir.resolve("conf");
        Path data = dir.resolve("data");
        assertThat(DemoPlant.seedIfNew(conf, data)).hasSize(6);
        for (String id : new String[] { "kettle-level", "hlt-level-switch", "mash-transfer", "fv1-cip", "fv2-cip",
                "glycol-chiller" }) {
            Path file = conf.resolve("brewpi.interlock-" + id + ".cfg");
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(file)) {
                p.load(in);
            }
            assertThat(p.getProperty("id")).isEqualTo(id);
            assertThat(p.getProperty("text")).isNotBlank();
            assertThat(p.getProperty("conditions")).isNotBlank();
            assertThat(p.getProperty("forces")).isNotBlank();
        }
        Properties kettle = new Properties();
        try (var in = Files.newBufferedReader(conf.resolve("brewpi.interlock-kettle-level.cfg"))) {
            kettle.load(in);
        }
        assertThat(kettle.getProperty("forces")).as("the heater is writable in manual only").isEqualTo("kettle.mode = off");

        Files.delete(conf.resolve("brewpi.interlock-fv2-cip.cfg"));
        assertThat(DemoPlant.seedIfNew(conf, data)).as("seeded once per data folder").isEmpty();
        assertThat(conf.resolve("brewpi.interlock-fv2-cip.cfg")).doesNotExist();
    }

    @Test
    void seedsTheDemoRecipeOnceAndNeverOverwritesIt() throws Exception {
        Path conf = dir.resolve("conf");
        assertThat(DemoPlant.seedRecipe(conf)).isTrue();
        Path recipe = conf.resolve("recipes/pale-ale.json");
        assertThat(Files.readString(recipe)).contains("\"id\": \"pale-ale\"", "\"criticalParameters\"")
                .contains("\"zone\": \"kettle\", \"tag\": \"pv\", \"min\": 98.0, \"minutes\": 60");

        Files.writeString(recipe, "{\"edited\": true}");
        assertThat(DemoPlant.seedRecipe(conf)).as("an integrator's edit is kept").isFalse();
        assertThat(Files.readString(recipe)).isEqualTo("{\"edited\": true}");

        Files.delete(recipe);
        assertThat(DemoPlant.seedRecipe(conf)).as("a deleted demo recipe stays deleted").isFalse();
        assertThat(recipe).doesNotExist();
    }
}
