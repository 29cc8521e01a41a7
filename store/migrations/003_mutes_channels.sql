-- Mutes: `mute RULE 2h` drops the rule's hits (alerts and digest entries)
-- in every channel until `until` (Unix ms); nothing is held for later.
CREATE TABLE mutes (
	rule     TEXT PRIMARY KEY,
	until    BIGINT NOT NULL,
	muted_by TEXT NOT NULL DEFAULT '',
	muted_at BIGINT NOT NULL
);

-- Channels paused by a permanent delivery error (not in channel, invalid
-- auth, …): their backlog is kept and tried again at retry_at.
CREATE TABLE channel_pauses (
	channel   TEXT PRIMARY KEY,
	paused_at BIGINT NOT NULL,
	reason    TEXT NOT NULL,
	retry_at  BIGINT NOT NULL
);

-- When a delivery was first handed to its sender. A delivery started but
-- never marked sent may have reached the channel (a crash after the post):
-- senders that can look it up before posting it again.
ALTER TABLE deliveries ADD COLUMN started_at BIGINT NOT NULL DEFAULT 0;
