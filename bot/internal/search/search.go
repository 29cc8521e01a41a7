// Package search finds and ranks the stories whose items match a query,
// for bot's search (Stories): the index's candidates (Candidates), only
// those of the stories that may make a page when there is a limit (top),
// each confirmed by the caller's matcher, and the stories ranked (rank).
package search

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

// MaxScan bounds how many items a search the index cannot narrow reads.
const MaxScan = 500_000

// ErrCut means a search stopped before it read every item in its range
// (MaxScan, or its context's deadline): its stories are the best matches
// of what it read.
var ErrCut = errors.New("search stopped early: narrow it with more words or a shorter since")

// storyMap is the stories a search found, by id.
type storyMap map[int64]*storyHits

// storyHits is what a search gathers of one story.
type storyHits struct {
	id     int64
	rel    float64 // its best item's relevance (index rank; 1 when scanned)
	score  float64
	newest time.Time // its newest matching item's date, then its latest item's
}

// found records that it matched, with the index's relevance rank.
func (h storyMap) found(it *store.Item, rank float64) {
	sh := h[it.StoryID]
	if sh == nil {
		sh = &storyHits{id: it.StoryID}
		h[it.StoryID] = sh
	}
	sh.rel = max(sh.rel, rank)
	if it.Published.After(sh.newest) {
		sh.newest = it.Published
	}
}

// Stories returns the stories that have an item published at or after
// since that the index finds for plan and match confirms (unless the plan
// is exact), best first (see rank), at most limit (<= 0: all); now ranks
// recency (zero: the clock). A search cut short by MaxScan or by ctx's
// deadline returns the best of what it found and ErrCut.
func Stories(ctx context.Context, db *store.DB, plan *rules.Plan, since, now time.Time, limit int, match func(*store.Item) bool) ([]int64, error) {
	hits := storyMap{}
	// An exact plan's candidates are its matches: the matcher would
	// confirm every one, so their text is not even read.
	exact := plan.Exact && plan.Op != rules.PlanAll
	take := func(it *store.Item, rank float64) error {
		if exact {
			hits.found(it, rank)
			return ctx.Err()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if match(it) {
			hits.found(it, rank)
		}
		return nil
	}
	var err error
	if plan.Op != rules.PlanAll && limit > 0 {
		err = top(ctx, db, plan, since, cmp.Or(now, time.Now()), limit, hits, take)
	} else {
		err = Candidates(ctx, db, plan, since, store.SearchOptions{Text: !exact, Rank: true}, take)
	}
	// The driver may report a deadline as its own "interrupted" error.
	cut := errors.Is(err, ErrCut) || err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded)
	if err != nil && !cut {
		return nil, fmt.Errorf("search: %w", err)
	}
	// Ranking reads a little more; a search whose budget is spent ranks
	// what it found in a second more.
	rctx := ctx
	if cut {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
	}
	ids := rank(rctx, db, hits, cmp.Or(now, time.Now()), limit)
	if cut {
		return ids, ErrCut
	}
	return ids, nil
}

