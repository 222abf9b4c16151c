-- V2: one watermark per stream for the sync service: every row with seq <= synced_seq is
-- committed in the central database. Kept in the same file as the rows, so a power loss can
-- only leave it behind the central database (rows re-sent and ignored there), never ahead.

CREATE TABLE IF NOT EXISTS sync_watermarks (
    stream     VARCHAR(32) NOT NULL PRIMARY KEY,
    synced_seq BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);
