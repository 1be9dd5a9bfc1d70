-- Optimistic lock of a job row: every write checks the version it read, so a writer holding a stale copy
-- (a cancel committed meanwhile) fails and retries from fresh state instead of overwriting the newer status.
ALTER TABLE job ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
