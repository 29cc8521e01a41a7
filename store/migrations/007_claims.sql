-- A delivery is claimed by the process sending it (claimed_by: host, pid and
-- a random part) until claimed_until (Unix ms), so that two processes on one
-- database (once beside run) never send it both.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
