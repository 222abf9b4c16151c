-- V2: the watermark table every stream file has.
CREATE TABLE IF NOT EXISTS sync_watermarks (
    stream     VARCHAR(32) NOT NULL PRIMARY KEY,
    synced_seq BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);
