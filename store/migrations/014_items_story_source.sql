-- What an ingest asks of the story an item joins (storyq.Read): whether
-- it already has an item of the item's outlet. By story alone the index
-- led to every item's row, and an item's row keeps its outlet behind its
-- text (overflow pages): each ingest read the whole story from disk. By
-- story and outlet the index answers alone; it still serves every lookup
-- by story, so it replaces the index by story.
CREATE INDEX items_story_source ON items (story_id, source);
DROP INDEX items_story;
