-- The write-back queue (docs/writeback.md), for SQLite; PostgreSQL gets the
-- same with BIGSERIAL keys (store.rs). Times are UNIX milliseconds.
CREATE TABLE wb_jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    lsid         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,          -- session | customer_survey | rep_survey
    external_key TEXT    NOT NULL,          -- the ticket
    event        TEXT    NOT NULL,          -- the outbound event (or 'poll') that queued it
    state        TEXT    NOT NULL,          -- pending | running | done | failed
    attempts     BIGINT  NOT NULL DEFAULT 0,
    received_at  BIGINT  NOT NULL,
    retry_from   BIGINT  NOT NULL,          -- retries stop BT_WRITEBACK_RETRY_HOURS after this
    not_before   BIGINT  NOT NULL,          -- due time of the next attempt
    lease_owner  TEXT,                      -- the broker instance working on it
    lease_until  BIGINT,
    last_error   TEXT,
    updated_at   BIGINT  NOT NULL,
    UNIQUE (lsid, kind)
);
CREATE INDEX wb_jobs_due ON wb_jobs (state, not_before);

CREATE TABLE wb_deliveries (
    job_id     BIGINT NOT NULL REFERENCES wb_jobs (id) ON DELETE CASCADE,
    sink       TEXT   NOT NULL,             -- zendesk | autotask | webhook
    state      TEXT   NOT NULL,             -- attempting | done | failed
    attempts   BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (job_id, sink)
);

CREATE TABLE wb_marks (
    name  TEXT PRIMARY KEY,                 -- e.g. poll_cursor
    value BIGINT NOT NULL
);
