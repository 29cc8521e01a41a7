-- Items pruned by retention are remembered while their feed still carries
-- them, so that an item is never new twice: a tombstone of feed + id + hash.
-- last_seen is when a poll last saw the item in its feed (or when it was
-- pruned); a tombstone not seen for a retention period goes.
CREATE TABLE item_tombstones (
	feed      TEXT NOT NULL,
	guid      TEXT NOT NULL,
	hash      TEXT NOT NULL,
	last_seen BIGINT NOT NULL,
	PRIMARY KEY (feed, guid)
);
CREATE INDEX items_first_seen ON items (first_seen);
