package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/bot/internal/catchup"
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
	rules   atomic.Pointer[ruleSet] // replaced whole by SetRules
	feeds   atomic.Pointer[feedSet] // replaced whole by SetFeeds
	log     *slog.Logger
	now     Clock

	// Crash is called at points of ingests (tests; set before use).
	Crash CrashHook

	mu          sync.Mutex // guards corrections and index rebuilds
	corrections int64      // the store's corrections counter the index reflects
	// Replicas (replicas.go): one lets one ingest of this process at a
	// time take a connection (the others would hold theirs waiting for the
	// grouping lock, leaving none to renew leases and send deliveries);
	// caught is what the index reflects of what other replicas stored.
	one    sync.Mutex
	caught catchup.Mark
}

// NewPipeline returns a pipeline over db with the given grouper and rules.
func NewPipeline(db *store.DB, grouper stories.Grouper, rs []Rule, log *slog.Logger, now Clock) *Pipeline {
	p := &Pipeline{db: db, grouper: grouper, log: log, now: now}
	p.SetRules(rs)
	return p
}

// Rules returns the pipeline's rules.
func (p *Pipeline) Rules() []Rule { return p.rules.Load().rules }

// SetRules replaces the rules (a configuration reload): the ingest under
// way finishes with the old ones, the next one matches the new.
func (p *Pipeline) SetRules(rs []Rule) { p.rules.Store(newRuleSet(rs)) }

// IngestResult counts what one ingest did.
type IngestResult struct {
	New     int // items not seen before
	Alerts  int // alert deliveries queued
	Updates int // update deliveries queued
	Digest  int // stories added to digests
	Revised int // stored items seen again with an edited title or text
	Held    int // alerts waiting for more independent sources (min_sources)
	Muted   int // hits of muted rules, dropped
	Joined  int // stories merged into another because a new item linked them

	StoriesCreated int            // new items that began a story
	StoriesGrown   int            // new items that joined an existing story
	RuleHits       map[string]int // items matched, by rule (muted rules left out)
}

// Add adds the counts of o to r.
func (r *IngestResult) Add(o IngestResult) {
	r.New += o.New
	r.Alerts += o.Alerts
	r.Updates += o.Updates
	r.Digest += o.Digest
	r.Revised += o.Revised
	r.Held += o.Held
	r.Muted += o.Muted
	r.Joined += o.Joined
	r.StoriesCreated += o.StoriesCreated
	r.StoriesGrown += o.StoriesGrown
	for rule, n := range o.RuleHits {
		if r.RuleHits == nil {
			r.RuleHits = map[string]int{}
		}
		r.RuleHits[rule] += n
	}
}

// Ingest processes one poll's items of a feed and saves the feed's state in
// the same transaction, so that a crash leaves either both or neither.
func (p *Pipeline) Ingest(ctx context.Context, feed Feed, items []feeds.Item, state *store.FeedState) (IngestResult, error) {
	sorted := make([]feeds.Item, len(items))
	copy(sorted, items)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Published.Before(sorted[j].Published) })
	var res IngestResult
	entries := make([]Entry, len(sorted))
	for i := range sorted {
		entries[i] = Entry{Feed: feed, Item: &sorted[i], Result: &res}
	}
	var states []*store.FeedState
	if state != nil {
		states = []*store.FeedState{state}
	}
	if err := p.IngestBatch(ctx, entries, states); err != nil {
		return IngestResult{}, fmt.Errorf("ingest %s: %w", feed.Name, err)
	}
	return res, nil
}

// Entry is one item of a batch: its feed, and the result its counts go to.
type Entry struct {
	Feed   Feed
	Item   *feeds.Item
	Result *IngestResult
}

