-- The full-text index of items (issue 14). It holds the matcher's own
-- tokens (rules.NewIndexDoc: folded, so case, diacritics and Cyrillic agree
-- with the rules), written separated by spaces; the ascii tokenizer then
-- splits them exactly there (it takes every non-ASCII character for a
-- letter, and our tokens' ASCII is only a-z and 0-9). The row id is the
-- item's id; the table keeps no copy of the text (contentless) and deletes
-- rows by id (contentless_delete). A search renders a rules.Plan as an FTS5
-- MATCH to narrow the candidates, which the matcher confirms.
-- PostgreSQL keeps the same three token strings in a tsvector of a table
-- item_fts (to_tsvector('simple', …) with weights A, B, C for title, text
-- and facts), with a GIN index, and renders a Plan as a tsquery (& | !
-- <-> :*, weights for fields); the rows are written by the store, as here.
CREATE VIRTUAL TABLE item_fts USING fts5 (title, body, facts, content='', contentless_delete=1, tokenize='ascii'); -- only: sqlite
-- Merge index segments 8 at a time rather than 4: less work per insert
-- (merging was a fifth of storing an item), a few more segments to read.
INSERT INTO item_fts (item_fts, rank) VALUES ('automerge', 8); -- only: sqlite
-- PostgreSQL: a table of tsvectors with a GIN index (store/search_postgres.go).
CREATE TABLE item_fts (id BIGINT PRIMARY KEY, doc tsvector NOT NULL); -- only: postgres
CREATE INDEX item_fts_doc ON item_fts USING GIN (doc); -- only: postgres
-- Backfilling the index of items stored before this version is done in Go
-- (the store tokenizes), from the item id this counter holds up; -1: done.
INSERT INTO counters (name, value) VALUES ('fts_backfill', 0);
-- What ranking reads of each candidate, without the item's row (its text):
-- a search reads it for tens of thousands of candidates.
CREATE INDEX items_search ON items (id, story_id, published);
-- Retention prunes in small batches: tombstones by last_seen, and the
-- stories merged into those it prunes.
CREATE INDEX stories_merged_into ON stories (merged_into);
CREATE INDEX item_tombstones_last_seen ON item_tombstones (last_seen);
