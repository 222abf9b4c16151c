-- V1: every alarm transition, in the order the engine made them (seq), and the sync watermark.
-- "VALUE" is quoted: it is a keyword in H2.

CREATE TABLE IF NOT EXISTS alarm_journal (
    seq        BIGINT        NOT NULL PRIMARY KEY,
    ts         BIGINT        NOT NULL,
    alarm      VARCHAR(128)  NOT NULL,
    transition VARCHAR(32)   NOT NULL,
    from_state VARCHAR(16)   NOT NULL,
    to_state   VARCHAR(16)   NOT NULL,
    actor      VARCHAR(128)  NOT NULL,
    reason     VARCHAR(1024),
    "VALUE"    VARCHAR(256)
);

CREATE INDEX IF NOT EXISTS alarm_journal_ts ON alarm_journal (ts);

-- Every row with seq <= synced_seq is committed in the central database. In the same file as the
-- rows, so a power loss can leave it behind the central database (rows re-sent, ignored there), never ahead.
CREATE TABLE IF NOT EXISTS sync_watermarks (
    stream     VARCHAR(32) NOT NULL PRIMARY KEY,
    synced_seq BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);
