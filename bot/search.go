package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Search: the store's full-text index narrows a query to candidate items
// (rules.Plan, a superset of its matches), the query's matcher confirms
// each, as it does for alerts, and the stories of the matching items are
// ranked. A query the index cannot narrow (a regular expression alone,
// tag:, lang:, a negation in an OR) is answered by a scan of at most
// MaxSearchScan items, newest first.

// MaxSearchScan bounds how many items a search the index cannot narrow reads.
const MaxSearchScan = 500_000

// ErrSearchCut means a search stopped before it read every item in its
// range (MaxSearchScan, or its context's deadline): its stories are the
// best matches of what it read.
var ErrSearchCut = errors.New("search stopped early: narrow it with more words or a shorter since")

// SearchRequest is one search.
type SearchRequest struct {
	Query *rules.Query
	Since time.Time // items published at or after; zero: all history
	Limit int       // at most this many stories; <= 0: all
	Feeds []Feed    // the configured feeds, whose tags and lang the query sees
	Now   time.Time // ranks recency; zero: the clock
}

// storyHits is what a search gathers of one story.
type storyHits struct {
	id     int64
	rel    float64 // its best item's relevance (index rank; 1 when scanned)
	items  int     // its matching items
	score  float64
	newest time.Time
}

// SearchStoryIDs returns the stories that have an item published at or
// after req.Since matching req.Query, best first: ranked by relevance (the
// index's rank of its best matching item), recency (the story's latest
// item) and outlets. A search cut short by MaxSearchScan or by ctx's
// deadline returns the best of what it found and ErrSearchCut.
func SearchStoryIDs(ctx context.Context, db *store.DB, req SearchRequest) ([]int64, error) {
	feeds := make(map[string]*Feed, len(req.Feeds))
	for i := range req.Feeds {
		feeds[req.Feeds[i].Name] = &req.Feeds[i]
	}
	hits := map[int64]*storyHits{}
	confirm := func(it *store.Item, rank float64) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		ri := rules.Item{Title: it.Title, Text: it.Text, Source: it.Source, Feed: it.Feed}
		if f := feeds[it.Feed]; f != nil {
			ri.Tags, ri.Lang = f.Tags, f.Lang
		}
		if !req.Query.Match(rules.NewItem(ri)) {
			return nil
		}
		h := hits[it.StoryID]
		if h == nil {
			h = &storyHits{id: it.StoryID}
			hits[it.StoryID] = h
		}
		h.rel, h.items = max(h.rel, rank), h.items+1
		if it.Published.After(h.newest) {
			h.newest = it.Published
		}
		return nil
	}
	var err error
	if plan := req.Query.Plan(); plan.Op != rules.PlanAll {
		err = db.SearchItems(ctx, plan, req.Since, confirm)
	} else {
		scanned := 0
		err = db.ScanItems(ctx, req.Since, func(it *store.Item) error {
			if scanned++; scanned > MaxSearchScan {
				return ErrSearchCut
			}
			return confirm(it, 1)
		})
	}
	// The driver may report a deadline as its own "interrupted" error.
	cut := errors.Is(err, ErrSearchCut) || err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded)
	if err != nil && !cut {
		return nil, fmt.Errorf("search: %w", err)
	}
	// Ranking reads a little more; a search whose budget is spent ranks
	// what it found without its outlets.
	rctx := ctx
	if cut {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
	}
	ids := rank(rctx, db, hits, cmp.Or(req.Now, time.Now()))
	if req.Limit > 0 && len(ids) > req.Limit {
		ids = ids[:req.Limit]
	}
	if cut {
		return ids, ErrSearchCut
	}
	return ids, nil
}

// recencyScale is the age at which recency halves a story's score: a
// story's score is its relevance × 1/(1 + age/recencyScale) × (1 + ln outlets).
const recencyScale = 30 * 24 * time.Hour

// rank orders the stories found, best first.
func rank(ctx context.Context, db *store.DB, hits map[int64]*storyHits, now time.Time) []int64 {
	list := make([]*storyHits, 0, len(hits))
	ids := make([]int64, 0, len(hits))
	best := 0.0
	for id, h := range hits {
		list = append(list, h)
		ids = append(ids, id)
		best = max(best, h.rel)
	}
	stats, err := db.StoryStats(ctx, ids)
	if err != nil {
		stats = nil // rank by what the items tell
	}
	for _, h := range list {
		outlets, updated := 1, h.newest
		if st, ok := stats[h.id]; ok {
			outlets, updated = max(st.Outlets, 1), st.Updated
		}
		rel := 1.0
		if best > 0 {
			rel = 0.5 + 0.5*h.rel/best // index ranks differ less than they seem
		}
		age := max(now.Sub(updated), 0)
		h.newest = updated
		h.score = rel / (1 + float64(age)/float64(recencyScale)) * (1 + math.Log(float64(outlets)))
	}
	slices.SortFunc(list, func(a, b *storyHits) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := b.newest.Compare(a.newest); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	ids = ids[:0]
	for _, h := range list {
		if stats != nil {
			if _, ok := stats[h.id]; !ok {
				continue // pruned meanwhile
			}
		}
		ids = append(ids, h.id)
	}
	return ids
}

// SearchStories is SearchStoryIDs with the stories loaded (and ErrSearchCut
// beside them when the search was cut short).
func SearchStories(ctx context.Context, db *store.DB, req SearchRequest) ([]*store.Story, error) {
	ids, err := SearchStoryIDs(ctx, db, req)
	if err != nil && !errors.Is(err, ErrSearchCut) {
		return nil, err
	}
	cut := err
	if cut != nil { // the budget is spent: load what was found
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
	}
	out := make([]*store.Story, 0, len(ids))
	for _, id := range ids {
		s, err := db.Story(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // pruned meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out = append(out, s)
	}
	return out, cut
}
