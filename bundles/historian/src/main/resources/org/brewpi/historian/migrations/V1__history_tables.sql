-- V1: the local history of the plant.
--
-- Every record table is a stream: its seq rises in commit order (one writer thread commits all
-- of them), so a sync service can ship rows in order by (stream, seq) and keep one watermark per
-- stream. ts is the SCADA's arrival time, UTC epoch ms; plc_ts is the PLC's own clock.
-- Statements are idempotent (IF NOT EXISTS) because H2 commits DDL one statement at a time: a
-- migration cut short by a power loss simply runs again.

CREATE TABLE IF NOT EXISTS qualities (
    code SMALLINT   NOT NULL PRIMARY KEY,
    name VARCHAR(8) NOT NULL
);

-- Higher code = worse, so MAX(quality) is a bucket's worst quality.
MERGE INTO qualities (code, name) KEY (code) VALUES (0, 'GOOD'), (1, 'BAD'), (2, 'STALE'), (3, 'OFFLINE');

-- One row per tag change (value or quality).
-- Values: analog -> num_value; bool -> num_value 0/1 and text_value 'true'/'false';
-- enum/string -> text_value; no good value -> both NULL.
CREATE TABLE IF NOT EXISTS samples (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zone       VARCHAR(64)   NOT NULL,
    tag        VARCHAR(128)  NOT NULL,
    ts         BIGINT        NOT NULL,
    plc_ts     BIGINT        NOT NULL,
    num_value  DOUBLE PRECISION,
    text_value VARCHAR(4096),
    quality    SMALLINT      NOT NULL
);

-- Covers the history query: a tag's samples are aggregated from the index alone.
CREATE INDEX IF NOT EXISTS samples_zone_tag_ts ON samples (zone, tag, ts, num_value, quality);

-- Per-minute summary of samples, so a month of one tag is read from 43,200 rows instead of
-- 2.6 million. Derived data, not a stream: the writer folds in the samples with seq up to
-- rollup_state.last_seq, in the same transaction that moves that watermark.
CREATE TABLE IF NOT EXISTS samples_1m (
    zone     VARCHAR(64)  NOT NULL,
    tag      VARCHAR(128) NOT NULL,
    ts       BIGINT       NOT NULL, -- the minute's start, UTC epoch ms
    n        INT          NOT NULL, -- samples
    n_num    INT          NOT NULL, -- samples with a num_value (the average's divisor)
    lo       DOUBLE PRECISION,
    hi       DOUBLE PRECISION,
    total    DOUBLE PRECISION,
    worst    SMALLINT     NOT NULL,
    last_seq BIGINT       NOT NULL, -- the minute's last sample
    PRIMARY KEY (zone, tag, ts)
);

CREATE TABLE IF NOT EXISTS rollup_state (
    id       INT    NOT NULL PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

INSERT INTO rollup_state (id, last_seq) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM rollup_state);

-- One row per event a PLC reported.
CREATE TABLE IF NOT EXISTS events (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zone    VARCHAR(64)   NOT NULL,
    ts      BIGINT        NOT NULL,
    plc_ts  BIGINT        NOT NULL,
    boot    BIGINT        NOT NULL,
    plc_seq BIGINT        NOT NULL,
    kind    VARCHAR(32)   NOT NULL,
    code    VARCHAR(64)   NOT NULL,
    active  BOOLEAN       NOT NULL,
    message VARCHAR(4096)
);

CREATE INDEX IF NOT EXISTS events_zone_ts ON events (zone, ts);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);

-- One row per zone state transition (online, failsafe, offline), not per counter update.
CREATE TABLE IF NOT EXISTS zone_states (
    seq    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zone   VARCHAR(64)   NOT NULL,
    ts     BIGINT        NOT NULL,
    state  VARCHAR(16)   NOT NULL,
    reason VARCHAR(256)
);

CREATE INDEX IF NOT EXISTS zone_states_zone_ts ON zone_states (zone, ts);
