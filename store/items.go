package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
)

const (
	itemColumns  = `id, feed, guid, url, title, body, source, published, dated, first_seen, hash, story_id`
	selectItemID = `SELECT id FROM items WHERE feed = $1 AND guid = $2`
	insertItem   = `INSERT INTO items (feed, guid, url, title, body, source, published, dated, first_seen, hash, story_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`
	updateStoryLatest = `UPDATE stories SET updated = $1 WHERE id = $2 AND updated < $1`
	updateStoryFirst  = `UPDATE stories SET first_seen = $1, title = $3 WHERE id = $2 AND first_seen > $1`
	selectItemsSince  = `SELECT ` + itemColumns + ` FROM items WHERE published >= $1 ORDER BY published DESC, id DESC`
	selectStoryItems  = `SELECT ` + itemColumns + ` FROM items WHERE story_id = $1 ORDER BY published, id`
)

// Item is a stored feed item.
type Item struct {
	feeds.Item
	RowID     int64     // the database row id
	FirstSeen time.Time // when wirewatch first stored it
	StoryID   int64
}

func scanItem(row interface{ Scan(...any) error }) (*Item, error) {
	var it Item
	var published, firstSeen int64
	var dated int
	err := row.Scan(&it.RowID, &it.Feed, &it.ID, &it.URL, &it.Title, &it.Text, &it.Source,
		&published, &dated, &firstSeen, &it.Hash, &it.StoryID)
	if err != nil {
		return nil, err
	}
	it.Published, it.FirstSeen, it.Dated = fromMS(published), fromMS(firstSeen), dated != 0
	return &it, nil
}

// HasItem reports whether the feed's item with this stable ID is stored.
func (tx *Tx) HasItem(ctx context.Context, feed, id string) (bool, error) {
	var rowID int64
	err := tx.q.QueryRowContext(ctx, selectItemID, feed, id).Scan(&rowID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("item %s/%s: %w", feed, id, err)
	}
	return true, nil
}

// AddItem stores a new item in a story and moves the story's latest time
// forward to the item's time when that is later.
func (tx *Tx) AddItem(ctx context.Context, it *feeds.Item, storyID int64, firstSeen time.Time) (int64, error) {
	dated := 0
	if it.Dated {
		dated = 1
	}
	var id int64
	err := tx.q.QueryRowContext(ctx, insertItem, it.Feed, it.ID, it.URL, it.Title, it.Text, it.Source,
		ms(it.Published), dated, ms(firstSeen), it.Hash, storyID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add item %s/%s: %w", it.Feed, it.ID, err)
	}
	if _, err := tx.q.ExecContext(ctx, updateStoryLatest, ms(it.Published), storyID); err != nil {
		return 0, fmt.Errorf("add item %s/%s: %w", it.Feed, it.ID, err)
	}
	// An earlier report arriving later (feeds are polled in any order)
	// becomes the story's first: its headline is the story's title.
	if _, err := tx.q.ExecContext(ctx, updateStoryFirst, ms(it.Published), storyID, it.Title); err != nil {
		return 0, fmt.Errorf("add item %s/%s: %w", it.Feed, it.ID, err)
	}
	return id, nil
}

// ScanItems calls fn for every item published at or after since, newest
// first, until fn returns an error (io.EOF stops quietly).
func (db *DB) ScanItems(ctx context.Context, since time.Time, fn func(*Item) error) error {
	rows, err := db.q.QueryContext(ctx, selectItemsSince, ms(since))
	if err != nil {
		return fmt.Errorf("scan items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return fmt.Errorf("scan items: %w", err)
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return rows.Err()
}
