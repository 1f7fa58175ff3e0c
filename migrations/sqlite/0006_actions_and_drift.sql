-- Actions and discovery. Timestamps are Unix milliseconds, UTC.

-- What a job does in words ("Restart jail web1"), and for actions the plan
-- shown before it ran (JSON: host, user, commands, checks, changes), kept
-- with the job as the audit record keeps it.
ALTER TABLE jobs ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN plan TEXT;

-- The ZFS dataset of a jail.conf jail Warden created (its root, cloned from
-- a release template); NULL for every other jail. Destroy removes only this.
ALTER TABLE jails ADD COLUMN dataset TEXT;

-- When a discovery last read the host.
ALTER TABLE hosts ADD COLUMN discovered_at INTEGER;

-- Differences the last discovery of a host found between the inventory and
-- what the host reports. Replaced by each discovery of that host.
CREATE TABLE host_drift (
    id       INTEGER PRIMARY KEY,
    host_id  INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    job_id   INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    -- 'jail' or 'service'
    subject  TEXT    NOT NULL CHECK (subject IN ('jail', 'service')),
    -- the jail's name, or 'JAIL/SERVICE' ('/SERVICE' on the host), as reported
    name     TEXT    NOT NULL,
    change   TEXT    NOT NULL CHECK (change IN ('new', 'gone', 'changed')),
    detail   TEXT    NOT NULL,
    found_at INTEGER NOT NULL
);
CREATE INDEX host_drift_host ON host_drift(host_id, id);
