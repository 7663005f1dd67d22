-- The W3C trace context of the request that created a run (issue 16): claims hand it to the
-- adapter, whose engine calls and status reports then join the run's trace. NULL when tracing was
-- off. Adding a nullable column without a default rewrites no rows.
ALTER TABLE workflow_runs ADD COLUMN trace_parent text
  CHECK (trace_parent ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');
