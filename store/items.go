package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store/internal/refs"
	"github.com/wirewatch/wirewatch/store/internal/sqlx"
)

const (
	itemColumns = `id, feed, guid, url, title, body, source, published, dated, first_seen, hash, story_id, credits, wire, origin`
	selectRef   = `SELECT id, story_id, hash FROM items WHERE feed = $1 AND guid = $2`
	// The stored items among a JSON array of [feed, guid] pairs.
	selectRefs = `SELECT i.feed, i.guid, i.id, i.story_id, i.hash FROM json_each($1) j
		JOIN items i ON i.feed = j.value ->> 0 AND i.guid = j.value ->> 1`
	// The canonical URLs among a JSON array that items have.
	selectURLs  = `SELECT DISTINCT i.url FROM json_each($1) j JOIN items i ON i.url = j.value`
	selectKnown = `SELECT 1 FROM items WHERE feed = $1 AND guid = $2
		UNION ALL SELECT 1 FROM item_tombstones WHERE feed = $1 AND guid = $2`
	insertItem = `INSERT INTO items (feed, guid, url, title, body, source, published, dated, first_seen, hash, story_id, credits, origin, wire)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`
	// A story's title is its wire agency's headline when an agency is among
	// its outlets, else its earliest report's; first_seen is its earliest.
	storyTitle    = `(SELECT title FROM items WHERE story_id = $1 ORDER BY wire DESC, published, id LIMIT 1)`
	storyFirst    = `(SELECT MIN(published) FROM items WHERE story_id = $1)`
	refreshStory  = `UPDATE stories SET title = ` + storyTitle + `, first_seen = ` + storyFirst + ` WHERE id = $1`
	storyOutdated = `($4 = 1 OR first_seen > $2 OR NOT EXISTS (SELECT 1 FROM items WHERE story_id = $1 AND id <> $3))`
	// After item $3 (published $2, $4 = 1 for a wire agency's) joined story
	// $1: its latest time, and refreshStory unless the item changes nothing
	// there (not an agency's, the story had items, the earliest no later);
	// the row is written only when something may change.
	storyAdded = `UPDATE stories SET updated = CASE WHEN updated < $2 THEN $2 ELSE updated END,
		title = CASE WHEN ` + storyOutdated + ` THEN ` + storyTitle + ` ELSE title END,
		first_seen = CASE WHEN ` + storyOutdated + ` THEN ` + storyFirst + ` ELSE first_seen END
		WHERE id = $1 AND (updated < $2 OR ` + storyOutdated + `)`
	// A page of items published at or after $1, before the key ($2, $3),
	// newest first: a scan reads a page, lets go of the connection, then
	// hands the page on.
	selectItemsPage = `SELECT ` + itemColumns + ` FROM items WHERE published >= $1
		AND (published < $2 OR published = $2 AND id < $3) ORDER BY published DESC, id DESC LIMIT $4`
	selectItemsBetween = `SELECT ` + itemColumns + ` FROM items WHERE published >= $1 AND published < $2 ORDER BY id`
	selectStoryItems   = `SELECT ` + itemColumns + ` FROM items WHERE story_id = $1 ORDER BY published, id`
	// The texts are most of a story's bytes; its messages but their
	// snippets show none.
	selectStoryOutline = `SELECT id, feed, guid, url, title, '', source, published, dated, first_seen, hash, story_id, credits, wire, origin
		FROM items WHERE story_id = $1 ORDER BY published, id`
	// An item's last revision number, and its title and text, which an edit makes the next revision.
	selectLastRev  = `SELECT COALESCE((SELECT MAX(rev) FROM item_revisions WHERE item_id = $1), 0), title, body FROM items WHERE id = $1`
	insertRevision = `INSERT INTO item_revisions (item_id, rev, title, body, hash, replaced_at)
		SELECT id, $2, title, body, hash, $3 FROM items WHERE id = $1`
	reviseItem = `UPDATE items SET title = $2, body = $3, hash = $4, credits = $5, origin = $6 WHERE id = $1`
	// An item's date as stored: an edit keeps it.
	selectPublished = `SELECT published FROM items WHERE id = $1`
	// The oldest revisions go when an item has more than maxRevisions.
	pruneRevisions  = `DELETE FROM item_revisions WHERE item_id = $1 AND rev <= $2`
	selectRevisions = `SELECT r.item_id, r.rev, r.title, r.body, r.replaced_at FROM item_revisions r
		JOIN items i ON i.id = r.item_id WHERE i.story_id = $1 ORDER BY r.item_id, r.rev`
)

// maxRevisions is how many earlier versions of an item are kept.
const maxRevisions = 10

// Item is a stored feed item.
type Item struct {
	feeds.Item
	RowID     int64     // the database row id
	FirstSeen time.Time // when wirewatch first stored it
	StoryID   int64
	Revisions []Revision // earlier versions, oldest first (filled by Story)
}

