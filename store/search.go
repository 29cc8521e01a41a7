package store

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store/internal/ftsquery"
	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

// The full-text index (migration 010): item_fts holds each item's
// rules.IndexDoc under the item's id, written in the transaction that
// stores, revises or prunes the item. A search renders the query's
// rules.Plan as an FTS5 MATCH, reads the candidates a page at a time on the
// read pool, and leaves confirming them to the matcher.

const (
	insertIndex = `INSERT INTO item_fts (rowid, title, body, facts) VALUES ($1, $2, $3, $4)`
	deleteIndex = `DELETE FROM item_fts WHERE rowid = $1`
	// The candidates of a MATCH with ids from $2, published at or after $3,
	// newest id first; CROSS JOIN keeps SQLite driving from the index. The
	// index items_search has what they need of an item in far fewer pages
	// than the items' rows.
	selectMatch = `SELECT i.id, i.story_id, i.published
		FROM item_fts CROSS JOIN items i INDEXED BY items_search ON i.id = item_fts.rowid` + whereMatch
	// The same with their relevance: bm25 is lower for better matches;
	// titles weigh 4 times the text.
	selectMatchRank = `SELECT i.id, i.story_id, i.published, ` + bm25 + `
		FROM item_fts CROSS JOIN items i INDEXED BY items_search ON i.id = item_fts.rowid` + whereMatch
	// The same with what the matcher needs to confirm them.
	selectMatchText = `SELECT i.id, i.story_id, i.published, ` + bm25 + `, i.feed, i.title, i.body, i.source, i.url
		FROM item_fts CROSS JOIN items i ON i.id = item_fts.rowid` + whereMatch
	whereMatch = ` WHERE item_fts MATCH $1 AND item_fts.rowid >= $2 AND item_fts.rowid < $3 AND i.published >= $4%s
		ORDER BY item_fts.rowid DESC LIMIT $5`
	bm25 = `bm25(item_fts, 4.0, 1.0, 0.0)`
	// How many items are published at or after $1 (at most $2), and the
	// first id among them.
	selectFirstSince = `SELECT COUNT(*), COALESCE(MIN(id), 0) FROM (SELECT id FROM items WHERE published >= $1 LIMIT $2)`

	backfillCounter = "fts_backfill"
	selectBackfill  = `SELECT id, feed, title, body, source FROM items WHERE id > $1 ORDER BY id LIMIT $2`
	setCounter      = `UPDATE counters SET value = $2 WHERE name = $1`
)

// indexItem queues an item's index row (replacing any it had), which the
// transaction writes when it commits (flushIndex); d is the item's rules
// document, or nil to make one.
func (tx *Tx) indexItem(id int64, it *feeds.Item, d *rules.Doc, replace bool) {
	if d == nil {
		d = rules.NewItem(rules.Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed})
	}
	tx.index = append(tx.index, indexRow{id: id, doc: d.IndexDoc(), replace: replace})
}

// unindexItem queues the removal of an item's index row, which the
// transaction makes when it commits (flushIndex).
func (tx *Tx) unindexItem(id int64) {
	tx.index = append(tx.index, indexRow{id: id, remove: true})
}

// indexRow is an index row waiting for its transaction's commit.
type indexRow struct {
	id      int64
	doc     rules.IndexDoc
	replace bool // an earlier row of the item goes first
	remove  bool // the item's row goes, and no other comes
}

// flushIndex writes (and removes) the queued index rows, last in the
// transaction: FTS5 writes what it holds in memory as a new segment
// whenever another statement opens a savepoint (as an insert into items
// does, for its foreign key), so rows written one per item made a segment
// per item, and merging them was half the cost of storing one (and made a
// pruning transaction take a third of a second).
func (tx *Tx) flushIndex(ctx context.Context) error {
	for _, r := range tx.index {
		if r.remove {
			if err := tx.exec(ctx, deleteIndex, r.id); err != nil {
				return fmt.Errorf("unindex item %d: %w", r.id, err)
			}
			continue
		}
		if r.replace {
			if err := tx.exec(ctx, deleteIndex, r.id); err != nil {
				return fmt.Errorf("index item %d: %w", r.id, err)
			}
		}
		title, text := r.doc.Title, r.doc.Text
		if tx.dialect == Postgres {
			title, text = ftsquery.CapTokens(title), ftsquery.CapTokens(text)
		}
		if err := tx.exec(ctx, insertIndex, r.id, title, text, r.doc.Facts); err != nil {
			return fmt.Errorf("index item %d: %w", r.id, err)
		}
	}
	tx.index = tx.index[:0]
	return nil
}

