package org.brewpi.sim;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The emulated PLCs' "flash memory": a properties file of {@code zone=password} lines, read each
 * time a zone powers up so a password provisioned meanwhile is picked up.
 */
public final class CredentialsFile {

    private final Path file;

    public CredentialsFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /**
     * The zone's password, or empty when the file or the line is missing.
     *
     * @throws IOException when the file exists but cannot be read
     */
    public Optional<String> password(String zone) throws IOException {
        Properties lines = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            lines.load(reader);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String password = lines.getProperty(zone);
        return password == null || password.isEmpty() ? Optional.empty() : Optional.of(password);
    }
}
