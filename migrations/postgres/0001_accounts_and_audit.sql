-- Accounts, login sessions, first-start setup, failed-login throttling and the audit log.
-- Timestamps are Unix milliseconds, UTC. Flags are nullable timestamps (portable to SQLite).

CREATE TABLE users (
    id                  BIGSERIAL PRIMARY KEY,
    username            TEXT   NOT NULL UNIQUE,
    password_hash       TEXT   NOT NULL,
    -- the global role; NULL: roles in groups only (see group_grants)
    role                TEXT   CHECK (role IN ('admin', 'operator', 'viewer', 'auditor')),
    disabled_at         BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    last_login_at       BIGINT,
    password_changed_at BIGINT NOT NULL
);

CREATE TABLE user_sessions (
    key_hash     TEXT   PRIMARY KEY,
    handle       TEXT   NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ip           TEXT   NOT NULL,
    user_agent   TEXT   NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions(user_id);

CREATE TABLE setup_tokens (
    token_hash TEXT   PRIMARY KEY,
    expires_at BIGINT NOT NULL
);

CREATE TABLE login_failures (
    id       BIGSERIAL PRIMARY KEY,
    username TEXT   NOT NULL,
    ip       TEXT   NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);
CREATE INDEX login_failures_ip ON login_failures(ip, at);

CREATE TABLE audit_log (
    id        BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor_id  BIGINT,
    actor     TEXT   NOT NULL,
    action    TEXT   NOT NULL,
    target    TEXT   NOT NULL,
    outcome   TEXT   NOT NULL,
    ip        TEXT   NOT NULL,
    details   TEXT   NOT NULL,
    prev_hash TEXT   NOT NULL,
    hash      TEXT   NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
