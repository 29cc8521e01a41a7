package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
)

// Merge moves every item of story from into story into (a person's
// correction of the grouping), with their rule matches and alerts; later
// items that resemble either story join into. Nothing is alerted again: a
// channel alerted of one story hears of the other's outlets in an update,
// as after the grouper's joins (joinStories). The merged story is alerted
// as an ingest would alert it (alertStory, against the rules rs and the
// feeds fs): in the channels of its alert rules it was not alerted in, once
// enough sources and outlets carry it, unless all its items are older than
// their feeds' max_age.
func Merge(ctx context.Context, db *store.DB, rs []Rule, fs []Feed, into, from int64, now time.Time) error {
	return merge(ctx, db, newRuleSet(rs), newFeedSet(fs), into, from, now)
}

func merge(ctx context.Context, db *store.DB, set *ruleSet, fs feedSet, into, from int64, now time.Time) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		// Alerting, it waits for other replicas' ingests as they wait for
		// each other.
		if err := tx.LockGrouping(ctx); err != nil {
			return err
		}
		if _, _, err := joinStories(ctx, tx, into, from, true, "", now); err != nil {
			return err
		}
		_, err := alertStory(ctx, tx, into, set, fs, now)
		return err
	})
}

// Split moves the story's item with this URL (and any other item with the
// same canonical URL) into a new story of its own and returns the new
// story's id. The new story is matched against the rules rs as its items
// were in an ingest (with their feeds' tags and language, from fs; muted
// rules left out), joins the digests of its digest rules and is alerted as
// an ingest would (decide, alertStory): not for items older than max_age.
// Later items that resemble it join it.
func Split(ctx context.Context, db *store.DB, rs []Rule, fs []Feed, storyID int64, rawURL string, now time.Time) (int64, error) {
	return split(ctx, db, newRuleSet(rs), newFeedSet(fs), storyID, rawURL, now)
}

func split(ctx context.Context, db *store.DB, set *ruleSet, fs feedSet, storyID int64, rawURL string, now time.Time) (int64, error) {
	url, err := feeds.CanonicalURL(rawURL, "")
	if err != nil {
		return 0, fmt.Errorf("split: %w", err)
	}
	var newID int64
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.LockGrouping(ctx); err != nil {
			return err
		}
		var err error
		if newID, err = tx.SplitItem(ctx, storyID, url); err != nil {
			return err
		}
		if err := unannounce(ctx, tx, storyID, url); err != nil {
			return err
		}
		items, err := tx.StoryItems(ctx, newID)
		if err != nil {
			return err
		}
		muted, err := tx.MutedRules(ctx, now)
		if err != nil {
			return err
		}
		var names []string
		var digests []*Rule
		for _, it := range items {
			matched, _ := set.match(itemDoc(&it.Item, fs.of(it.Feed)), muted)
			for _, r := range matched {
				names = append(names, r.Name)
				if r.Mode == ModeDigest && fs.fresh(it.Feed, it.Published, now) && !slices.Contains(digests, r) {
					digests = append(digests, r)
				}
			}
		}
		for _, r := range digests { // as a new story's first item joins them (decide)
			for _, ch := range r.Channels {
				if err := tx.AddToDigest(ctx, r.Name, ch, newID, now); err != nil {
					return err
				}
			}
		}
		slices.Sort(names)
		if names = slices.Compact(names); len(names) > 0 {
			if err := tx.AddStoryRules(ctx, newID, names, now); err != nil {
				return err
			}
		}
		_, err = alertStory(ctx, tx, newID, set, fs, now)
		return err
	})
	if err != nil {
		return 0, err
	}
	return newID, nil
}

// unannounce takes url, split off story storyID, out of the updates of the
// story that wait unsent, never handed to a sender: an update names in
// "new" items of the story it shows, and one left naming none goes.
func unannounce(ctx context.Context, tx *store.Tx, storyID int64, url string) error {
	channels, err := tx.AlertedChannels(ctx, storyID)
	if err != nil {
		return err
	}
	for _, ch := range channels {
		u, err := tx.Updates(ctx, ch, storyID)
		if err != nil {
			return err
		}
		if u.AlertWaits || u.PendingID == 0 {
			continue
		}
		up, err := decodeUpdate(u.Pending)
		if err != nil {
			return err
		}
		kept := slices.DeleteFunc(slices.Clone(up.New), func(s string) bool { return s == url })
		switch {
		case len(kept) == len(up.New):
			continue
		case len(kept) == 0:
			err = tx.DropWaiting(ctx, u.PendingID)
		default:
			payload, _ := json.Marshal(UpdatePayload{New: kept})
			err = tx.SetPayload(ctx, u.PendingID, payload)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
