-- V2: the audit trail and the alarm journal of many boxes. {schema} is replaced by the
-- configured schema. Like V1: one table per stream, (site, seq) unique, so a batch re-sent after
-- a crash adds nothing.
--
-- Only site, seq and ts are NOT NULL: the box has already accepted these records, and a central
-- constraint that refused one would stop the stream's sync for good. Free text is TEXT for the
-- same reason (the box's own column limits are the ones that count). Both streams are small
-- (people's actions and alarm transitions), so they are not partitioned.

CREATE TABLE IF NOT EXISTS {schema}.audit (
    site        TEXT        NOT NULL,
    seq         BIGINT      NOT NULL,
    ts          TIMESTAMPTZ NOT NULL,
    actor       TEXT,
    entry_point TEXT,
    action      TEXT,
    target      TEXT,
    old_value   TEXT,
    new_value   TEXT,
    reason      TEXT,
    signature   TEXT,
    prev_hash   TEXT,
    hash        TEXT,
    PRIMARY KEY (site, seq)
);

CREATE INDEX IF NOT EXISTS audit_site_ts ON {schema}.audit (site, ts);
CREATE INDEX IF NOT EXISTS audit_site_target_ts ON {schema}.audit (site, target, ts);

CREATE TABLE IF NOT EXISTS {schema}.alarm_journal (
    site       TEXT        NOT NULL,
    seq        BIGINT      NOT NULL,
    ts         TIMESTAMPTZ NOT NULL,
    alarm      TEXT,
    transition TEXT,
    from_state TEXT,
    to_state   TEXT,
    actor      TEXT,
    reason     TEXT,
    value      TEXT,
    PRIMARY KEY (site, seq)
);

CREATE INDEX IF NOT EXISTS alarm_journal_site_ts ON {schema}.alarm_journal (site, ts);
CREATE INDEX IF NOT EXISTS alarm_journal_site_alarm_ts ON {schema}.alarm_journal (site, alarm, ts);