// IngestBatch processes items, of one feed or several, in the order given,
// and saves the feeds' states, all in one transaction: a crash leaves
// either all or none. Each entry's counts are added to its Result (zeroed
// first, so that they describe what committed); on failure nothing is
// added. The grouper's consolidation pass ends it, in the transaction.
func (p *Pipeline) IngestBatch(ctx context.Context, entries []Entry, states []*store.FeedState) error {
	now := p.now()
	if err := p.refreshIndex(ctx); err != nil {
		return err
	}
	rs := p.rules.Load() // one set for the whole ingest
	var added []*feeds.Item
	committing := false
	joined := false
	counts := make(map[*IngestResult]*IngestResult)
	newByFeed := make(map[string]int64)
	items := make([]*feeds.Item, len(entries))
	for i, e := range entries {
		items[i] = e.Item
	}
	done := p.serialize()
	err := p.db.InBatch(ctx, func(tx *store.Tx) error {
		clear(counts)
		clear(newByFeed)
		if err := p.lockAndCatchUp(ctx, tx); err != nil {
			return err
		}
		muted, err := tx.MutedRules(ctx, now)
		if err != nil {
			return err
		}
		// Which items are stored already: one query for the batch.
		if err := tx.LoadItemRefs(ctx, items); err != nil {
			return err
		}
		b := &batch{tx: tx, now: now, muted: muted, rules: rs, joined: &joined}
		for _, e := range entries {
			b.feed = e.Feed
			if b.res = counts[e.Result]; b.res == nil {
				b.res = &IngestResult{}
				counts[e.Result] = b.res
			}
			before := b.res.New
			ok, err := p.ingestOne(ctx, b, e.Item)
			newByFeed[e.Feed.Name] += int64(b.res.New - before)
			if ok {
				added = append(added, e.Item)
			}
			if err != nil {
				// Forget before the rollback lets another ingest in, so that
				// none sees stories that will not exist.
				p.grouper.Forget(added)
				return err
			}
		}
		n, alerts, err := p.consolidate(ctx, b)
		if err == nil {
			err = p.noteSeen(ctx, tx)
		}
		if err != nil {
			p.grouper.Forget(added)
			return err
		}
		if len(entries) > 0 { // the batch's merges and their alerts, counted once
			first := counts[entries[0].Result] // set by the loop above
			first.Joined += n
			first.Alerts += alerts
		}
		committing = true
		for _, st := range states {
			st.ItemCount += newByFeed[st.Name]
			if err := tx.SaveFeedState(ctx, st); err != nil {
				return err
			}
		}
		p.Crash.at("ingest")
		return nil
	})
	p.caught.Committed(err == nil)
	done()
	if err != nil {
		if committing {
			p.grouper.Forget(added) // the commit itself failed
		}
		if joined {
			p.resetIndex() // it joined stories that stay apart
		}
		return err
	}
	p.Crash.at("ingested")
	for to, c := range counts {
		if to != nil {
			to.Add(*c)
		}
	}
	return nil
}

// batch is one Ingest: its transaction, and what it reads once.
type batch struct {
	tx    *store.Tx
	feed  Feed
	now   time.Time
	muted map[string]bool // the rules muted at now
	rules *ruleSet        // the rules of this ingest
	res   *IngestResult
	// joined is set once the grouper was told of a merge of stories, which
	// a rollback would undo in the store but not in its index.
	joined *bool
}

// ingestOne processes one item; added reports whether the grouper was told
// of it (and must forget it should the transaction fail).
func (p *Pipeline) ingestOne(ctx context.Context, b *batch, it *feeds.Item) (added bool, err error) {
	tx, now, res := b.tx, b.now, b.res
	ref, err := tx.ItemRef(ctx, it.Feed, it.ID)
	switch {
	case err == nil && (it.Hash == "" || it.HasHash(ref.Hash)):
		return false, nil // seen before, unchanged
	case err == nil:
		// Edited since first seen: a new revision of the same item, matched
		// again (its story may now match a rule), never a new outlet. It is
		// as old as the item first seen (max_age): an undated edit's date
		// is this poll's, a feed may date an edit anew.
		res.Revised++
		published, err := tx.ItemPublished(ctx, ref)
		if err != nil {
			return false, err
		}
		prev, err := tx.ReviseItem(ctx, ref, it, now)
		if err != nil {
			return false, err
		}
		cur := *it
		cur.Published = published
		// All the story's rules, even where its alerts need none: its digests do.
		facts, err := tx.StoryFacts(ctx, ref.StoryID, it.Source, nil)
		if err != nil {
			return false, err
		}
		old := cur
		old.Title, old.Text = prev.Title, prev.Text
		return false, p.match(ctx, b, &cur, itemDoc(&cur, b.feed), facts.ID, false, nil, facts, false, itemDoc(&old, b.feed))
	case !errors.Is(err, store.ErrNotFound):
		return false, err
	}
	if gone, err := tx.TouchTombstone(ctx, it.Feed, it.ID, now); err != nil || gone {
		return false, err // pruned by retention, still in its feed: not new
	}
	res.New++
	storyID, err := p.grouper.Assign(ctx, tx, it)
	if err != nil {
		return false, err
	}
	var facts *store.StoryFacts // of the story the item joins, as it was
	if storyID != 0 {
		// A person may have merged the story the grouper remembers.
		if facts, err = tx.StoryFacts(ctx, storyID, it.Source, b.rules.storyRules); err != nil {
			return false, err
		}
		storyID = facts.ID
		res.StoriesGrown++
	} else {
		res.StoriesCreated++
	}
	joined, doc := res.Joined, itemDoc(it, b.feed)
	storyID, newOutlet, err := p.place(ctx, tx, it, doc, facts, now)
	if err != nil {
		return false, err
	}
	p.grouper.Added(storyID, it)
	told, err := p.join(ctx, b, storyID, it.Source)
	if err != nil {
		return true, err
	}
	if res.Joined != joined {
		facts = nil // joined stories: their rules and alerts are read again
	}
	return true, p.match(ctx, b, it, doc, storyID, newOutlet, told, facts, facts == nil && res.Joined == joined, nil)
}