// top finds, for a search with a limit, the matches of the stories
// that may make its page, and no others: ranking by the index (bm25 reads
// each candidate's column sizes), confirming with the matcher and even
// joining a candidate to its story are most of a search's time, and a
// common word has tens of thousands of candidates. A story's score before
// its outlets is relevance (0.5–1) × recency, so one whose newest
// candidate is less recent than half the recency of the k-th best story
// found (rerankFor) cannot be among the k best. Candidates are read newest
// stored first (candidates), a chunk at a time, only as far back as such a
// story may lie; stories are confirmed and ranked, newest candidate first,
// in rounds, until none of those left could make the k best. take confirms
// a candidate and records it in hits.
func top(ctx context.Context, db *store.DB, plan *rules.Plan, since, now time.Time, limit int, hits storyMap,
	take func(*store.Item, float64) error) error {
	recency := func(t time.Time) float64 {
		return 1 / (1 + float64(max(now.Sub(t), 0))/float64(recencyScale))
	}
	cands := &candidates{db: db, plan: plan, since: since, chunk: firstCandidates, at: map[int64]int{}}
	if err := cands.more(ctx); err != nil {
		return err
	}
	k := rerankFor(limit)
	opts := store.SearchOptions{Text: !plan.Exact, Rank: true}
	read := map[int64]bool{} // the stories whose candidates were read
	var newest []time.Time   // the newest match of every story found
	for {
		left := cands.sorted(read)
		// The bar a story's best possible score must reach: half the
		// recency of the k-th story found (the least it scores); until k
		// are found, as if enough of the next ones matched, and at least
		// as many as were read (the matcher may reject most candidates).
		bar := 0.0
		if len(newest) >= k {
			slices.SortFunc(newest, func(a, b time.Time) int { return b.Compare(a) })
			bar = recency(newest[k-1]) / 2
		} else if i := max(k-len(newest), len(read)) - 1; i < len(left) {
			bar = recency(left[i].newest) / 2
		}
		// Stories whose newest candidate is older than cands.covered may
		// be missing: read further back when the bar may reach them.
		if !cands.done && (bar == 0 || recency(cands.covered) >= bar) {
			if err := cands.more(ctx); err != nil {
				return err
			}
			continue
		}
		end := 0
		for end < len(left) && recency(left[end].newest) >= bar {
			end++
		}
		if end == 0 {
			return nil // no story left can make the k best
		}
		opts.Stories = make([]int64, end)
		for i, c := range left[:end] {
			opts.Stories[i] = c.story
			read[c.story] = true
		}
		if err := db.SearchItems(ctx, plan, since, opts, take); err != nil {
			return err
		}
		newest = newest[:0]
		for _, h := range hits {
			newest = append(newest, h.newest)
		}
	}
}

// Candidates calls fn for every item published at or after since that
// may match a query whose plan is plan, until fn returns an error (which
// it returns): the index's candidates (store.SearchItems with opts,
// newest stored first) when it can narrow the query; else, for PlanAll,
// every item, newest first, with all it stores and a relevance of 1, at
// most MaxScan of them (then ErrCut).
func Candidates(ctx context.Context, db *store.DB, plan *rules.Plan, since time.Time, opts store.SearchOptions, fn func(it *store.Item, rank float64) error) error {
	if plan.Op != rules.PlanAll {
		return db.SearchItems(ctx, plan, since, opts, fn)
	}
	scanned := 0
	return db.ScanItems(ctx, since, func(it *store.Item) error {
		if scanned++; scanned > MaxScan {
			return ErrCut
		}
		return fn(it, 1)
	})
}

// top reads candidates firstCandidates at first, 4 times more each
// time after.
const firstCandidates = 2000

// dateSkew bounds how much later than it was first stored an item may be
// dated: feeds take a date more than a day ahead for none (feeds.Parse),
// and a day more allows for the clock.
const dateSkew = 48 * time.Hour

// candidates are a query's candidates, read from the newest stored back,
// a chunk at a time, grouped by story.
type candidates struct {
	db    *store.DB
	plan  *rules.Plan
	since time.Time
	chunk int

	list    []storyCandidate
	at      map[int64]int // story → its index in list
	below   int64         // the next chunk has lower ids than this (0: from the newest)
	covered time.Time     // every story with a candidate dated at or after this is in list, with its newest
	done    bool          // every candidate was read
}

// storyCandidate is a story and the newest date of its candidates.
type storyCandidate struct {
	story  int64
	newest time.Time
}

