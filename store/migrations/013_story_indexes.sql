-- A join of stories moves a story's deliveries and digest entries to the
-- other (store/corrections.go); both tables were searched by story only
-- through indexes that do not lead with it, so every join read all of
-- them, and the outbox keeps its sent deliveries for the retention
-- period: joins grew slower with every delivery kept.
CREATE INDEX deliveries_story ON deliveries (story_id);
CREATE INDEX digest_pending_story ON digest_pending (story_id);
