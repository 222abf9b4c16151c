package org.brewpi.batches;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.brewpi.api.batch.Recipe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recipes of {@code <conf>/recipes/*.json}, read again whenever a file's content changes. A file that is not a
 * valid recipe is refused with one log line, counted, and shown in health; the last good version of that recipe
 * stays in force (marked with the problem), so a typo never takes a recipe away in the middle of production.
 * {@link #scan} runs on one thread; readers see a consistent snapshot.
 */
final class RecipeBook {

    private static final Logger LOG = LoggerFactory.getLogger(RecipeBook.class);
    private static final String SUFFIX = ".json";

    /** A file refused: which, why, since when. */
    record Refused(String file, String problem, long since) {
    }

    private final Path directory;
    private final LongSupplier clock;
    /** The content hash last looked at per file name, good or bad: the same bytes are not judged twice. */
    private final Map<String, String> seen = new HashMap<>();
    private final Map<String, Recipe> good = new HashMap<>();
    /** The bytes of each good recipe: what a batch keeps as its copy. */
    private final Map<String, byte[]> contents = new HashMap<>();
    private volatile Map<String, byte[]> contentSnapshot = Map.of();
    private final Map<String, Refused> refusedFiles = new HashMap<>();
    private volatile Map<String, Recipe> snapshot = Map.of();
    private volatile Map<String, Refused> refusedSnapshot = Map.of();
    private volatile long refusals;
    private volatile String scanError;

    RecipeBook(Path directory, LongSupplier clock) {
        this.directory = directory;
        this.clock = clock;
    }

    Path directory() {
        return directory;
    }

    /** Looks at the folder and takes in what changed. */
    synchronized void scan() {
        Set<String> present = new HashSet<>();
        if (Files.isDirectory(directory)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(directory)) {
                files = list.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p)).toList();
                scanError = null;
            } catch (IOException e) {
                if (scanError == null) {
                    LOG.warn("Recipe folder {} cannot be listed: {}", directory, e.toString());
                }
                scanError = e.toString();
                return; // keep what is known
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                present.add(name);
                look(file, name);
            }
        }
        for (String name : List.copyOf(seen.keySet())) {
            if (!present.contains(name)) {
                seen.remove(name);
                refusedFiles.remove(name);
                contents.remove(idOf(name));
                Recipe gone = good.remove(idOf(name));
                if (gone != null) {
                    LOG.info("Recipe {} removed: its file {} is gone (batches keep their own copy)", gone.id(), name);
                }
            }
        }
        publish();
    }

    private void look(Path file, String name) {
        String id = idOf(name);
        byte[] content;
        try {
            if (Files.size(file) > RecipeFile.MAX_BYTES) {
                refuse(name, "sz:" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis(),
                        "file is larger than " + RecipeFile.MAX_BYTES / 1024 + " KiB");
                return;
            }
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return; // being written or gone: the next scan sees it
        }
        String hash = RecipeFile.sha256(content);
        if (hash.equals(seen.get(name))) {
            return;
        }
        try {
            Recipe recipe = RecipeFile.parse(id, file.toString(), content, clock.getAsLong());
            seen.put(name, hash);
            refusedFiles.remove(name);
            Recipe before = good.put(id, recipe);
            contents.put(id, content);
            LOG.info("Recipe {} version {} {} from {} (sha256 {})", id, recipe.version(),
                    before == null ? "loaded" : "changed", name, hash.substring(0, 12));
        } catch (RecipeFile.Invalid e) {
            refuse(name, hash, e.getMessage());
        }
    }

    private void refuse(String name, String hash, String problem) {
        seen.put(name, hash);
        refusedFiles.put(name, new Refused(name, problem, clock.getAsLong()));
        refusals++;
        Recipe kept = good.get(idOf(name));
        LOG.warn("Recipe file {} refused: {}{}", name, problem,
                kept == null ? "" : "; version " + kept.version() + " stays in force");
    }

    private void publish() {
        Map<String, Recipe> out = new TreeMap<>();
        for (Recipe r : good.values()) {
            Refused problem = refusedFiles.get(r.id() + SUFFIX);
            out.put(r.id(), problem == null ? r : r.withProblem("the file on disk is refused (" + problem.problem()
                    + "); this is the last good version"));
        }
        snapshot = java.util.Collections.unmodifiableMap(out);
        refusedSnapshot = Map.copyOf(refusedFiles);
        contentSnapshot = Map.copyOf(contents);
    }

    private static String idOf(String fileName) {
        return fileName.substring(0, fileName.length() - SUFFIX.length());
    }

    List<Recipe> recipes() {
        return List.copyOf(snapshot.values());
    }

    Optional<Recipe> recipe(String id) {
        return Optional.ofNullable(id == null ? null : snapshot.get(id));
    }

    /** The bytes of the recipe in force (the last good version), with its hash matching {@link Recipe#sha256()}. */
    Optional<byte[]> content(String id) {
        byte[] c = id == null ? null : contentSnapshot.get(id);
        return Optional.ofNullable(c == null ? null : c.clone());
    }

    /** Files refused now, by name. */
    Map<String, Refused> refused() {
        return refusedSnapshot;
    }

    /** Refusals since start (each distinct bad content once). */
    long refusals() {
        return refusals;
    }

    void report(Map<String, Object> details) {
        details.put("recipeFolder", directory.toString());
        details.put("recipes", snapshot.size());
        details.put("recipeFilesRefused", refusedSnapshot.size());
        details.put("recipeRefusals", refusals);
        if (!refusedSnapshot.isEmpty()) {
            Map<String, String> problems = new LinkedHashMap<>();
            new TreeMap<>(refusedSnapshot).forEach((file, r) -> problems.put(file, r.problem()));
            details.put("refusedFiles", problems);
        }
        if (scanError != null) {
            details.put("recipeFolderError", scanError);
        }
    }

    boolean healthy() {
        return refusedSnapshot.isEmpty() && scanError == null;
    }
}
