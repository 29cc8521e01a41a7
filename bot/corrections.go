package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Merge moves every item of story from into story into (a person's
// correction of the grouping). Nothing is alerted again; later items that
// resemble either story join into.
func Merge(ctx context.Context, db *store.DB, into, from int64) error {
	return db.MergeStories(ctx, into, from)
}

// Split moves the story's item with this URL (and any other item with the
// same canonical URL) into a new story of its own, matched against rs, and
// returns the new story's id. Later items that resemble it join it.
func Split(ctx context.Context, db *store.DB, rs []Rule, storyID int64, rawURL string, now time.Time) (int64, error) {
	url, err := feeds.CanonicalURL(rawURL, "")
	if err != nil {
		return 0, fmt.Errorf("split: %w", err)
	}
	newID, err := db.SplitItem(ctx, storyID, url)
	if err != nil {
		return 0, err
	}
	s, err := db.Story(ctx, newID)
	if err != nil {
		return 0, err
	}
	m := Matcher(rs)
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for _, it := range s.Items {
			// The feed's tags and language are not stored: rules that need
			// them match the item as one of an untagged feed.
			doc := rules.NewItem(rules.Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed})
			for _, h := range m.Match(doc) {
				if err := tx.AddStoryRule(ctx, newID, rs[h.Rule].Name, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return newID, err
}
