package stories

import (
	"cmp"
	"slices"
	"time"
)

// Consolidation: online grouping decides each item against the stories of
// the moment, so what forms depends on the order items arrive in. After an
// ingest, the stories that got items are compared again, story against
// story, with those their items came close to; the best pairs that clear
// the merge score are merged until none does.

// Consolidator is a Joiner that consolidates: once an ingest is done, the
// caller asks NextJoin for a pair of stories to merge, merges it (a story
// a person split stays apart) and reports the merge with Merged, or the
// refusal with Declined, and asks again until NextJoin says the pass is
// done. The pass looks at the stories that got items (Added) since the
// last pass, and at the stories merged meanwhile.
type Consolidator interface {
	Joiner
	// NextJoin returns the pair of stories most likely to report one
	// event among those the pass looks at, when it clears the merge
	// score; ok is false when none does, which ends the pass.
	NextJoin() (into, from int64, ok bool)
	// Declined records that the two stories may not be merged.
	Declined(into, from int64)
}

var _ Consolidator = (*Similar)(nil)

// maxNear is the most candidate stories remembered per story: those an
// item scored above 0 against (one its drift guard let through).
const maxNear = 8

// pairKey is an unordered pair of stories, the lower id first.
type pairKey [2]int64

func keyOf(a, b int64) pairKey {
	if a > b {
		a, b = b, a
	}
	return pairKey{a, b}
}

// pairScore is a pair's score, for the versions of its stories it was
// computed at.
type pairScore struct {
	va, vb uint32
	s      float64
}

// addNear remembers that story st came close to the story of record r:
// the two are compared when st gets items.
func addNear(st *storyState, r *record) {
	for _, m := range st.near {
		if m == r || m.st == r.st && !m.dead {
			return
		}
	}
	if len(st.near) < maxNear {
		st.near = append(st.near, r)
	}
}

// noteAdded marks the story an item was added to for the next pass and,
// when the item was assigned, remembers the candidate stories it scored
// above 0 against as near stories, both ways. r is the item's record
// (dead when the index let it go at once).
func (g *Similar) noteAdded(storyID int64, r *record, assigned bool) {
	st := g.stories[storyID]
	if st == nil {
		return
	}
	if assigned && !r.dead {
		for i, c := range g.xcands {
			if c != st && g.stories[c.id] == c && len(c.members) > 0 && g.sc.scores[i] > 0 {
				addNear(st, c.members[0])
				addNear(c, r)
			}
		}
	}
	g.touch(st)
}

// touch marks a story for the next consolidation pass.
func (g *Similar) touch(st *storyState) {
	st.ver++
	if !st.touched {
		st.touched = true
		g.touched = append(g.touched, st)
	}
}

// NextJoin implements Consolidator.
func (g *Similar) NextJoin() (into, from int64, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.active == nil {
		g.active = make(map[*storyState]bool)
		g.pairs = make(map[pairKey]pairScore)
		g.sc.active = g.sc.active[:0]
	}
	// g.sc.active holds g.active's stories by id, kept from call to call
	// of a pass: the stories touched since join it, the dead leave it.
	act, added := g.sc.active, false
	for _, st := range g.touched {
		st.touched = false
		if !g.active[st] {
			g.active[st] = true
			act, added = append(act, st), true
		}
	}
	g.touched = g.touched[:0]
	g.call++
	g.inCall = true
	defer func() { g.inCall = false }()
	bar := g.mergeThreshold()
	win := int64(g.opts.Window / time.Second)
	live := act[:0]
	for _, st := range act {
		if g.stories[st.id] != st {
			delete(g.active, st)
			continue
		}
		live = append(live, st)
	}
	act = live
	if added {
		slices.SortFunc(act, func(a, b *storyState) int { return cmp.Compare(a.id, b.id) })
	}
	g.sc.active = act
	var best pairKey
	top := 0.0
	for _, a := range act {
		for _, r := range a.near {
			b := r.st
			if r.dead || b == a || g.stories[b.id] != b || b.first-a.latest > win || a.first-b.latest > win {
				continue
			}
			k := keyOf(a.id, b.id)
			if g.declined[k] {
				continue
			}
			s := g.pairScoreOf(a, b, k)
			if s >= bar && (s > top || s == top && (k[0] < best[0] || k[0] == best[0] && k[1] < best[1])) {
				best, top = k, s
			}
		}
	}
	if top == 0 {
		g.passTick = g.tick
		clear(g.active)
		clear(g.pairs)
		clear(g.sc.active) // no stories kept alive by it
		g.sc.active = g.sc.active[:0]
		return 0, 0, false
	}
	return best[0], best[1], true
}

