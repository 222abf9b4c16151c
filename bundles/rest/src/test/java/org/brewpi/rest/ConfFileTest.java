package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .cfg file after a change reads back (as java.util.Properties and FileInstall read it) as the values set. */
class ConfFileTest {

    @Test
    void changedLinesAreReplacedCommentsAndOtherLinesKeptAndValuesReadBackAsWritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("brewpi.alarm-x.cfg");
        String before = "# Überschrift: kept byte for byte\n"
                + "! another comment\n"
                + "zone=fv1\n"
                + "message : first part \\\n"
                + "    second part\n"
                + "label = Gär-Tank\n"
                + "limit   21.5\n";
        Files.write(file, before.getBytes(StandardCharsets.ISO_8859_1));

        ConfFile.write(file, Map.of("message", "C:\\temp  \u00fcber 20 \u00b0C", "limit", "22", "deadband", " 1"));

        String after = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertThat(after).startsWith("# \u00dcberschrift: kept byte for byte\n! another comment\nzone=fv1\n")
                .contains("label = G\u00e4r-Tank\n").doesNotContain("second part");
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(in);
        }
        assertThat(p).containsEntry("message", "C:\\temp  \u00fcber 20 \u00b0C").containsEntry("limit", "22")
                .containsEntry("deadband", " 1").containsEntry("zone", "fv1").containsEntry("label", "G\u00e4r-Tank")
                .hasSize(5);
        assertThat(Files.exists(dir.resolve("brewpi.alarm-x.cfg.tmp"))).isFalse();
    }

    @Test
    void keysAreReadAsPropertiesReadsThem() {
        assertThat(ConfFile.keyOf("  a.b = c")).isEqualTo("a.b");
        assertThat(ConfFile.keyOf("a.b:c")).isEqualTo("a.b");
        assertThat(ConfFile.keyOf("a\\ b c")).isEqualTo("a b");
        assertThat(ConfFile.keyOf("# a = b")).isNull();
        assertThat(ConfFile.keyOf("   ")).isNull();
    }
}
