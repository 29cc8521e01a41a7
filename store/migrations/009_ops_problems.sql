-- What the ops channel (defaults.ops_channel) was told: a problem (a feed
-- failing for a day, a channel paused, a configuration reload refused) is
-- recorded when first seen (since, Unix ms), marked reported when its
-- notice is queued, and deleted when it recovers (the recovery notice
-- queued in the same transaction when it had been reported), so that a
-- restart repeats neither.
CREATE TABLE ops_problems (
	subject  TEXT PRIMARY KEY,
	since    BIGINT NOT NULL,
	detail   TEXT NOT NULL DEFAULT '',
	reported BIGINT NOT NULL DEFAULT 0
);
