package org.brewpi.api.batch;

import java.util.List;

import org.brewpi.api.security.Signature;

/**
 * A recipe as loaded from {@code conf/recipes/<id>.json}.
 *
 * @param sha256 of the file's bytes: what an approval signs
 * @param approval the signature that approved exactly this content, {@code null} for a DRAFT
 * @param zones the zones its steps run on, in order of first use
 * @param problem why the file on disk is refused (this is then the last good version), else {@code null}
 */
public record Recipe(String id, String name, int version, String style, String sha256, String file,
        RecipeStatus status, Signature approval, List<RecipeStep> steps, List<CriticalParameter> criticalParameters,
        List<String> zones, long loadedAt, String problem) {

    public Recipe {
        steps = List.copyOf(steps);
        criticalParameters = List.copyOf(criticalParameters);
        zones = List.copyOf(zones);
    }

    /** What an approval signs: the recipe, its version and the exact content. */
    public String signatureTarget() {
        return "recipe:" + id + "@" + version + "#" + sha256;
    }

    public Recipe withApproval(Signature signature) {
        return new Recipe(id, name, version, style, sha256, file,
                signature == null ? RecipeStatus.DRAFT : RecipeStatus.APPROVED, signature, steps, criticalParameters,
                zones, loadedAt, problem);
    }

    public Recipe withProblem(String text) {
        return new Recipe(id, name, version, style, sha256, file, status, approval, steps, criticalParameters, zones,
                loadedAt, text);
    }
}
