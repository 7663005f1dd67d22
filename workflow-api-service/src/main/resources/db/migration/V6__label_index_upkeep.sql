-- Label selectors at a million runs (benchmark, issue 6).
--
-- GIN indexes collect new entries in an unsorted pending list (up to 4 MB by default) that
-- every search reads in full. After a burst of run creations a label + status list took 8-20 ms
-- instead of 2 ms, until autovacuum merged the list. A 128 kB list bounds that work; the
-- pgbench single-row insert floor measured the same with it (9,111/s against 8,697/s), while
-- switching the list off (fastupdate = off) cost inserts 19%.
ALTER INDEX runs_labels SET (gin_pending_list_limit = 128);
ALTER INDEX runs_labels_containment SET (gin_pending_list_limit = 128);

-- Lists of runs that are still under way (a label and CREATED, PENDING, SCHEDULED or RUNNING)
-- are the common question of a running site, and those runs are a small part of the history.
-- This index holds only them: a label on 2% of the runs and RUNNING took 7-12 ms through the
-- whole-table indexes and 1.7 ms with it, a label on 0.1% 2-3 ms and 0.06 ms.
CREATE INDEX runs_active_labels ON workflow_runs USING gin (labels jsonb_path_ops)
  WITH (gin_pending_list_limit = 128)
  WHERE lifecycle_status IN ('CREATED', 'PENDING', 'SCHEDULED', 'RUNNING');
