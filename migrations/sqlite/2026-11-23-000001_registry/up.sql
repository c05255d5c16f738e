-- Portable core schema: ids and timestamps are made by the application,
-- documents are JSON text, enums are TEXT with a CHECK constraint.
-- Timestamps are RFC 3339 UTC with microseconds, so text order is time order.

CREATE TABLE tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('provider', 'deployer', 'authority', 'auditor', 'admin')),
    org         TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- Systems and deployments share one table: the same versioning, ETags,
-- audit chain, search and export serve both.
CREATE TABLE records (
    id                 TEXT PRIMARY KEY NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('system', 'deployment')),
    -- The audit sequence number of the record's creation: a stable integer
    -- key in registration order, for full-text rowids and cursors.
    row_key            BIGINT NOT NULL UNIQUE,
    owner_org          TEXT NOT NULL,
    registration_type  TEXT NOT NULL CHECK (registration_type IN ('annex_viii_a', 'annex_viii_b', 'annex_viii_c', 'national_use')),
    name               TEXT NOT NULL,
    -- What makes a registration a duplicate: SHA-256 of trade name and
    -- reference for a system; the record's own id for a deployment.
    unique_key         TEXT NOT NULL,
    status             TEXT CHECK (status IN ('on_market', 'in_service', 'no_longer_on_market', 'no_longer_in_service', 'recalled')),
    system_id          TEXT REFERENCES records (id),
    version            BIGINT NOT NULL CHECK (version >= 1),
    document           TEXT NOT NULL,
    classification     TEXT NOT NULL,
    outcome            TEXT NOT NULL CHECK (outcome IN ('prohibited', 'high_risk', 'not_high_risk', 'transparency_only', 'out_of_scope')),
    section            TEXT NOT NULL CHECK (section IN ('public', 'non_public', 'national')),
    rules_version      TEXT NOT NULL,
    -- The facet values (JSON object of code lists) the overview counts.
    facets             TEXT NOT NULL,
    search_text        TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (kind, owner_org, unique_key)
);
CREATE INDEX records_system_id ON records (system_id);

CREATE TABLE record_versions (
    record_id        TEXT NOT NULL REFERENCES records (id),
    version          BIGINT NOT NULL,
    action           TEXT NOT NULL CHECK (action IN ('create', 'update', 'status')),
    reason           TEXT,
    actor_org        TEXT NOT NULL,
    document         TEXT NOT NULL,
    document_sha256  TEXT NOT NULL,
    classification   TEXT NOT NULL,
    rules_version    TEXT NOT NULL,
    -- The section of this version: an old non-public version stays hidden
    -- after the record has become public.
    section          TEXT NOT NULL CHECK (section IN ('public', 'non_public', 'national')),
    recorded_at      TEXT NOT NULL,
    PRIMARY KEY (record_id, version)
);

CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY NOT NULL,
    at           TEXT NOT NULL,
    actor_org    TEXT NOT NULL,
    role         TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    version      BIGINT NOT NULL,
    body_sha256  TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);

-- One row that every writer locks before it appends to the audit chain
-- (SELECT ... FOR UPDATE on PostgreSQL; SQLite has a single writer), so two
-- transactions never chain to the same predecessor. A lock, not a counter:
-- updating one row in every write would leave a long chain of dead row
-- versions behind in a bulk transaction.
CREATE TABLE audit_lock (
    id  INTEGER PRIMARY KEY NOT NULL CHECK (id = 1)
);
INSERT INTO audit_lock (id) VALUES (1);
