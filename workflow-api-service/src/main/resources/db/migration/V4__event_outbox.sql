-- Writers no longer number their events (ADR 0021). They insert them here, in their own
-- transaction; after the commit EventSequencer moves them to `events` and gives them their `seq`
-- in short transactions that take the sequence lock one at a time. Writers so commit in
-- parallel (PostgreSQL flushes their commits together) instead of one after the other under the
-- lock, and a reader that saw seq N has still seen everything below N.
CREATE TABLE pending_events (
  id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
