-- V1: a table, created without IF NOT EXISTS on purpose: running this script twice fails.
CREATE TABLE things (
    seq   BIGINT       NOT NULL PRIMARY KEY,
    ts    BIGINT       NOT NULL,
    name  VARCHAR(32)  NOT NULL,
    "VALUE" VARCHAR(32),
    ratio REAL,
    small SMALLINT
);
