-- Corroboration: which wire agencies an item credits, the independent source
-- it stands for, and whether its outlet is a wire agency.
ALTER TABLE items ADD COLUMN credits TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN origin TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN wire INTEGER NOT NULL DEFAULT 0;
UPDATE items SET origin = source;

-- Earlier versions of items that were edited after wirewatch first saw them.
CREATE TABLE item_revisions (
	item_id BIGINT NOT NULL REFERENCES items (id),
	rev     INTEGER NOT NULL,
	title   TEXT NOT NULL,
	body    TEXT NOT NULL,
	hash    TEXT NOT NULL,
	replaced_at BIGINT NOT NULL, -- when a newer version replaced it
	PRIMARY KEY (item_id, rev)
);

-- Corrections by people: a merged story points to the story it joined.
ALTER TABLE stories ADD COLUMN merged_into BIGINT NOT NULL DEFAULT 0;

-- Counters shared by all processes on this database (e.g. a generation that
-- tells a running daemon to rebuild its story index after a correction).
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);
