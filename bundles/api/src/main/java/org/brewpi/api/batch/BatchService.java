package org.brewpi.api.batch;

import java.util.List;
import java.util.Optional;

import org.brewpi.api.security.Principal;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Recipes and batches. Every act checks the actor's right, is appended to the audit trail and committed to the
 * batch store before it returns; signed acts ask for the signer's PIN again and a reason.
 *
 * @throws BatchRefusal for every act refused (see its codes)
 * @throws org.brewpi.api.security.SecurityRefusal from signing: a wrong PIN ({@code bad_credentials}, counting
 *         towards the lockout), {@code locked}, {@code must_change_pin}
 */
@ProviderType
public interface BatchService {

    /** Meaning of the signature that approves a recipe. */
    String APPROVAL_MEANING = "recipe approval";
    /** Meaning of the signature that releases a batch. */
    String RELEASE_MEANING = "batch release";

    List<Recipe> recipes();

    Optional<Recipe> recipe(String id);

    /**
     * QA approves the recipe file's current content ({@link org.brewpi.api.security.Right#APPROVE_RECIPE}, signed
     * {@value #APPROVAL_MEANING} for {@link Recipe#signatureTarget()}).
     *
     * @param sha256 the content the signer has seen; {@code null}: the current one
     */
    Recipe approve(String recipeId, String sha256, Principal who, String pin, String reason);

    /** The newest batches first. */
    List<BatchRecord> batches(int limit);

    Optional<BatchRecord> batch(String lot);

    /**
     * Starts a batch of an APPROVED recipe ({@link org.brewpi.api.security.Right#OPERATE}).
     *
     * @param lot the lot number, or {@code null} for the next of the day ({@code 2026-11-28-01})
     */
    BatchRecord start(String recipeId, String lot, Principal who, String reason);

    /** Hold, resume, abort ({@link org.brewpi.api.security.Right#HOLD_BATCH}, reason required) or complete. */
    BatchRecord act(String lot, BatchAction action, Principal who, String reason);

    /**
     * QA releases a COMPLETE batch ({@link org.brewpi.api.security.Right#RELEASE_BATCH}, signed
     * {@value #RELEASE_MEANING} for {@code batch:<lot>}) after its CCPs are evaluated again. With a CCP not met or
     * without data it is refused unless {@code deviation} says why the lot may go anyway; that text is recorded.
     */
    BatchRecord release(String lot, Principal who, String pin, String reason, String deviation);
}
