package org.brewpi.hmi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The static files as shipped: every reference resolves inside the bundle, nothing comes from the
 * internet, and nothing inline that the Content-Security-Policy would block.
 */
class WebFilesTest {

    private static final Path WEB = Path.of("src/main/resources" + HmiRoutes.BUNDLE_FOLDER);
    private static final Pattern IMPORT = Pattern.compile("^import\\s.*?from\\s+'([^']+)';", Pattern.MULTILINE);
    private static final Pattern HTML_REF = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static List<Path> webFiles() throws IOException {
        try (Stream<Path> files = Files.walk(WEB)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void theIndexPageLoadsOnlyFilesOfThisBundle() throws IOException {
        String index = read(WEB.resolve("index.html"));
        Matcher m = HTML_REF.matcher(index);
        List<String> refs = new ArrayList<>();
        while (m.find()) {
            refs.add(m.group(1));
        }
        assertThat(refs).contains("hmi.css", "js/main.js");
        for (String ref : refs) {
            if (ref.startsWith("data:")) {
                continue;
            }
            assertThat(WEB.resolve(ref)).as("referenced by index.html").isRegularFile();
        }
        assertThat(index).as("inline script would be blocked by the CSP").doesNotContainPattern("<script(?![^>]*src=)");
        assertThat(index).doesNotContain("style=\"", "onclick", "onload");
    }

    @Test
    void everyModuleImportResolves() throws IOException {
        int imports = 0;
        for (Path file : webFiles()) {
            if (!file.toString().endsWith(".js")) {
                continue;
            }
            Matcher m = IMPORT.matcher(read(file));
            while (m.find()) {
                imports++;
                assertThat(m.group(1)).as("relative import in %s", file).startsWith("./");
                assertThat(file.getParent().resolve(m.group(1)).normalize()).as("import in %s", file).isRegularFile();
            }
        }
        assertThat(imports).isGreaterThan(5);
    }

    @Test
    void nothingIsFetchedFromTheInternet() throws IOException {
        for (Path file : webFiles()) {
            assertThat(read(file)).as(file.toString()).doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/");
        }
    }
}