// Revision is an earlier version of an edited item.
type Revision struct {
	Rev      int
	Title    string
	Text     string
	Replaced time.Time // when a newer version replaced it
}

// ItemRef identifies a stored item.
type ItemRef struct {
	RowID   int64
	StoryID int64
	Hash    string
}

func scanItem(row sqlx.Scanner) (*Item, error) {
	var it Item
	var published, firstSeen int64
	var dated, wire int
	var credits string
	err := row.Scan(&it.RowID, &it.Feed, &it.ID, &it.URL, &it.Title, &it.Text, &it.Source,
		&published, &dated, &firstSeen, &it.Hash, &it.StoryID, &credits, &wire, &it.Origin)
	if err != nil {
		return nil, err
	}
	it.Published, it.FirstSeen, it.Dated, it.Wire = sqlx.FromMS(published), sqlx.FromMS(firstSeen), dated != 0, wire != 0
	if credits != "" {
		it.Credits = strings.Split(credits, ",")
	}
	return &it, nil
}

func scanRef(row sqlx.Scanner) (*ItemRef, error) {
	var ref ItemRef
	if err := row.Scan(&ref.RowID, &ref.StoryID, &ref.Hash); err != nil {
		return nil, err
	}
	return &ref, nil
}

// ItemRef returns the stored item with this feed and stable ID, or ErrNotFound.
func (tx *Tx) ItemRef(ctx context.Context, feed, id string) (*ItemRef, error) {
	if r, known := tx.refs.Get(feed, id); known && r != nil {
		return &ItemRef{RowID: r.RowID, StoryID: r.StoryID, Hash: r.Hash}, nil
	} else if known {
		return nil, &refNotFound{feed, id}
	}
	ref, err := sqlx.One(ctx, tx.q, scanRef, selectRef, feed, id)
	return named(ref, err, "item %s/%s", feed, id)
}

// refNotFound is ItemRef's error for an item the transaction knows is not
// stored, every new item's: formatted only if read.
type refNotFound struct{ feed, id string }

func (e *refNotFound) Error() string { return fmt.Sprintf("item %s/%s: %v", e.feed, e.id, ErrNotFound) }
func (e *refNotFound) Unwrap() error { return ErrNotFound }

// LoadItemRefs looks up which of these items are stored, and which of
// their canonical URLs items have, in a query each, for ItemRef and
// StoryByURL to answer without a query of their own; the transaction
// keeps the answers up to date as it adds, revises and moves items.
func (tx *Tx) LoadItemRefs(ctx context.Context, items []*feeds.Item) error {
	var err error
	if pairs := tx.refs.Ask(items); pairs != "" {
		var found []refs.Ref
		if found, err = sqlx.All(ctx, tx.q, refs.Scan, selectRefs, pairs); err == nil {
			tx.refs.Found(found...)
		}
	}
	if urls := tx.refs.AskURLs(items); urls != "" && err == nil {
		var found []string
		if found, err = sqlx.All(ctx, tx.q, sqlx.String, selectURLs, urls); err == nil {
			tx.refs.HasURL(found...)
		}
	}
	if err != nil {
		tx.refs.Forget()
		return fmt.Errorf("look up items: %w", err)
	}
	return nil
}

// AddItem stores a new item (its Wire and Origin as feeds attributed them)
// in a story and brings the story's times and title up to date; doc is its
// rules document when the caller has one (nil: made here, for the index).
func (tx *Tx) AddItem(ctx context.Context, it *feeds.Item, doc *rules.Doc, storyID int64, firstSeen time.Time) (int64, error) {
	dated, wire := 0, 0
	if it.Dated {
		dated = 1
	}
	if it.Wire {
		wire = 1
	}
	id, err := sqlx.InsertID(ctx, tx.q, tx.dialect == SQLite, insertItem, it.Feed, it.ID, it.URL, it.Title, it.Text, it.Source,
		sqlx.MS(it.Published), dated, sqlx.MS(firstSeen), it.Hash, storyID, strings.Join(it.Credits, ","), it.Origin, wire)
	if err != nil {
		return 0, fmt.Errorf("add item %s/%s: %w", it.Feed, it.ID, err)
	}
	tx.indexItem(id, it, doc, false)
	tx.refs.Found(refs.Ref{Feed: it.Feed, ID: it.ID, RowID: id, StoryID: storyID, Hash: it.Hash})
	tx.refs.HasURL(it.URL)
	fresh := tx.fresh
	tx.fresh = freshStory{}
	if fresh == (freshStory{storyID, sqlx.MS(it.Published), it.Title}) {
		return id, nil // its first item, whose title and time it has: nothing to update
	}
	if err := tx.exec(ctx, storyAdded, storyID, sqlx.MS(it.Published), id, wire); err != nil {
		return 0, fmt.Errorf("add item %s/%s: %w", it.Feed, it.ID, err)
	}
	return id, nil
}

