-- V2: the sync service's watermark: every entry with seq <= synced_seq is committed in the central
-- database. In the same file as the entries, so a power loss can leave it behind the central database
-- (entries re-sent, ignored there), never ahead.

CREATE TABLE IF NOT EXISTS sync_watermarks (
    stream     VARCHAR(32) NOT NULL PRIMARY KEY,
    synced_seq BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);
