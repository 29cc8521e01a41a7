-- The grouper's automatic joins of stories (an item linking two, or a
-- consolidation pass), in the order they were made: replicas on one
-- PostgreSQL replay the joins other replicas made into their story
-- indexes, each after the item it followed (after_item: the highest item
-- id when it was made; joins and items are made under the grouping lock).
-- Rows go with retention (joined_at, Unix ms).
CREATE TABLE story_joins (
	id         INTEGER PRIMARY KEY, -- only: sqlite
	id         BIGSERIAL PRIMARY KEY, -- only: postgres
	into_id    BIGINT NOT NULL,
	from_id    BIGINT NOT NULL,
	after_item BIGINT NOT NULL,
	joined_at  BIGINT NOT NULL
);
CREATE INDEX story_joins_joined ON story_joins (joined_at);
