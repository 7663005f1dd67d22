-- The maintenance sweep (every 5 s) gives runs that no adapter serves a status message. Its
-- condition matched no index exactly, so the planner scanned the whole runs table: 320-600 ms a
-- sweep at a million runs in the benchmark. This index holds only runs still without the message,
-- usually none: the same sweep then takes well under a millisecond.
CREATE INDEX runs_unserved ON workflow_runs (workflow_engine)
  WHERE awaiting_claim AND adapter_id IS NULL AND lifecycle_status = 'CREATED' AND status_message IS NULL;
