-- Two indexes no statement of a running wirewatch reads, each written by
-- every item an ingest stores:
-- items_first_seen: retention asks whether a story has an item first
-- stored since the cut-off, which it finds by story (items_story_source).
-- stories_title_key: only the Exact grouper (tests) looks stories up by
-- title key; the stories updated within its window are found through
-- stories_updated. The index was rewritten for every item that moved its
-- story's time (it ends with updated), on pages spread over the whole
-- index, which every batch's commit wrote back.
DROP INDEX items_first_seen;
DROP INDEX stories_title_key;
