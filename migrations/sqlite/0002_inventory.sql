-- The inventory: groups (environments), hosts, jails, services, tags on each,
-- and roles granted per group. Timestamps are Unix milliseconds, UTC; flags are
-- 0/1 integers (portable to PostgreSQL through sqlx's Any driver).

CREATE TABLE inventory_groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- A role held in one group only ("operator in web-prod"). The user's global
-- role (users.role, NULL for none) applies everywhere on top of these.
CREATE TABLE group_grants (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    group_id   INTEGER NOT NULL REFERENCES inventory_groups(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, group_id)
);
CREATE INDEX group_grants_group ON group_grants(group_id);

-- A host without a group is visible to global roles only.
CREATE TABLE hosts (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    address      TEXT    NOT NULL,
    ssh_port     INTEGER NOT NULL DEFAULT 22 CHECK (ssh_port BETWEEN 1 AND 65535),
    ssh_user     TEXT    NOT NULL DEFAULT 'root',
    group_id     INTEGER REFERENCES inventory_groups(id) ON DELETE RESTRICT,
    notes        TEXT    NOT NULL DEFAULT '',
    -- facts, filled in by discovery
    os_release   TEXT,
    cpus         INTEGER,
    memory_bytes INTEGER,
    zfs_pools    TEXT    NOT NULL DEFAULT '',
    last_seen_at INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
-- Names are unique within a group, so a name taken in another group reveals nothing.
CREATE UNIQUE INDEX hosts_group_name ON hosts(COALESCE(group_id, 0), name);
CREATE INDEX hosts_group ON hosts(group_id, name);
CREATE INDEX hosts_name ON hosts(name);
CREATE INDEX hosts_last_seen ON hosts(last_seen_at);

CREATE TABLE jails (
    id         INTEGER PRIMARY KEY,
    host_id    INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    manager    TEXT    NOT NULL CHECK (manager IN ('ezjail', 'bastille', 'jailconf', 'iocage', 'unmanaged')),
    -- 1: Warden created or adopted it and may act on it; 0: observed only
    managed    INTEGER NOT NULL DEFAULT 1 CHECK (managed IN (0, 1)),
    jid        INTEGER,
    ipv4       TEXT    NOT NULL DEFAULT '',
    ipv6       TEXT    NOT NULL DEFAULT '',
    path       TEXT    NOT NULL DEFAULT '',
    hostname   TEXT    NOT NULL DEFAULT '',
    state      TEXT    NOT NULL DEFAULT 'unknown' CHECK (state IN ('running', 'stopped', 'unknown')),
    template   TEXT,
    notes      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (host_id, name)
);
CREATE INDEX jails_name ON jails(name);
CREATE INDEX jails_state ON jails(state, name);
CREATE INDEX jails_manager ON jails(manager, name);

-- On a host (jail_id NULL) or in a jail of that host.
CREATE TABLE services (
    id         INTEGER PRIMARY KEY,
    host_id    INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    jail_id    INTEGER REFERENCES jails(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    state      TEXT    NOT NULL DEFAULT 'unknown' CHECK (state IN ('running', 'stopped', 'unknown')),
    ports      TEXT    NOT NULL DEFAULT '',
    notes      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX services_place_name ON services(host_id, COALESCE(jail_id, 0), name);
CREATE INDEX services_jail ON services(jail_id);
CREATE INDEX services_name ON services(name);
CREATE INDEX services_state ON services(state, name);

-- Tags, one table per kind so that deleting an object deletes its tags.
CREATE TABLE host_tags (
    host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    tag     TEXT    NOT NULL,
    PRIMARY KEY (host_id, tag)
);
CREATE INDEX host_tags_tag ON host_tags(tag, host_id);
CREATE TABLE jail_tags (
    jail_id INTEGER NOT NULL REFERENCES jails(id) ON DELETE CASCADE,
    tag     TEXT    NOT NULL,
    PRIMARY KEY (jail_id, tag)
);
CREATE INDEX jail_tags_tag ON jail_tags(tag, jail_id);
CREATE TABLE service_tags (
    service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    tag        TEXT    NOT NULL,
    PRIMARY KEY (service_id, tag)
);
CREATE INDEX service_tags_tag ON service_tags(tag, service_id);
