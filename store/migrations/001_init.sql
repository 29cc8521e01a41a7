-- wirewatch schema, version 1. Written for SQLite and PostgreSQL alike:
-- a line ending in "-- only: sqlite" or "-- only: postgres" is kept for that dialect alone.
-- Times are Unix milliseconds (BIGINT); booleans are INTEGER 0/1.

CREATE TABLE feeds (
	name          TEXT PRIMARY KEY,
	url           TEXT NOT NULL,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	last_attempt  BIGINT NOT NULL DEFAULT 0,
	last_success  BIGINT NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	failures      INTEGER NOT NULL DEFAULT 0,
	next_poll     BIGINT NOT NULL DEFAULT 0,
	item_count    BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE stories (
	id         INTEGER PRIMARY KEY, -- only: sqlite
	id         BIGSERIAL PRIMARY KEY, -- only: postgres
	title      TEXT NOT NULL,
	title_key  TEXT NOT NULL,
	first_seen BIGINT NOT NULL,
	updated    BIGINT NOT NULL
);
CREATE INDEX stories_title_key ON stories (title_key, updated);
CREATE INDEX stories_updated ON stories (updated);

CREATE TABLE items (
	id         INTEGER PRIMARY KEY, -- only: sqlite
	id         BIGSERIAL PRIMARY KEY, -- only: postgres
	feed       TEXT NOT NULL,
	guid       TEXT NOT NULL,
	url        TEXT NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	source     TEXT NOT NULL,
	published  BIGINT NOT NULL,
	dated      INTEGER NOT NULL,
	first_seen BIGINT NOT NULL,
	hash       TEXT NOT NULL,
	story_id   BIGINT NOT NULL REFERENCES stories (id),
	UNIQUE (feed, guid)
);
CREATE INDEX items_url ON items (url);
CREATE INDEX items_story ON items (story_id);
CREATE INDEX items_published ON items (published);

-- Rules that matched at least one item of a story.
CREATE TABLE story_rules (
	story_id   BIGINT NOT NULL REFERENCES stories (id),
	rule       TEXT NOT NULL,
	matched_at BIGINT NOT NULL,
	PRIMARY KEY (story_id, rule)
);

-- One row per (story, channel) once an alert for the story was queued there.
CREATE TABLE story_alerts (
	story_id  BIGINT NOT NULL REFERENCES stories (id),
	channel   TEXT NOT NULL,
	alerted_at BIGINT NOT NULL,
	updates   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (story_id, channel)
);

-- Stories waiting for the next digest of a (rule, channel).
CREATE TABLE digest_pending (
	rule       TEXT NOT NULL,
	channel    TEXT NOT NULL,
	story_id   BIGINT NOT NULL REFERENCES stories (id),
	matched_at BIGINT NOT NULL,
	PRIMARY KEY (rule, channel, story_id)
);

CREATE TABLE digests (
	rule      TEXT NOT NULL,
	channel   TEXT NOT NULL,
	last_sent BIGINT NOT NULL,
	seq       INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (rule, channel)
);

-- The outbox: a delivery is queued in the transaction that decided it, and
-- sent (and marked) by the dispatcher. (channel, kind, story_id, rule, seq)
-- is its idempotency key.
CREATE TABLE deliveries (
	id           INTEGER PRIMARY KEY, -- only: sqlite
	id           BIGSERIAL PRIMARY KEY, -- only: postgres
	channel      TEXT NOT NULL,
	kind         TEXT NOT NULL,
	story_id     BIGINT NOT NULL,
	rule         TEXT NOT NULL DEFAULT '',
	seq          INTEGER NOT NULL DEFAULT 0,
	payload      TEXT NOT NULL DEFAULT '{}',
	created      BIGINT NOT NULL,
	next_attempt BIGINT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT NOT NULL DEFAULT '',
	sent_at      BIGINT NOT NULL DEFAULT 0,
	remote_id    TEXT NOT NULL DEFAULT '',
	UNIQUE (channel, kind, story_id, rule, seq)
);
CREATE INDEX deliveries_pending ON deliveries (sent_at, next_attempt);