// more reads the next chunk of candidates. Items are stored with growing
// ids, and dated at most dateSkew after they were first stored: those with
// lower ids than the chunk's last one are dated at most dateSkew after it
// was first stored, which the stories so far cover.
func (c *candidates) more(ctx context.Context) error {
	n := 0
	var last int64
	err := c.db.SearchItems(ctx, c.plan, c.since, store.SearchOptions{Below: c.below, Max: c.chunk}, func(it *store.Item, _ float64) error {
		n++
		last = it.RowID
		if i, ok := c.at[it.StoryID]; ok {
			if it.Published.After(c.list[i].newest) {
				c.list[i].newest = it.Published
			}
			return nil
		}
		c.at[it.StoryID] = len(c.list)
		c.list = append(c.list, storyCandidate{story: it.StoryID, newest: it.Published})
		return nil
	})
	if err != nil {
		return err
	}
	if n < c.chunk {
		c.done, c.covered = true, time.Time{}
		return nil
	}
	seen, err := c.db.FirstSeen(ctx, last)
	if err != nil {
		return err
	}
	c.below, c.covered = last, seen.Add(dateSkew)
	c.chunk *= 4
	return nil
}

// sorted returns the stories not in skip, newest candidate first.
func (c *candidates) sorted(skip map[int64]bool) []storyCandidate {
	out := make([]storyCandidate, 0, len(c.list)-len(skip))
	for _, sc := range c.list {
		if !skip[sc.story] {
			out = append(out, sc)
		}
	}
	slices.SortFunc(out, func(a, b storyCandidate) int {
		if c := b.newest.Compare(a.newest); c != 0 {
			return c
		}
		return cmp.Compare(b.story, a.story)
	})
	return out
}

// recencyScale is the age at which recency halves a story's score.
const recencyScale = 30 * 24 * time.Hour

// rerankFor is how many stories, the best by relevance and the dates of
// their matching items, are ranked with their outlets and latest date when
// a search wants at most limit stories: 4×limit, at least 50. Outlets
// weigh 1 + ln(outlets): few stories beyond those have enough of them to
// overtake the page's.
func rerankFor(limit int) int { return max(50, 4*limit) }

// rank orders the stories found, best first, at most limit (<= 0: all). A
// story's score is its relevance (the index's rank of its best matching
// item, scaled to 0.5–1 of the best; 1 when scanned) × its recency,
// 1/(1 + age/recencyScale) of its latest item × its outlets' weight,
// 1 + ln(outlets). Counting every matching story's outlets would cost more
// than the search: with a limit, only the rerank best by relevance and the
// date of their newest matching item are scored with them.
func rank(ctx context.Context, db *store.DB, hits storyMap, now time.Time, limit int) []int64 {
	list := make([]*storyHits, 0, len(hits))
	best := 0.0
	for _, h := range hits {
		list = append(list, h)
		best = max(best, h.rel)
	}
	score := func(h *storyHits, outlets int) float64 {
		rel := 1.0
		if best > 0 {
			rel = 0.5 + 0.5*h.rel/best // index ranks differ less than they seem
		}
		age := max(now.Sub(h.newest), 0)
		return rel / (1 + float64(age)/float64(recencyScale)) * (1 + math.Log(float64(max(outlets, 1))))
	}
	order := func(a, b *storyHits) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := b.newest.Compare(a.newest); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	}
	if k := rerankFor(limit); limit > 0 && len(list) > k {
		for _, h := range list {
			h.score = score(h, 1)
		}
		slices.SortFunc(list, order)
		list = list[:k]
	}
	ids := make([]int64, len(list))
	for i, h := range list {
		ids[i] = h.id
	}
	stats, err := db.StoryStats(ctx, ids)
	if err != nil {
		stats = nil // rank by what the items tell
	}
	for _, h := range list {
		outlets := 1
		if st, ok := stats[h.id]; ok {
			outlets, h.newest = st.Outlets, st.Updated
		}
		h.score = score(h, outlets)
	}
	slices.SortFunc(list, order)
	ids = ids[:0]
	for _, h := range list {
		if stats != nil {
			if _, ok := stats[h.id]; !ok {
				continue // pruned meanwhile
			}
		}
		if limit > 0 && len(ids) == limit {
			break
		}
		ids = append(ids, h.id)
	}
	return ids
}