// backfillBatch is how many items one backfill transaction indexes.
const backfillBatch = 2000

// backfillIndex indexes the items stored before the index existed, a
// batch per transaction, resuming where it stopped.
func (db *DB) backfillIndex(ctx context.Context) error {
	for {
		var from int64
		if err := db.q.QueryRowContext(ctx, selectCounter, backfillCounter).Scan(&from); err != nil {
			return fmt.Errorf("index backfill: %w", err)
		}
		if from < 0 {
			return nil
		}
		done := false
		err := db.InTx(ctx, func(tx *Tx) error {
			type row struct {
				id int64
				it feeds.Item
			}
			batch, err := sqlx.All(ctx, tx.q, func(sc sqlx.Scanner) (r row, err error) {
				err = sc.Scan(&r.id, &r.it.Feed, &r.it.Title, &r.it.Text, &r.it.Source)
				return r, err
			}, selectBackfill, from, backfillBatch)
			if err != nil {
				return err
			}
			for _, r := range batch {
				tx.indexItem(r.id, &r.it, nil, false)
			}
			next := int64(-1)
			if len(batch) == backfillBatch {
				next = batch[len(batch)-1].id
			} else {
				done = true
			}
			_, err = tx.q.ExecContext(ctx, setCounter, backfillCounter, next)
			return err
		})
		if err != nil {
			return fmt.Errorf("index backfill: %w", err)
		}
		if done {
			return nil
		}
	}
}

// SearchOptions says what SearchItems reads of each candidate, and of
// which.
type SearchOptions struct {
	Text    bool    // its title, text, outlet and feed, for the matcher, and its URL
	Rank    bool    // its relevance; else 0
	Stories []int64 // only items of these stories; nil: of any
	Below   int64   // only items with a lower id; 0: any
	Max     int     // at most this many items; 0: all
}

const selectFirstSeen = `SELECT first_seen FROM items WHERE id = $1`

// FirstSeen returns when an item was first stored (read on the read pool).
// Ids grow with it: an item stored before another has a lower id.
func (db *DB) FirstSeen(ctx context.Context, id int64) (time.Time, error) {
	v, err := sqlx.One(ctx, db.ro, sqlx.Int64, selectFirstSeen, id)
	if err != nil {
		return time.Time{}, fmt.Errorf("item %d first seen: %w", id, err)
	}
	return sqlx.FromMS(v), nil
}

// firstSince returns the lowest id an item published at or after since
// may have: items are stored in about the order of their dates, so in a
// short window those stored before the first item published since then are
// left out by the index itself, which skips them by id. 0 for a long
// window, whose first id costs more to find than it saves.
func (db *DB) firstSince(ctx context.Context, since time.Time) (int64, error) {
	if since.IsZero() {
		return 0, nil
	}
	var n, from int64
	if err := db.ro.QueryRowContext(ctx, selectFirstSince, sqlx.MS(since), sinceWindow+1).Scan(&n, &from); err != nil {
		return 0, err
	}
	if n > sinceWindow {
		return 0, nil
	}
	return from, nil
}

