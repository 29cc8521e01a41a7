package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Pipeline stores new items, groups them into stories, matches rules and
// queues deliveries, all of one feed's poll in one transaction.
type Pipeline struct {
	db      *store.DB
	grouper stories.Grouper
	rules   []Rule
	log     *slog.Logger
	now     Clock

	mu          sync.Mutex // guards corrections and index rebuilds
	corrections int64      // the store's corrections counter the index reflects
}

// NewPipeline returns a pipeline over db with the given grouper and rules.
func NewPipeline(db *store.DB, grouper stories.Grouper, rs []Rule, log *slog.Logger, now Clock) *Pipeline {
	return &Pipeline{db: db, grouper: grouper, rules: rs, log: log, now: now}
}

// Rules returns the pipeline's rules.
func (p *Pipeline) Rules() []Rule { return p.rules }

// IngestResult counts what one ingest did.
type IngestResult struct {
	New     int // items not seen before
	Alerts  int // alert deliveries queued
	Updates int // update deliveries queued
	Digest  int // stories added to digests
	Revised int // stored items seen again with an edited title or text
	Held    int // alerts waiting for more independent sources (min_sources)
	Muted   int // hits of muted rules, dropped
}

// UpdateInterval is the least time between two messages about one story in
// one channel: updates within it are held and merged into one.
const UpdateInterval = 10 * time.Minute

// UpdatePayload is the payload of an update delivery.
type UpdatePayload struct {
	New []string `json:"new"` // URLs of the items that brought new outlets
}

// Ingest processes one poll's items of a feed and saves the feed's state in
// the same transaction, so that a crash leaves either both or neither.
func (p *Pipeline) Ingest(ctx context.Context, feed Feed, items []feeds.Item, state *store.FeedState) (IngestResult, error) {
	var res IngestResult
	now := p.now()
	sorted := make([]feeds.Item, len(items))
	copy(sorted, items)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Published.Before(sorted[j].Published) })

	if err := p.refreshIndex(ctx); err != nil {
		return IngestResult{}, err
	}
	var added []*feeds.Item
	committing := false
	err := p.db.InTx(ctx, func(tx *store.Tx) error {
		res = IngestResult{}
		for i := range sorted {
			ok, err := p.ingestOne(ctx, tx, feed, &sorted[i], now, &res)
			if ok {
				added = append(added, &sorted[i])
			}
			if err != nil {
				// Forget before the rollback lets another ingest in, so that
				// none sees stories that will not exist.
				p.grouper.Forget(added)
				return err
			}
		}
		committing = true
		if state != nil {
			state.ItemCount += int64(res.New)
			return tx.SaveFeedState(ctx, state)
		}
		return nil
	})
	if err != nil {
		if committing {
			p.grouper.Forget(added) // the commit itself failed
		}
		return IngestResult{}, fmt.Errorf("ingest %s: %w", feed.Name, err)
	}
	return res, nil
}

// refreshIndex rebuilds an in-memory grouper's index when a person merged
// or split stories since it was loaded (possibly from another process).
func (p *Pipeline) refreshIndex(ctx context.Context) error {
	r, ok := p.grouper.(interface{ Reset() })
	if !ok {
		return nil
	}
	n, err := p.db.Corrections(ctx)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if n == p.corrections {
		return nil
	}
	r.Reset()
	if err := p.loadIndex(ctx); err != nil {
		return err
	}
	p.corrections = n
	return nil
}

// LoadIndex fills an in-memory grouper's index with the stored items of its
// window; groupers without an index, or that load on demand, need nothing.
func (p *Pipeline) LoadIndex(ctx context.Context) error {
	n, err := p.db.Corrections(ctx)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.corrections = n
	return p.loadIndex(ctx)
}

