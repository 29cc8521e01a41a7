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
// returns the new story's id. The new story is alerted in the channels of
// the alert rules it matches (muted ones and those holding for more
// sources or outlets aside), and only there. Later items that resemble it join it.
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
		muted, err := tx.MutedRules(ctx, now)
		if err != nil {
			return err
		}
		// The feed's tags and language are not stored: rules that need
		// them match the items as those of an untagged feed.
		hit := make([]bool, len(rs))
		for _, it := range s.Items {
			for _, h := range m.Match(rules.NewItem(rules.Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed})) {
				hit[h.Rule] = true
			}
		}
		alerted := map[string]bool{}
		for i, r := range rs {
			if !hit[i] {
				continue
			}
			if err := tx.AddStoryRule(ctx, newID, r.Name, now); err != nil {
				return err
			}
			if r.Mode != ModeAlert || muted[r.Name] || r.MinSources > 1 || r.MinOutlets > 1 {
				continue // a one-report story holds for more sources or outlets
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