// SearchItems calls fn for every item published at or after since that the
// index finds for plan (a superset of the query's matches, unless the plan
// is exact: fn confirms), newest stored first, with its relevance (higher
// is better) when opts.Rank, until fn returns an error (which SearchItems
// returns) or ctx is done. The items have RowID, StoryID and Published,
// and with opts.Text what the matcher needs and their URL; opts may narrow
// them to some stories, or to a chunk below an id (a search reads back a
// chunk at a time, newest stored first). It reads on the read pool, in
// one statement: in WAL mode a read neither waits for a poll's transaction
// nor makes it wait, so a long search never keeps a poll from storing
// items (ctx bounds it). A plan of PlanAll cannot narrow: use ScanItems.
func (db *DB) SearchItems(ctx context.Context, plan *rules.Plan, since time.Time, opts SearchOptions, fn func(it *Item, rank float64) error) error {
	if plan.Op == rules.PlanAll {
		return fmt.Errorf("search items: the index cannot narrow %s", plan)
	}
	from, err := db.firstSince(ctx, since)
	if err != nil {
		return fmt.Errorf("search items: %w", err)
	}
	query := selectMatch
	switch {
	case opts.Text:
		query = selectMatchText
	case opts.Rank:
		query = selectMatchRank
	}
	// Story ids are our own integers: a literal list is one statement
	// whatever its length (on the read pool, which keeps none prepared);
	// "+" keeps SQLite from looking items up by each story of the list
	// rather than by id. The index is read from the stories' first item on.
	only := ""
	if opts.Stories != nil {
		in := sqlx.Int64List(opts.Stories)
		var first int64
		if err := db.ro.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM items WHERE story_id IN (`+in+`)`).Scan(&first); err != nil {
			return fmt.Errorf("search items: %w", err)
		}
		from = max(from, first)
		only = ` AND +i.story_id IN (` + in + `)`
	}
	below, limit := int64(math.MaxInt64), int64(-1)
	if opts.Below > 0 {
		below = opts.Below
	}
	if opts.Max > 0 {
		limit = int64(opts.Max)
	}
	// The dialect's text first: PostgreSQL's is found by the SQLite text.
	rows, err := db.ro.QueryContext(ctx, fmt.Sprintf(db.dialect.rewrite(query), only), db.dialect.searchQuery(plan), from, below, sqlx.MS(since), limit)
	if err != nil {
		return fmt.Errorf("search items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		var published int64
		var rank float64
		switch {
		case opts.Text:
			err = rows.Scan(&it.RowID, &it.StoryID, &published, &rank, &it.Feed, &it.Title, &it.Text, &it.Source, &it.URL)
		case opts.Rank:
			err = rows.Scan(&it.RowID, &it.StoryID, &published, &rank)
		default:
			err = rows.Scan(&it.RowID, &it.StoryID, &published)
		}
		if err != nil {
			return fmt.Errorf("search items: %w", err)
		}
		it.Published = sqlx.FromMS(published)
		if !opts.Rank {
			rank = 0
		}
		if err := fn(&it, -rank); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("search items: %w", err)
	}
	return nil
}

// sinceWindow is the most items a window may have for SearchItems to look
// for its first id.
const sinceWindow = 50_000

// StoryStat is what ranking needs of a story.
type StoryStat struct {
	Outlets int       // distinct sources among its items
	Updated time.Time // its latest item's date
}

const statsBatch = 400

// StoryStats returns the outlets and latest date of the given live
// stories (read on the read pool); pruned ones are missing.
func (db *DB) StoryStats(ctx context.Context, ids []int64) (map[int64]StoryStat, error) {
	out := make(map[int64]StoryStat, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), statsBatch)
		batch := ids[:n]
		ids = ids[n:]
		_, err := sqlx.All(ctx, db.ro, func(row sqlx.Scanner) (id int64, err error) {
			var updated int64
			var st StoryStat
			err = row.Scan(&id, &updated, &st.Outlets)
			st.Updated = sqlx.FromMS(updated)
			out[id] = st
			return id, err
		}, `SELECT s.id, s.updated, (SELECT COUNT(DISTINCT source) FROM items WHERE story_id = s.id)
			FROM stories s WHERE s.id IN (`+sqlx.Placeholders(1, len(batch))+`)`, sqlx.Int64Args(batch)...)
		if err != nil {
			return nil, fmt.Errorf("story stats: %w", err)
		}
	}
	return out, nil
}

// IndexRows returns how many items the full-text index holds.
func (db *DB) IndexRows(ctx context.Context) (int64, error) {
	var n int64
	err := db.ro.QueryRowContext(ctx, `SELECT COUNT(*) FROM item_fts`).Scan(&n)
	return n, err
}
