package store_test

import (
	"context"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
)

// addItem stores an item id of feed "f" published at published, first seen
// at firstSeen, in story storyID, or in a new story titled id when it is 0,
// and returns the story.
func addItem(ctx context.Context, tx *store.Tx, storyID int64, id string, published, firstSeen time.Time) (int64, error) {
	if storyID == 0 {
		var err error
		if storyID, err = tx.CreateStory(ctx, id, id, published); err != nil {
			return 0, err
		}
	}
	it := &feeds.Item{Feed: "f", ID: id, URL: "https://x.org/" + id, Title: id, Source: "x.org", Published: published}
	it.Attribute()
	_, err := tx.AddItem(ctx, it, nil, storyID, firstSeen)
	return storyID, err
}
