-- A story a person split (SplitItem: the story split and the one made of
-- what was split out) is never merged again by the grouper; only a person
-- merges it.
ALTER TABLE stories ADD COLUMN split INTEGER NOT NULL DEFAULT 0;
