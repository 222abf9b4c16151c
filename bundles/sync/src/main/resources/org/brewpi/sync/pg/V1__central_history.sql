-- V1: the central history of many boxes. {schema} is replaced by the configured schema.
--
-- One table per stream; each row carries the box's site and the box's local seq of that
-- stream, and (site, seq) is unique, so a batch re-sent after a crash adds nothing.
-- Samples are range-partitioned by month on ts, so years of many sites stay fast to query and
-- old months can be detached or dropped whole. PostgreSQL requires a unique key on a
-- partitioned table to include the partition column: the samples key is (site, seq, ts), which
-- is as unique as (site, seq) because a sample's ts never changes when it is re-sent.
-- Partitions are created by the sync service, ahead of the months it ships.

CREATE TABLE IF NOT EXISTS {schema}.samples (
    site       TEXT             NOT NULL,
    seq        BIGINT           NOT NULL,
    zone       TEXT             NOT NULL,
    tag        TEXT             NOT NULL,
    ts         TIMESTAMPTZ      NOT NULL,
    plc_ts     BIGINT           NOT NULL,
    num_value  DOUBLE PRECISION,
    text_value TEXT,
    quality    SMALLINT         NOT NULL,
    PRIMARY KEY (site, seq, ts)
) PARTITION BY RANGE (ts);

-- The usual question: one tag of one site over a time span.
CREATE INDEX IF NOT EXISTS samples_site_tag_ts ON {schema}.samples (site, zone, tag, ts);

CREATE TABLE IF NOT EXISTS {schema}.events (
    site    TEXT        NOT NULL,
    seq     BIGINT      NOT NULL,
    zone    TEXT        NOT NULL,
    ts      TIMESTAMPTZ NOT NULL,
    plc_ts  BIGINT      NOT NULL,
    boot    BIGINT      NOT NULL,
    plc_seq BIGINT      NOT NULL,
    kind    TEXT        NOT NULL,
    code    TEXT        NOT NULL,
    active  BOOLEAN     NOT NULL,
    message TEXT,
    PRIMARY KEY (site, seq)
);

CREATE INDEX IF NOT EXISTS events_site_ts ON {schema}.events (site, ts);

CREATE TABLE IF NOT EXISTS {schema}.zone_states (
    site   TEXT        NOT NULL,
    seq    BIGINT      NOT NULL,
    zone   TEXT        NOT NULL,
    ts     TIMESTAMPTZ NOT NULL,
    state  TEXT        NOT NULL,
    reason TEXT,
    PRIMARY KEY (site, seq)
);

CREATE INDEX IF NOT EXISTS zone_states_site_ts ON {schema}.zone_states (site, ts);
