-- Host-key trust and the durable job queue. Timestamps are Unix milliseconds, UTC.

-- One row per host that has been contacted. The pinned key is the only one
-- Warden's known_hosts files ever contain; the offered key is the last one
-- fetched, waiting for an admin's approval. `changed_at` is set when a
-- connection met a key other than the pinned one: jobs refuse the host until
-- a new key is approved.
CREATE TABLE host_keys (
    host_id             INTEGER PRIMARY KEY REFERENCES hosts(id) ON DELETE CASCADE,
    pinned_type         TEXT,
    pinned_key          TEXT,
    pinned_fingerprint  TEXT,
    approved_by         TEXT,
    approved_at         INTEGER,
    offered_type        TEXT,
    offered_key         TEXT,
    offered_fingerprint TEXT,
    offered_by          TEXT,
    offered_at          INTEGER,
    changed_at          INTEGER
);

-- queued → running → succeeded | failed | cancelled | interrupted.
-- A running job belongs to the worker named in lease_owner until
-- lease_expires_at; the worker renews the lease while it works.
CREATE TABLE jobs (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT    NOT NULL,
    params              TEXT    NOT NULL DEFAULT '{}',
    state               TEXT    NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    summary             TEXT    NOT NULL DEFAULT '',
    created_by_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_by          TEXT    NOT NULL,
    created_at          INTEGER NOT NULL,
    run_after           INTEGER NOT NULL,
    started_at          INTEGER,
    finished_at         INTEGER,
    attempts            INTEGER NOT NULL DEFAULT 0,
    timeout_ms          INTEGER NOT NULL,
    lease_owner         TEXT,
    lease_expires_at    INTEGER,
    cancel_requested_at INTEGER,
    cancelled_by        TEXT
);
CREATE INDEX jobs_queue ON jobs(state, run_after, id);
CREATE INDEX jobs_lease ON jobs(state, lease_expires_at);
CREATE INDEX jobs_kind ON jobs(kind, id);

-- The hosts a job runs on, each with its own outcome.
CREATE TABLE job_targets (
    job_id               INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    position             INTEGER NOT NULL,
    host_id              INTEGER REFERENCES hosts(id) ON DELETE SET NULL,
    host_name            TEXT    NOT NULL,
    group_id             INTEGER,
    -- 'host:ID' for kinds that change the host: one such job per key at a time
    lock_key             TEXT,
    state                TEXT    NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    message              TEXT    NOT NULL DEFAULT '',
    exit_code            INTEGER,
    host_key_fingerprint TEXT,
    attempts             INTEGER NOT NULL DEFAULT 0,
    started_at           INTEGER,
    finished_at          INTEGER,
    PRIMARY KEY (job_id, position)
);
CREATE INDEX job_targets_host ON job_targets(host_id, job_id);

-- Held while a job that changes its targets runs.
CREATE TABLE job_locks (
    lock_key TEXT    PRIMARY KEY,
    job_id   INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE
);

-- Output lines in order; `seq` lets a browser resume a stream without gaps.
CREATE TABLE job_output (
    job_id   INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    position INTEGER,
    stream   TEXT    NOT NULL CHECK (stream IN ('out', 'err', 'info')),
    line     TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
