package org.brewpi.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Edits a zone's file in conf/ in place, keeping the integrator's comments and layout. */
final class ConfFiles {

    /** {@code password = x}, {@code password:x} or {@code password x}, as java.util.Properties reads them. */
    private static final Pattern PASSWORD_LINE = Pattern.compile("^\\s*password(\\s*[=:]|\\s).*$");
    private static final Pattern HASH_LINE = Pattern.compile("^\\s*password\\.hash(\\s*[=:]|\\s).*$");

    private ConfFiles() {
    }

    /**
     * Replaces the clear-text password line by the hash, through a temporary file and an atomic rename,
     * so a reader never sees half a file. The temporary name ends in {@code .tmp}, which FileInstall's
     * filter ignores.
     */
    static void replacePassword(Path file, String hash) throws IOException {
        List<String> out = new ArrayList<>();
        boolean written = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (PASSWORD_LINE.matcher(line).matches() || HASH_LINE.matcher(line).matches()) {
                if (!written) {
                    out.add("password.hash = " + hash);
                    written = true;
                }
                continue;
            }
            out.add(line);
        }
        if (!written) {
            out.add("password.hash = " + hash);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
