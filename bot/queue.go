package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/store"
)

// What an ingest queues in the outbox: a story's alerts, and the updates
// of a story alerted before.

// UpdateInterval is the least time between two messages about one story in
// one channel: updates within it are held and merged into one.
const UpdateInterval = 10 * time.Minute

// UpdatePayload is the payload of an update delivery.
type UpdatePayload struct {
	New []string `json:"new"` // URLs of the items that brought new outlets
}

// decodeUpdate decodes the payload of an update delivery.
func decodeUpdate(payload []byte) (UpdatePayload, error) {
	var up UpdatePayload
	if err := json.Unmarshal(payload, &up); err != nil {
		return up, fmt.Errorf("update payload: %w", err)
	}
	return up, nil
}

// readCounts reads into st the story's independent sources and outlets,
// those that a rule of set needs (min_sources, min_outlets).
func readCounts(ctx context.Context, tx *store.Tx, storyID int64, set *ruleSet, st *StoryState) error {
	var err error
	if set.needsSources {
		if st.Independent, err = tx.IndependentSources(ctx, storyID); err != nil {
			return err
		}
	}
	if set.needsOutlets {
		if st.Outlets, err = tx.Outlets(ctx, storyID); err != nil {
			return err
		}
	}
	return nil
}

// queueAlerts records the story alerted in the channels and queues its
// alerts there.
func queueAlerts(ctx context.Context, tx *store.Tx, storyID int64, channels []string, now time.Time) error {
	for _, ch := range channels {
		if err := tx.MarkAlerted(ctx, storyID, ch, now); err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, &store.Delivery{Channel: ch, Kind: store.KindAlert, StoryID: storyID, Created: now}); err != nil {
			return err
		}
	}
	return nil
}

// alertStory alerts a story that a merge or a split made as an ingest
// alerts the story an item joins (decide, match): the alert rules it
// matched (by any of its items), muted ones aside, alert it in each of
// their channels it was not alerted in, once enough independent sources
// and outlets carry it (min_sources, min_outlets); nothing, when every one
// of its items is older than its feed's max_age (fs; an item of a feed
// not there counts as such). It returns the alerts queued.
func alertStory(ctx context.Context, tx *store.Tx, storyID int64, set *ruleSet, fs feedSet, now time.Time) (int, error) {
	latest, err := tx.LatestByFeed(ctx, storyID)
	if err != nil {
		return 0, err
	}
	fresh := false
	for feed, at := range latest {
		fresh = fresh || fs.fresh(feed, at, now)
	}
	if !fresh {
		return 0, nil // stored, grouped and searchable, never alerted
	}
	facts, err := tx.StoryFacts(ctx, storyID, "", set.storyRules)
	if err != nil {
		return 0, err
	}
	st := StoryState{Rules: facts.Rules, Alerted: facts.Alerted}
	if err := readCounts(ctx, tx, storyID, set, &st); err != nil {
		return 0, err
	}
	muted, err := tx.MutedRules(ctx, now)
	if err != nil {
		return 0, err
	}
	alerts, _ := set.storyAlerts(st, nil, muted)
	return len(alerts), queueAlerts(ctx, tx, storyID, alerts, now)
}

// queueUpdate queues an update naming url in a channel where the story was
// alerted. While the alert itself waits, not yet handed to its sender, there
// is nothing to update (it shows the story as it is when sent); while an
// earlier update waits so, url joins it rather than making another message.
// A delivery that has started (it may be on its way, or have arrived
// unrecorded) is never merged into: url gets an update of its own.
func queueUpdate(ctx context.Context, tx *store.Tx, storyID int64, ch, url string, now time.Time) (bool, error) {
	u, err := tx.Updates(ctx, ch, storyID)
	if err != nil || u.AlertWaits {
		return false, err
	}
	if u.PendingID != 0 {
		up, err := decodeUpdate(u.Pending)
		if err != nil {
			return false, err
		}
		up.New = append(up.New, url)
		payload, _ := json.Marshal(up)
		return false, tx.SetPayload(ctx, u.PendingID, payload)
	}
	seq, err := tx.NextUpdate(ctx, storyID, ch)
	if err != nil {
		return false, err
	}
	payload, _ := json.Marshal(UpdatePayload{New: []string{url}})
	d := &store.Delivery{Channel: ch, Kind: store.KindUpdate, StoryID: storyID, Seq: seq, Payload: payload,
		Created: now, NextAttempt: later(now, u.LastSent.Add(UpdateInterval))}
	return true, tx.Enqueue(ctx, d)
}