// ReviseItem replaces a stored item's title and text with an edited
// version, keeping the previous one as a revision, which it returns.
func (tx *Tx) ReviseItem(ctx context.Context, ref *ItemRef, it *feeds.Item, at time.Time) (prev Revision, err error) {
	if err := tx.q.QueryRowContext(ctx, selectLastRev, ref.RowID).Scan(&prev.Rev, &prev.Title, &prev.Text); err != nil {
		return prev, fmt.Errorf("revise item %s/%s: %w", it.Feed, it.ID, err)
	}
	prev.Rev, prev.Replaced = prev.Rev+1, at
	stmts := []struct {
		q    string
		args []any
	}{
		{insertRevision, []any{ref.RowID, prev.Rev, sqlx.MS(at)}},
		{reviseItem, []any{ref.RowID, it.Title, it.Text, it.Hash, strings.Join(it.Credits, ","), it.Origin}},
		{pruneRevisions, []any{ref.RowID, prev.Rev - maxRevisions}},
		{refreshStory, []any{ref.StoryID}},
	}
	for _, s := range stmts {
		if _, err := tx.q.ExecContext(ctx, s.q, s.args...); err != nil {
			return prev, fmt.Errorf("revise item %s/%s: %w", it.Feed, it.ID, err)
		}
	}
	tx.indexItem(ref.RowID, it, nil, true) // the edited version is what a search finds
	tx.refs.Found(refs.Ref{Feed: it.Feed, ID: it.ID, RowID: ref.RowID, StoryID: ref.StoryID, Hash: it.Hash})
	return prev, nil
}

// ItemPublished returns when a stored item was published (undated: first
// seen), as it was stored: an edit of it keeps that date, whatever date
// the feed gives the edit (an undated one's is the poll's).
func (tx *Tx) ItemPublished(ctx context.Context, ref *ItemRef) (time.Time, error) {
	ms, err := sqlx.One(ctx, tx.q, sqlx.Int64, selectPublished, ref.RowID)
	if err != nil {
		return time.Time{}, fmt.Errorf("item %d: %w", ref.RowID, err)
	}
	return sqlx.FromMS(ms), nil
}

// scanPage is how many items ScanItems reads in one query.
const scanPage = 256

// ScanItems calls fn for every item published at or after since, newest
// first, until fn returns an error (which ScanItems returns) or ctx is done.
// It reads a page at a time and holds no connection while fn runs, so a
// long scan (a search over years) never keeps a poll from storing items.
func (db *DB) ScanItems(ctx context.Context, since time.Time, fn func(*Item) error) error {
	keyPublished, keyID := int64(math.MaxInt64), int64(math.MaxInt64)
	for {
		page, err := sqlx.All(ctx, db.ro, scanItem, selectItemsPage, sqlx.MS(since), keyPublished, keyID, scanPage)
		if err != nil {
			return fmt.Errorf("scan items: %w", err)
		}
		for _, it := range page {
			if err := fn(it); err != nil {
				return err
			}
		}
		if len(page) < scanPage {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		last := page[len(page)-1]
		keyPublished, keyID = sqlx.MS(last.Published), last.RowID
	}
}

// ItemsBetween calls fn, in the order the items were stored (by id), for
// every item published (or, undated, first seen) at or after from and
// before to, with its story, until fn returns an error, which it returns.
// It implements the story grouper's Lookup: the grouper loads the stored
// items an item's dates call for, in the order the process that grouped
// them met them, so that a restart rebuilds the index it had (a story's
// core is its first item indexed). The rows are read before fn is called,
// so fn may use the transaction.
func (tx *Tx) ItemsBetween(ctx context.Context, from, to time.Time, fn func(storyID int64, it *feeds.Item) error) error {
	items, err := sqlx.All(ctx, tx.q, scanItem, selectItemsBetween, sqlx.MS(from), sqlx.MS(to))
	if err != nil {
		return fmt.Errorf("items between: %w", err)
	}
	for _, it := range items {
		if err := fn(it.StoryID, &it.Item); err != nil {
			return err
		}
	}
	return nil
}

// KnownItems returns which of a feed's item IDs are stored already, or were
// and have been pruned (a tombstone).
func (db *DB) KnownItems(ctx context.Context, feed string, ids []string) (map[string]bool, error) {
	known := make(map[string]bool, len(ids))
	for _, id := range ids {
		var one int
		err := db.q.QueryRowContext(ctx, selectKnown, feed, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("known items of %s: %w", feed, err)
		}
		known[id] = true
	}
	return known, nil
}
