package org.brewpi.api.batch;

/** A recipe file is a DRAFT until QA signs its exact content; a changed file is a DRAFT again. */
public enum RecipeStatus {
    DRAFT, APPROVED
}
