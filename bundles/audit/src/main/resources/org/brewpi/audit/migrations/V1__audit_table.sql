-- V1: the hash-chained audit trail. IF NOT EXISTS: files written before migrations existed already
-- hold exactly this table and are adopted as version 1.

CREATE TABLE IF NOT EXISTS audit (
    seq         BIGINT        PRIMARY KEY,
    ts          BIGINT        NOT NULL,
    actor       VARCHAR(128)  NOT NULL,
    entry_point VARCHAR(16)   NOT NULL,
    action      VARCHAR(64)   NOT NULL,
    target      VARCHAR(256),
    old_value   VARCHAR(1024),
    new_value   VARCHAR(1024),
    reason      VARCHAR(1024),
    signature   VARCHAR(256),
    prev_hash   CHAR(64)      NOT NULL,
    hash        CHAR(64)      NOT NULL
);

CREATE INDEX IF NOT EXISTS audit_ts ON audit (ts);
