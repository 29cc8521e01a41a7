-- Matrix: the session wirewatch keeps per bot account. A password login
-- stores the device it created and its token, so that restarts reuse them
-- (homeservers deduplicate transaction ids per device); next_batch is the
-- sync position, so a restart neither misses nor re-reads events;
-- txn_prefix starts every transaction id, so that a new database reusing
-- an access token cannot collide with the outbox ids of an old one.
CREATE TABLE matrix_sessions (
	user_id      TEXT PRIMARY KEY,
	device_id    TEXT NOT NULL DEFAULT '',
	access_token TEXT NOT NULL DEFAULT '',
	next_batch   TEXT NOT NULL DEFAULT '',
	txn_prefix   TEXT NOT NULL,
	created      BIGINT NOT NULL,
	updated      BIGINT NOT NULL
);
