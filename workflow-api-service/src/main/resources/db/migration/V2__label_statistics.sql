-- The planner estimates `labels @> '{"k":"v"}'` from a sample of whole label documents. With the
-- default sample a common label (2% of a million runs) was estimated at 0.01%, so the planner
-- fetched every match through the GIN index and sorted them (164 ms); with a larger sample the
-- estimate is right and it combines the label and status indexes (66 ms). See docs/performance-notes.md.
ALTER TABLE workflow_runs ALTER COLUMN labels SET STATISTICS 1000;
ALTER TABLE workflows ALTER COLUMN labels SET STATISTICS 1000;
