package bot

import (
	"context"
	"fmt"
	"slices"
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
// returns the new story's id. The new story is alerted in the channels of
// the alert rules it matches (muted ones and those holding for more
// sources aside), and only there. Later items that resemble it join it.
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
	err = db.InTx(ctx, func(tx *store.Tx) error {
		muted, err := tx.MutedRules(ctx, now)
		if err != nil {
			return err
		}
		alerted := map[string]bool{}
		for _, r := range rs {
			if !slices.ContainsFunc(s.Items, func(it *store.Item) bool { return r.Query.Match(rules.NewDoc(it.Title, it.Text)) }) {
				continue
			}
			if err := tx.AddStoryRule(ctx, newID, r.Name, now); err != nil {
				return err
			}
			if r.Mode != ModeAlert || muted[r.Name] || r.MinSources > 1 {
				continue // a one-report story holds for more sources
			}
			for _, ch := range r.Channels {
				if alerted[ch] {
					continue
				}
				alerted[ch] = true
				if err := tx.MarkAlerted(ctx, newID, ch, now); err != nil {
					return err
				}
				if err := tx.Enqueue(ctx, &store.Delivery{Channel: ch, Kind: store.KindAlert, StoryID: newID, Created: now}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return newID, err
}
