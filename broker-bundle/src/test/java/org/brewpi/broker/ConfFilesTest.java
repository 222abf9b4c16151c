package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfFilesTest {

    @Test
    void thePasswordLineBecomesTheHashAndTheRestStays(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("brewpi.zone-fv3.cfg");
        Files.writeString(cfg, "# fermenter 3, wired 2026-11-28\nzone = fv3\npassword = s3cret\ntype = fermenter\n");
        ConfFiles.replacePassword(cfg, "$pbkdf2-sha256$1$abc$def");
        assertThat(Files.readString(cfg)).isEqualTo(
                "# fermenter 3, wired 2026-11-28\nzone = fv3\npassword.hash = $pbkdf2-sha256$1$abc$def\ntype = fermenter\n");
        assertThat(dir.resolve("brewpi.zone-fv3.cfg.tmp")).doesNotExist();
    }

    @Test
    void anOldHashIsReplacedAndNothingIsDuplicated(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("z.cfg");
        Files.writeString(cfg, "zone = z\npassword.hash = old\npassword:new\n");
        ConfFiles.replacePassword(cfg, "h");
        assertThat(Files.readString(cfg)).isEqualTo("zone = z\npassword.hash = h\n");
    }
}
