-- V3: the batch record of many boxes: every recipe approval and every state change of every batch (lot),
-- who, when, why, with the electronic signature where one was needed, and the CCP evaluation of the
-- completion and the release (detail, JSON). Like V2: (site, seq) unique, only site, seq and ts NOT NULL,
-- free text TEXT; small (people's acts), so not partitioned.

CREATE TABLE IF NOT EXISTS {schema}.batches (
    site           TEXT        NOT NULL,
    seq            BIGINT      NOT NULL,
    ts             TIMESTAMPTZ NOT NULL,
    kind           TEXT,
    subject        TEXT,
    recipe         TEXT,
    recipe_version INTEGER,
    recipe_sha256  TEXT,
    event          TEXT,
    from_state     TEXT,
    to_state       TEXT,
    actor          TEXT,
    printed_name   TEXT,
    role           TEXT,
    entry_point    TEXT,
    reason         TEXT,
    meaning        TEXT,
    signed_ts      BIGINT,
    audit_seq      BIGINT,
    detail         TEXT,
    PRIMARY KEY (site, seq)
);

CREATE INDEX IF NOT EXISTS batches_site_subject_seq ON {schema}.batches (site, kind, subject, seq);
CREATE INDEX IF NOT EXISTS batches_site_ts ON {schema}.batches (site, ts);
