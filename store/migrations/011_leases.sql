-- Leases, for several replicas on one PostgreSQL (SQLite has one process:
-- the tables are there, unused). A feed is polled by the replica whose
-- lease on it runs (lease_holder until lease_until, Unix ms); a lease
-- names a duty one replica has at a time (the leader: digests, the Matrix
-- sync, pruning, the ops channel).
ALTER TABLE feeds ADD COLUMN lease_holder TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
CREATE TABLE leases (
	name   TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	until  BIGINT NOT NULL
);
