-- Enums are text with CHECK constraints, so adding a value is a one-line migration (no enum drift).

CREATE TABLE workflows (
  id                uuid PRIMARY KEY,
  title             text        NOT NULL,
  workflow_engine   text        NOT NULL,
  description       text,
  archived          boolean     NOT NULL DEFAULT false,
  current_increment integer     NOT NULL,
  labels            jsonb       NOT NULL,  -- copy of the current revision's labels, for selectors
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  version           bigint      NOT NULL
);
-- A title is unique among active workflows; archiving frees it.
CREATE UNIQUE INDEX workflows_active_title ON workflows (title) WHERE NOT archived;
CREATE INDEX workflows_created ON workflows (created_at, id);
CREATE INDEX workflows_updated ON workflows (updated_at, id);
CREATE INDEX workflows_title ON workflows (title, id);
CREATE INDEX workflows_engine ON workflows (workflow_engine, created_at, id);
CREATE INDEX workflows_labels ON workflows USING gin (labels);

CREATE TABLE workflow_revisions (
  workflow_id              uuid        NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
  increment                integer     NOT NULL,
  definition               text        NOT NULL,
  parameters_schema        jsonb       NOT NULL,
  labels                   jsonb       NOT NULL,
  spec_hash                text        NOT NULL,
  created_at               timestamptz NOT NULL,
  validation_status        text        NOT NULL CHECK (validation_status IN ('PENDING', 'VALID', 'INVALID')),
  validation_messages      jsonb       NOT NULL DEFAULT '[]',
  validated_at             timestamptz,
  validated_by             text,
  tasks                    jsonb       NOT NULL DEFAULT '[]',
  engine_ref               text,
  validation_claimed_by    text,
  validation_claimed_until timestamptz,
  PRIMARY KEY (workflow_id, increment)
);
CREATE INDEX revisions_pending ON workflow_revisions (created_at) WHERE validation_status = 'PENDING';

CREATE TABLE workflow_runs (
  id                 uuid        PRIMARY KEY,
  workflow_id        uuid        NOT NULL,
  revision_increment integer     NOT NULL,
  workflow_title     text        NOT NULL,
  workflow_engine    text        NOT NULL,
  labels             jsonb       NOT NULL,
  parameters         jsonb       NOT NULL,
  lifecycle_status   text        NOT NULL CHECK (lifecycle_status IN
                       ('CREATED', 'PENDING', 'SCHEDULED', 'RUNNING', 'COMPLETED', 'ERROR', 'CANCELED')),
  requested_action   text        CHECK (requested_action IN ('CANCEL', 'RETRY')),
  action_request     jsonb,
  status_message     text,
  attempt            integer     NOT NULL,
  external_id        text,
  adapter_id         text,
  lease_token        uuid,
  awaiting_claim     boolean     NOT NULL,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  started_at         timestamptz,
  finished_at        timestamptz,
  task_run_counts    jsonb       NOT NULL DEFAULT '{}',
  version            bigint      NOT NULL,
  FOREIGN KEY (workflow_id, revision_increment) REFERENCES workflow_revisions (workflow_id, increment)
);
CREATE INDEX runs_created ON workflow_runs (created_at, id);
CREATE INDEX runs_updated ON workflow_runs (updated_at, id);
CREATE INDEX runs_labels ON workflow_runs USING gin (labels);
CREATE INDEX runs_workflow ON workflow_runs (workflow_id, created_at, id);
CREATE INDEX runs_title ON workflow_runs (workflow_title, created_at, id);
CREATE INDEX runs_status ON workflow_runs (lifecycle_status, created_at, id);
CREATE INDEX runs_engine ON workflow_runs (workflow_engine, created_at, id);
CREATE INDEX runs_adapter ON workflow_runs (adapter_id, created_at, id) WHERE adapter_id IS NOT NULL;
-- Small partial index: the claim query scans only runs that wait for an adapter.
CREATE INDEX runs_awaiting_claim ON workflow_runs (workflow_engine, created_at) WHERE awaiting_claim;
CREATE INDEX runs_settled ON workflow_runs (finished_at) WHERE lifecycle_status IN ('COMPLETED', 'ERROR', 'CANCELED');

CREATE TABLE task_runs (
  id               uuid        PRIMARY KEY,
  workflow_run_id  uuid        NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
  task_title       text        NOT NULL,
  lifecycle_status text        NOT NULL CHECK (lifecycle_status IN
                     ('CREATED', 'PENDING', 'SCHEDULED', 'RUNNING', 'COMPLETED', 'ERROR', 'SKIPPED',
                      'UPSTREAM_FAILED', 'CANCELED')),
  attempt          integer     NOT NULL,
  external_id      text,
  status_message   text,
  started_at       timestamptz,
  finished_at      timestamptz,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  UNIQUE (workflow_run_id, task_title)
);
CREATE INDEX task_runs_run ON task_runs (workflow_run_id, created_at, id);

-- seq comes from this sequence under a transaction-level advisory lock, so sequence numbers
-- become visible in commit order and a reader resuming after seq N never misses an event.
CREATE SEQUENCE event_seq;
CREATE TABLE events (
  seq             bigint      PRIMARY KEY,
  type            text        NOT NULL,
  object_type     text        NOT NULL CHECK (object_type IN ('workflow', 'workflow_run', 'task_run', 'adapter')),
  object_id       text        NOT NULL,
  workflow_run_id uuid,
  from_state      text,
  to_state        text,
  data            jsonb       NOT NULL,
  actor           text,
  created_at      timestamptz NOT NULL
);
CREATE INDEX events_run ON events (workflow_run_id, seq) WHERE workflow_run_id IS NOT NULL;
CREATE INDEX events_object ON events (object_type, seq);
CREATE INDEX events_created ON events (created_at);

CREATE TABLE adapters (
  id              text        PRIMARY KEY,
  workflow_engine text        NOT NULL,
  label_selector  text        NOT NULL,
  capabilities    jsonb       NOT NULL,
  endpoint_url    text,
  version         text,
  lease_seconds   integer     NOT NULL,
  registered_at   timestamptz NOT NULL,
  last_seen_at    timestamptz NOT NULL,
  status          text        NOT NULL CHECK (status IN ('ACTIVE', 'LOST'))
);

CREATE TABLE idempotency_keys (
  scope         text        NOT NULL,
  key           text        NOT NULL,
  request_hash  text        NOT NULL,
  resource_id   uuid,
  status_code   integer,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_created ON idempotency_keys (created_at);

CREATE TABLE audit_log (
  id          bigserial   PRIMARY KEY,
  actor       text        NOT NULL,
  action      text        NOT NULL,
  object_type text        NOT NULL,
  object_id   text        NOT NULL,
  before      jsonb,
  after       jsonb,
  reason      text,
  created_at  timestamptz NOT NULL
);
CREATE INDEX audit_created ON audit_log (created_at, id);
