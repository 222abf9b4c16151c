package org.brewpi.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.brewpi.api.batch.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeBookTest {

    @TempDir
    Path dir;

    @Test
    void aBadFileIsRefusedCountedAndShownWhileTheLastGoodVersionStays() throws Exception {
        RecipeBook book = new RecipeBook(dir, () -> 1_000);
        Files.writeString(dir.resolve("ipa.json"), Box.recipe("ipa", 1, Box.BOIL));
        Files.writeString(dir.resolve("notes.txt"), "not a recipe: not looked at");
        book.scan();
        Recipe v1 = book.recipe("ipa").orElseThrow();
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.problem()).isNull();
        assertThat(book.healthy()).isTrue();

        Files.writeString(dir.resolve("ipa.json"), Box.recipe("ipa", 2, Box.BOIL).replace("\"minutes\": 60", "\"minutes\": -5"));
        book.scan();
        book.scan(); // the same bad bytes are not counted twice
        Recipe kept = book.recipe("ipa").orElseThrow();
        assertThat(kept.version()).as("the last good version stays in force").isEqualTo(1);
        assertThat(kept.sha256()).isEqualTo(v1.sha256());
        assertThat(kept.problem()).contains("the file on disk is refused", "minutes must be a whole number");
        assertThat(book.refusals()).isEqualTo(1);
        assertThat(book.healthy()).isFalse();
        Map<String, Object> health = new LinkedHashMap<>();
        book.report(health);
        assertThat(health).containsEntry("recipeFilesRefused", 1).containsEntry("recipeRefusals", 1L);
        assertThat(health.get("refusedFiles").toString()).contains("ipa.json", "minutes must be a whole number");

        Files.writeString(dir.resolve("ipa.json"), Box.recipe("ipa", 2, Box.BOIL));
        book.scan();
        assertThat(book.recipe("ipa").orElseThrow().version()).isEqualTo(2);
        assertThat(book.recipe("ipa").orElseThrow().problem()).isNull();
        assertThat(book.healthy()).isTrue();
        assertThat(book.refusals()).as("refusals since start").isEqualTo(1);

        Files.delete(dir.resolve("ipa.json"));
        book.scan();
        assertThat(book.recipes()).isEmpty();
    }

    @Test
    void aNewFileThatIsBadIsNotARecipeAndAWrongIdIsRefused() throws Exception {
        RecipeBook book = new RecipeBook(dir, () -> 1_000);
        Files.writeString(dir.resolve("stout.json"), "{ broken");
        Files.writeString(dir.resolve("porter.json"), Box.recipe("not-porter", 1, ""));
        book.scan();
        assertThat(book.recipes()).isEmpty();
        assertThat(book.refused()).containsOnlyKeys("stout.json", "porter.json");
        assertThat(book.refused().get("porter.json").problem()).contains("differs from the file name (porter.json)");
        assertThat(book.content("stout")).isEmpty();
    }

    @Test
    void noFolderMeansNoRecipesAndNoError() {
        RecipeBook book = new RecipeBook(dir.resolve("missing"), () -> 1_000);
        book.scan();
        assertThat(book.recipes()).isEmpty();
        assertThat(book.healthy()).isTrue();
    }
}
