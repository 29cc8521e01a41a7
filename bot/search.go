package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/bot/internal/search"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
)

// Search: the store's full-text index narrows a query to candidate items
// (rules.Plan, a superset of its matches), the query's matcher confirms
// each, as it does for alerts (unless the plan is exact: its candidates
// are the matches), and the stories of the matching items are ranked. A query the index cannot narrow (a regular expression alone,
// tag:, lang:, a negation in an OR) is answered by a scan of at most
// MaxSearchScan items, newest first.

// MaxSearchScan bounds how many items a search the index cannot narrow reads.
const MaxSearchScan = search.MaxScan

// ErrSearchCut means a search stopped before it read every item in its
// range (MaxSearchScan, or its context's deadline): its stories are the
// best matches of what it read.
var ErrSearchCut = search.ErrCut

// SearchRequest is one search.
type SearchRequest struct {
	Query *rules.Query
	Since time.Time // items published at or after; zero: all history
	Limit int       // at most this many stories; <= 0: all
	Feeds []Feed    // the configured feeds, whose tags and lang the query sees
	Now   time.Time // ranks recency; zero: the clock
}

// SearchStoryIDs returns the stories that have an item published at or
// after req.Since matching req.Query, best first (search.Stories). A
// search cut short by MaxSearchScan or by ctx's deadline returns the best
// of what it found and ErrSearchCut.
func SearchStoryIDs(ctx context.Context, db *store.DB, req SearchRequest) ([]int64, error) {
	fs := newFeedSet(req.Feeds)
	match := func(it *store.Item) bool { return req.Query.Match(itemDoc(&it.Item, fs.of(it.Feed))) }
	return search.Stories(ctx, db, req.Query.Plan(), req.Since, req.Now, req.Limit, match)
}

// Candidates calls fn for every item published at or after since that
// may match a query whose plan is plan, until fn returns an error (which
// it returns): the index's candidates (store.SearchItems with opts,
// newest stored first) when it can narrow the query; else, for PlanAll,
// every item, newest first, with all it stores and a relevance of 1, at
// most MaxSearchScan of them (then ErrSearchCut). Search and rules test
// read the items a query may match through it; the query's matcher
// confirms them (unless the plan is exact).
func Candidates(ctx context.Context, db *store.DB, plan *rules.Plan, since time.Time, opts store.SearchOptions, fn func(it *store.Item, rank float64) error) error {
	return search.Candidates(ctx, db, plan, since, opts, fn)
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
