package org.brewpi.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.brewpi.api.batch.CriticalParameter;
import org.brewpi.api.batch.Recipe;
import org.brewpi.api.batch.RecipeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecipeFileTest {

    private static Recipe parse(String id, String json) throws RecipeFile.Invalid {
        return RecipeFile.parse(id, id + ".json", json.getBytes(StandardCharsets.UTF_8), 1_000);
    }

    @Test
    void aGoodRecipeIsReadWithItsStepsZonesCcpsAndHash() throws Exception {
        String json = Box.recipe("ipa", 3, Box.BOIL + "," + Box.FERMENTATION);
        Recipe r = parse("ipa", json);
        assertThat(r.id()).isEqualTo("ipa");
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.status()).isEqualTo(RecipeStatus.DRAFT);
        assertThat(r.zones()).containsExactly("kettle", "fv1");
        assertThat(r.steps().get(1).setpoints()).containsEntry("sv", 18.5).containsEntry("mode", "auto");
        assertThat(r.criticalParameters()).extracting(CriticalParameter::mode)
                .containsExactly(CriticalParameter.HOLD, CriticalParameter.THROUGHOUT);
        assertThat(r.criticalParameters().get(0).minutes()).isEqualTo(60);
        assertThat(r.sha256()).isEqualTo(RecipeFile.sha256(json.getBytes(StandardCharsets.UTF_8))).hasSize(64);
        assertThat(r.signatureTarget()).isEqualTo("recipe:ipa@3#" + r.sha256());
        // one byte more is another content: another hash, so an approval never covers it
        assertThat(parse("ipa", json + " ").sha256()).isNotEqualTo(r.sha256());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON|{\"id\": \"x\",|not valid JSON",
            "an array|[1, 2]|must be a JSON object",
            "id differs from the file|{\"id\":\"other\",\"name\":\"n\",\"version\":1,\"steps\":[]}|differs from the file name",
            "bad id|{\"id\":\"X Y\"}|id 'X Y' must be",
            "no name|{\"id\":\"x\",\"version\":1}|name is required",
            "version 0|{\"id\":\"x\",\"name\":\"n\",\"version\":0}|version must be a whole number from 1",
            "version as text|{\"id\":\"x\",\"name\":\"n\",\"version\":\"2\"}|version must be a whole number",
            "no steps|{\"id\":\"x\",\"name\":\"n\",\"version\":1,\"steps\":[]}|'steps' must be a non-empty array",
            "a typo|{\"id\":\"x\",\"name\":\"n\",\"version\":1,\"stepz\":[]}|'stepz' is not a known field",
            "duplicate key|{\"id\":\"x\",\"id\":\"x\"}|Duplicate field 'id'",
            "step without zone|{\"id\":\"x\",\"name\":\"n\",\"version\":1,\"steps\":[{\"name\":\"s\",\"minutes\":1}]}|steps[0].zone is required",
            "negative minutes|{\"id\":\"x\",\"name\":\"n\",\"version\":1,\"steps\":[{\"zone\":\"k\",\"name\":\"s\",\"minutes\":-1}]}|steps[0].minutes must be a whole number",
            "setpoint object|{\"id\":\"x\",\"name\":\"n\",\"version\":1,\"steps\":[{\"zone\":\"k\",\"name\":\"s\",\"minutes\":1,\"setpoints\":{\"sv\":{}}}]}|setpoints.sv must be",
    })
    void aBadFileIsRefusedWithAMessageThatSaysWhere(String what, String json, String message) {
        assertThatThrownBy(() -> parse("x", json)).as(what).isInstanceOf(RecipeFile.Invalid.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no limit|{\"id\":\"c\",\"zone\":\"kettle\",\"tag\":\"pv\",\"minutes\":5}|needs 'min', 'max' or both",
            "min above max|{\"id\":\"c\",\"zone\":\"kettle\",\"tag\":\"pv\",\"min\":5,\"max\":4}|min 5.0 is above max 4.0",
            "zone of no step|{\"id\":\"c\",\"zone\":\"fv2\",\"tag\":\"pv\",\"min\":5}|zone 'fv2' is not a zone of the recipe's steps",
            "bad mode|{\"id\":\"c\",\"zone\":\"kettle\",\"tag\":\"pv\",\"min\":5,\"mode\":\"often\"}|mode must be 'hold' or 'throughout'",
            "throughout with minutes|{\"id\":\"c\",\"zone\":\"kettle\",\"tag\":\"pv\",\"min\":5,\"minutes\":3,\"mode\":\"throughout\"}|minutes has no meaning",
            "limit as text|{\"id\":\"c\",\"zone\":\"kettle\",\"tag\":\"pv\",\"min\":\"98\"}|min must be a number",
            "typo in a CCP|{\"id\":\"c\",\"zone\":\"kettle\",\"tag\":\"pv\",\"min\":5,\"minuts\":60}|'minuts' is not a known field",
    })
    void aBadCriticalParameterIsRefused(String what, String ccp, String message) {
        assertThatThrownBy(() -> parse("x", Box.recipe("x", 1, ccp))).as(what).isInstanceOf(RecipeFile.Invalid.class)
                .hasMessageContaining("criticalParameters[0]").hasMessageContaining(message);
    }

    @Test
    void twoCcpsWithOneIdAreRefused() {
        assertThatThrownBy(() -> parse("x", Box.recipe("x", 1, Box.BOIL + "," + Box.BOIL)))
                .hasMessageContaining("criticalParameters[1].id 'boil' must be a unique name");
    }

    @Test
    void aFileTooLargeIsRefused() {
        byte[] big = new byte[RecipeFile.MAX_BYTES + 1];
        assertThatThrownBy(() -> RecipeFile.parse("x", "x.json", big, 0)).hasMessageContaining("larger than 64 KiB");
    }
}
