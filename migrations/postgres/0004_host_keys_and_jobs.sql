-- Host-key trust and the durable job queue. Timestamps are Unix milliseconds, UTC.

-- One row per host that has been contacted. The pinned key is the only one
-- Warden's known_hosts files ever contain; the offered key is the last one
-- fetched, waiting for an admin's approval. `changed_at` is set when a
-- connection met a key other than the pinned one: jobs refuse the host until
-- a new key is approved.
CREATE TABLE host_keys (
    host_id             BIGINT PRIMARY KEY REFERENCES hosts(id) ON DELETE CASCADE,
    pinned_type         TEXT,
    pinned_key          TEXT,
    pinned_fingerprint  TEXT,
    approved_by         TEXT,
    approved_at         BIGINT ,
    offered_type        TEXT,
    offered_key         TEXT,
    offered_fingerprint TEXT,
    offered_by          TEXT,
    offered_at          BIGINT ,
    changed_at          BIGINT 
);

-- queued → running → succeeded | failed | cancelled | interrupted.
-- A running job belongs to the worker named in lease_owner until
-- lease_expires_at; the worker renews the lease while it works.
CREATE TABLE jobs (
    id                  BIGSERIAL PRIMARY KEY,
    kind                TEXT    NOT NULL,
    params              TEXT    NOT NULL DEFAULT '{}',
    state               TEXT    NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    summary             TEXT    NOT NULL DEFAULT '',
    created_by_id       BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    created_by          TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    run_after           BIGINT  NOT NULL,
    started_at          BIGINT ,
    finished_at         BIGINT ,
    attempts            BIGINT  NOT NULL DEFAULT 0,
    timeout_ms          BIGINT  NOT NULL,
    lease_owner         TEXT,
    lease_expires_at    BIGINT ,
    cancel_requested_at BIGINT ,
    cancelled_by        TEXT
);
CREATE INDEX jobs_queue ON jobs(state, run_after, id);
CREATE INDEX jobs_lease ON jobs(state, lease_expires_at);
CREATE INDEX jobs_kind ON jobs(kind, id);

-- The hosts a job runs on, each with its own outcome.
CREATE TABLE job_targets (
    job_id               BIGINT  NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    position             BIGINT  NOT NULL,
    host_id              BIGINT  REFERENCES hosts(id) ON DELETE SET NULL,
    host_name            TEXT    NOT NULL,
    group_id             BIGINT ,
    -- 'host:ID' for kinds that change the host: one such job per key at a time
    lock_key             TEXT,
    state                TEXT    NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    message              TEXT    NOT NULL DEFAULT '',
    exit_code            BIGINT ,
    host_key_fingerprint TEXT,
    attempts             BIGINT  NOT NULL DEFAULT 0,
    started_at           BIGINT ,
    finished_at          BIGINT ,
    PRIMARY KEY (job_id, position)
);
CREATE INDEX job_targets_host ON job_targets(host_id, job_id);

-- Held while a job that changes its targets runs.
CREATE TABLE job_locks (
    lock_key TEXT    PRIMARY KEY,
    job_id   BIGINT  NOT NULL REFERENCES jobs(id) ON DELETE CASCADE
);

-- Output lines in order; `seq` lets a browser resume a stream without gaps.
CREATE TABLE job_output (
    job_id   BIGINT  NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    seq      BIGINT  NOT NULL,
    position BIGINT ,
    stream   TEXT    NOT NULL CHECK (stream IN ('out', 'err', 'info')),
    line     TEXT    NOT NULL,
    at       BIGINT  NOT NULL,
    PRIMARY KEY (job_id, seq)
);