func (p *Pipeline) loadIndex(ctx context.Context) error {
	l, ok := p.grouper.(stories.Loader)
	if !ok {
		return nil
	}
	if _, ok := l.(stories.OnDemand); ok {
		return nil // it loads the dates each item calls for, by the items' dates
	}
	var items []*store.Item
	err := p.db.ScanItems(ctx, p.now().Add(-l.Window()), func(it *store.Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load story index: %w", err)
	}
	for i := len(items) - 1; i >= 0; i-- { // oldest first
		l.Load(items[i].StoryID, &items[i].Item)
	}
	p.log.Info("story index loaded", slog.Int("items", len(items)))
	return nil
}

// ingestOne processes one item; added reports whether the grouper was told
// of it (and must forget it should the transaction fail).
func (p *Pipeline) ingestOne(ctx context.Context, tx *store.Tx, feed Feed, it *feeds.Item, now time.Time, res *IngestResult) (added bool, err error) {
	ref, err := tx.ItemRef(ctx, it.Feed, it.ID)
	switch {
	case err == nil && (ref.Hash == it.Hash || it.Hash == ""):
		return false, nil // seen before, unchanged
	case err == nil:
		// Edited since first seen: a new revision of the same item, matched
		// again (its story may now match a rule), never a new outlet.
		res.Revised++
		if err := tx.ReviseItem(ctx, ref, it, now); err != nil {
			return false, err
		}
		storyID, err := tx.Resolve(ctx, ref.StoryID)
		if err != nil {
			return false, err
		}
		return false, p.match(ctx, tx, feed, it, storyID, false, now, res)
	case !errors.Is(err, store.ErrNotFound):
		return false, err
	}
	res.New++
	storyID, err := p.grouper.Assign(ctx, tx, it)
	if err != nil {
		return false, err
	}
	if storyID != 0 {
		// A person may have merged the story the grouper remembers.
		if storyID, err = tx.Resolve(ctx, storyID); err != nil {
			return false, err
		}
	}
	storyID, newOutlet, err := p.place(ctx, tx, it, storyID, now)
	if err != nil {
		return false, err
	}
	p.grouper.Added(storyID, it)
	return true, p.match(ctx, tx, feed, it, storyID, newOutlet, now, res)
}

// place stores the item in story storyID, or in a new story when it is 0.
// It returns the story and whether the item brings it a new outlet.
func (p *Pipeline) place(ctx context.Context, tx *store.Tx, it *feeds.Item, storyID int64, now time.Time) (int64, bool, error) {
	newOutlet := true
	var err error
	if storyID == 0 {
		if storyID, err = tx.CreateStory(ctx, it.Title, stories.TitleKey(it.Title), it.Published); err != nil {
			return 0, false, err
		}
	} else if it.Source != "" {
		has, err := tx.StoryHasSource(ctx, storyID, it.Source)
		if err != nil {
			return 0, false, err
		}
		newOutlet = !has
	}
	_, err = tx.AddItem(ctx, it, storyID, now)
	return storyID, newOutlet, err
}

// match matches the item's rules and queues the alerts, updates and digest
// entries it causes.
func (p *Pipeline) match(ctx context.Context, tx *store.Tx, feed Feed, it *feeds.Item, storyID int64, newOutlet bool, now time.Time, res *IngestResult) error {
	doc := rules.NewDoc(it.Title, it.Text)
	muted, err := tx.MutedRules(ctx, now)
	if err != nil {
		return err
	}
	var matched []*Rule
	for i := range p.rules {
		r := &p.rules[i]
		if r.Query.Match(doc) {
			if muted[r.Name] {
				res.Muted++ // dropped, not held: not even recorded as the story's match
				continue
			}
			matched = append(matched, r)
			if err := tx.AddStoryRule(ctx, storyID, r.Name, now); err != nil {
				return err
			}
		}
	}
	if now.Sub(it.Published) > feed.MaxAge {
		return nil // stored, grouped and searchable, never alerted
	}

	alerted, err := tx.AlertedChannels(ctx, storyID)
	if err != nil {
		return err
	}
	already := make(map[string]bool, len(alerted))
	for _, ch := range alerted {
		already[ch] = true
	}

	// Updates: the story gained an outlet after its alert in a channel.
	if newOutlet && it.URL != "" {
		for _, ch := range alerted {
			queued, err := p.queueUpdate(ctx, tx, storyID, ch, it.URL, now)
			if err != nil {
				return err
			}
			if queued {
				res.Updates++
			}
		}
	}

	// Alerts: an alert rule matches the story (any of its items), enough
	// independent sources carry it, and it has not been alerted in that
	// channel yet.
	storyRules, err := tx.StoryRules(ctx, storyID)
	if err != nil {
		return err
	}
	independent := -1 // counted when a rule needs it
	for _, name := range storyRules {
		r := p.rule(name)
		if r == nil || r.Mode != ModeAlert || muted[name] {
			continue
		}
		if r.MinSources > 1 {
			if independent < 0 {
				if independent, err = tx.IndependentSources(ctx, storyID); err != nil {
					return err
				}
			}
			if independent < r.MinSources {
				res.Held++
				continue
			}
		}
		for _, ch := range r.Channels {
			if already[ch] {
				continue
			}
			already[ch] = true
			if err := tx.MarkAlerted(ctx, storyID, ch, now); err != nil {
				return err
			}
			d := &store.Delivery{Channel: ch, Kind: store.KindAlert, StoryID: storyID, Created: now}
			if err := tx.Enqueue(ctx, d); err != nil {
				return err
			}
			res.Alerts++
		}
	}

	// Digests collect the stories their rule matched through this item.
	for _, r := range matched {
		if r.Mode != ModeDigest {
			continue
		}
		for _, ch := range r.Channels {
			if err := tx.AddToDigest(ctx, r.Name, ch, storyID, now); err != nil {
				return err
			}
			res.Digest++
		}
	}
	return nil
}

// queueUpdate queues an update naming url in a channel where the story was
// alerted. While the alert itself is unsent there is nothing to update (it
// shows the story as it is when sent); while an earlier update is unsent,
// url joins it rather than making another message.
func (p *Pipeline) queueUpdate(ctx context.Context, tx *store.Tx, storyID int64, ch, url string, now time.Time) (bool, error) {
	if _, err := tx.Unsent(ctx, ch, storyID, store.KindAlert); err == nil {
		return false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	pending, err := tx.Unsent(ctx, ch, storyID, store.KindUpdate)
	if err == nil {
		var up UpdatePayload
		if err := json.Unmarshal(pending.Payload, &up); err != nil {
			return false, fmt.Errorf("update payload: %w", err)
		}
		up.New = append(up.New, url)
		payload, _ := json.Marshal(up)
		return false, tx.SetPayload(ctx, pending.ID, payload)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	seq, err := tx.NextUpdate(ctx, storyID, ch)
	if err != nil {
		return false, err
	}
	last, err := tx.LastSent(ctx, ch, storyID)
	if err != nil {
		return false, err
	}
	payload, _ := json.Marshal(UpdatePayload{New: []string{url}})
	d := &store.Delivery{Channel: ch, Kind: store.KindUpdate, StoryID: storyID, Seq: seq, Payload: payload,
		Created: now, NextAttempt: later(now, last.Add(UpdateInterval))}
	return true, tx.Enqueue(ctx, d)
}

func (p *Pipeline) rule(name string) *Rule {
	for i := range p.rules {
		if p.rules[i].Name == name {
			return &p.rules[i]
		}
	}
	return nil
}
