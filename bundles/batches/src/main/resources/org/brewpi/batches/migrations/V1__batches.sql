-- V1: the batch record. "batches" is append-only (every approval and every state change of every batch, who,
-- when, why, with the signature where one was needed) and is the sync stream of the same name; recipe_approvals
-- and lots are its current state, written in the same transaction.

CREATE TABLE IF NOT EXISTS batches (
    seq            BIGINT        NOT NULL PRIMARY KEY,
    ts             BIGINT        NOT NULL,
    kind           VARCHAR(8)    NOT NULL,
    subject        VARCHAR(64)   NOT NULL,
    recipe         VARCHAR(64)   NOT NULL,
    recipe_version INT           NOT NULL,
    recipe_sha256  VARCHAR(64)   NOT NULL,
    event          VARCHAR(16)   NOT NULL,
    from_state     VARCHAR(16),
    to_state       VARCHAR(16)   NOT NULL,
    actor          VARCHAR(128)  NOT NULL,
    printed_name   VARCHAR(128),
    role           VARCHAR(16),
    entry_point    VARCHAR(16),
    reason         VARCHAR(1024),
    meaning        VARCHAR(128),
    signed_ts      BIGINT,
    audit_seq      BIGINT,
    detail         VARCHAR(100000)
);

CREATE INDEX IF NOT EXISTS batches_subject ON batches (kind, subject, seq);

-- An approval is of one exact content (sha256 of the file): a changed file has no row here, so it is a draft.
CREATE TABLE IF NOT EXISTS recipe_approvals (
    recipe      VARCHAR(64) NOT NULL,
    sha256      VARCHAR(64) NOT NULL,
    journal_seq BIGINT      NOT NULL,
    PRIMARY KEY (recipe, sha256)
);

-- A lot's current state. recipe_content: the recipe file exactly as approved and started; the batch does not follow later edits.
CREATE TABLE IF NOT EXISTS lots (
    lot            VARCHAR(40)  NOT NULL PRIMARY KEY,
    recipe         VARCHAR(64)  NOT NULL,
    recipe_content CHARACTER LARGE OBJECT NOT NULL,
    approval_seq   BIGINT       NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    started_at     BIGINT       NOT NULL,
    ended_at       BIGINT       NOT NULL,
    zones          VARCHAR(512) NOT NULL
);

CREATE INDEX IF NOT EXISTS lots_started ON lots (started_at);

-- Every batches row with seq <= synced_seq is committed in the central database (same file as the rows).
CREATE TABLE IF NOT EXISTS sync_watermarks (
    stream     VARCHAR(32) NOT NULL PRIMARY KEY,
    synced_seq BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);