// place stores the item in the story of facts, or in a new story when it
// is nil. It returns the story and whether the item brings it a new outlet.
func (p *Pipeline) place(ctx context.Context, tx *store.Tx, it *feeds.Item, doc *rules.Doc, facts *store.StoryFacts, now time.Time) (int64, bool, error) {
	var storyID int64
	var err error
	if facts == nil {
		if storyID, err = tx.CreateStory(ctx, it.Title, stories.TitleKey(it.Title), it.Published); err != nil {
			return 0, false, err
		}
	} else {
		storyID = facts.ID
	}
	_, err = tx.AddItem(ctx, it, doc, storyID, now)
	return storyID, facts == nil || it.Source == "" || !facts.HasSource, err
}

// match decides what the item causes in its story (decide) and queues it:
// the story's rules, updates, alerts and digest entries. Its rules and
// alerts are known's when given (read before), else read here (StoryFacts);
// a fresh story, begun by the item and joined by none, has none yet. Its
// rules are left unread where they cannot matter (ruleSet.storyRules):
// then every rule the item matched is recorded, as when they are not
// looked at (an expired item), which keeps those recorded before as they
// were. newOutlet says whether the item brings an outlet to the story it
// joined before any join; told are the channels that heard of the item's
// outlet through a story joined to it since (join), or are told of it by
// the join's update: none of them gets an update naming the item. prev is
// the doc of the item's previous version when it is an edit (known then
// holds all the story's rules): the edit counts hits only of the rules
// prev does not match, and joins only the digests of rules its story did
// not match, so that a fixed typo brings back no story and counts nothing.
func (p *Pipeline) match(ctx context.Context, b *batch, it *feeds.Item, doc *rules.Doc, storyID int64, newOutlet bool, told []string, known *store.StoryFacts, fresh bool, prev *rules.Doc) error {
	tx, now, res := b.tx, b.now, b.res
	st := StoryState{NewOutlet: newOutlet, Edit: prev != nil}
	if prev != nil {
		// All it matched, muted rules too: a hit a mute dropped stays dropped.
		before, _ := b.rules.match(prev, nil)
		for _, r := range before {
			st.Before = append(st.Before, r.Name)
		}
		slices.Sort(st.Before)
	}
	if !expired(it.Published, b.feed.MaxAge, now) { // decide looks at the story only then
		var err error
		if known == nil && !fresh {
			if known, err = tx.StoryFacts(ctx, storyID, it.Source, b.rules.storyRules); err != nil {
				return err
			}
		}
		if known != nil {
			st.Rules, st.Alerted = known.Rules, known.Alerted
		}
		if err := readCounts(ctx, tx, storyID, b.rules, &st); err != nil {
			return err
		}
	}
	d := decide(it, doc, b.feed, st, b.rules, b.muted, now)

	res.Muted += d.Muted
	res.Held += d.Held
	var newRules []string
	for _, name := range d.Matched {
		// st.Rules (sorted) has those the story matched before.
		if _, had := slices.BinarySearch(st.Rules, name); !had {
			newRules = append(newRules, name)
		}
		if res.RuleHits == nil {
			res.RuleHits = map[string]int{}
		}
		res.RuleHits[name]++
	}
	if len(newRules) > 0 {
		if err := tx.AddStoryRules(ctx, storyID, newRules, now); err != nil {
			return err
		}
	}
	for _, ch := range d.Updates {
		if slices.Contains(told, ch) {
			continue
		}
		queued, err := queueUpdate(ctx, tx, storyID, ch, it.URL, now)
		if err != nil {
			return err
		}
		if queued {
			res.Updates++
		}
	}
	if err := queueAlerts(ctx, tx, storyID, d.Alerts, now); err != nil {
		return err
	}
	res.Alerts += len(d.Alerts)
	for _, e := range d.Digests {
		if err := tx.AddToDigest(ctx, e.Rule, e.Channel, storyID, now); err != nil {
			return err
		}
		res.Digest++
	}
	return nil
}