// maxOverlapRecords bounds the records whose sketch overlaps are kept,
// under 10 MB: with 2,048, the capacity bench's passes emptied them so
// often that the background still took half of consolidation.
const maxOverlapRecords = 8192

// recordOverlaps returns the sketch overlaps of record r as a query with
// the records it was compared with, for the query made of r to keep. They
// are kept from pass to pass (until Forget takes sketches away): a record's
// sketch never changes, and the next pass compares the members of a story
// that got an item with much the same stories' members again.
func (g *Similar) recordOverlaps(r *record) map[uint64]sketchOverlap {
	m := g.overlaps[r.seq]
	if m == nil {
		if g.overlaps == nil || len(g.overlaps) >= maxOverlapRecords {
			g.overlaps = make(map[uint64]map[uint64]sketchOverlap)
		}
		m = make(map[uint64]sketchOverlap)
		g.overlaps[r.seq] = m
	}
	return m
}

// Declined implements Consolidator.
func (g *Similar) Declined(into, from int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.declined == nil {
		g.declined = make(map[pairKey]bool)
	}
	g.declined[keyOf(into, from)] = true
}

// mergeThreshold is the story-against-story score at which a pass merges.
func (g *Similar) mergeThreshold() float64 { return g.tune.merge }

// pairScoreOf returns the pair's score, from the cache while neither story
// changed.
func (g *Similar) pairScoreOf(a, b *storyState, k pairKey) float64 {
	if a.id != k[0] {
		a, b = b, a
	}
	if c, ok := g.pairs[k]; ok && c.va == a.ver && c.vb == b.ver {
		return c.s
	}
	s := g.storiesScore(a, b)
	g.pairs[k] = pairScore{a.ver, b.ver, s}
	return s
}

// storiesScore is the symmetric score of two stories: each side's members
// compared (its core and latest ones) scored as new items against the
// other story as a whole, averaged per side, the two sides averaged. When
// one side scores too low for the pair to reach the merge score whatever
// the other says, the other is not scored and the bound is returned: most
// pairs a pass looks at are far apart.
func (g *Similar) storiesScore(a, b *storyState) float64 {
	bar := g.mergeThreshold()
	ab := g.sideScore(a, b, 2*bar-1)
	if bound := (ab + 1) / 2; bound < bar {
		return bound
	}
	return (ab + g.sideScore(b, a, 2*bar-ab)) / 2
}

// sideScore is the mean score of a's members compared against story b;
// the background is what b and the other stories near a share. Once the
// members left cannot bring the mean up to need, it returns what the mean
// would be if they all scored 1.
func (g *Similar) sideScore(a, b *storyState, need float64) float64 {
	ms := append(g.sc.side[:0], g.compared(a)...)
	g.sc.side = ms
	others := append(g.sc.others[:0], b)
	for _, r := range a.near {
		if c := r.st; !r.dead && c != a && c != b && g.stories[c.id] == c && !slices.Contains(others, c) && len(others) < maxCandidates {
			others = append(others, c)
		}
	}
	g.sc.others = others
	sum, n := 0.0, float64(len(ms))
	for i, r := range ms {
		sum += g.recordScore(r, b, others)
		if most := (sum + n - float64(i+1)) / n; most < need {
			return most
		}
	}
	return sum / n
}
