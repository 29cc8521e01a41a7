package stories

import (
	"math"
	"slices"
	"time"
)

// Candidates: the stories an item is scored against.

// recordHit is a record found for an item, with the weight of the key
// that found it.
type recordHit struct {
	r *record
	w float64
}

// candidates prepares the query and returns the stories to score: those
// of the items that share an LSH band or one of the item's rarest keys
// with it, inside the window, the most often found first.
func (g *Similar) candidates(fp *fingerprint, pub int64) []*storyState {
	win := int64(g.opts.Window / time.Second)
	width := g.bucketWidth()
	g.prepare(&g.qItem, fp, pub)
	found := g.sc.found[:0]
	anchors, weights := g.anchors(&g.qItem)
	for _, b := range g.buckets {
		if b.start+width < pub-win || b.start > pub+win || len(b.recs) == 0 {
			continue
		}
		b.lsh.Touch(fp.bands)
		for _, k := range fp.bands {
			if idx, ok := b.lsh.Get(k); ok {
				found = append(found, recordHit{b.recs[idx], bandHit})
			}
		}
		for i, k := range anchors {
			if idx, ok := b.keys.Get(k); ok {
				found = append(found, recordHit{b.recs[idx], weights[i]})
			}
		}
	}
	g.sc.found = found
	g.sc.sink = uint32(touchHits(found))
	g.hits.reset()
	for _, h := range found {
		if !h.r.dead {
			g.hits.add(h.r.st, h.w)
		}
	}
	// The maxCandidates first in order of weight, then id: kept in order
	// as the stories go by, since the rest need no order.
	g.cand = g.cand[:0]
	for _, c := range g.hits.list {
		if pub-c.st.latest > win || c.st.first-pub > win {
			continue
		}
		if len(g.cand) == maxCandidates && !before(c, g.cand[maxCandidates-1]) {
			continue
		}
		i := len(g.cand)
		if i < maxCandidates {
			g.cand = append(g.cand, c)
		} else {
			i--
		}
		for ; i > 0 && before(c, g.cand[i-1]); i-- {
			g.cand[i] = g.cand[i-1]
		}
		g.cand[i] = c
	}
	out := g.sc.cands[:0]
	for _, c := range g.cand[:min(len(g.cand), maxCandidates)] {
		out = append(out, c.st)
	}
	g.sc.cands = out
	return out
}

// before reports whether candidate a comes before b: the greater weight
// first, then the lower id.
func before(a, b candidate) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.st.id < b.st.id
}

// anchors returns the keys of the query's item to look up in the index,
// rarest first, and their weights.
func (g *Similar) anchors(q *query) ([]uint32, []float64) {
	// Sort keys by story count: count in the high bits, key in the low.
	// An anchor is one of the item's keys, whose count prepare has read.
	ks := g.sc.anchors[:0]
	for _, k := range q.fp.anchors {
		if i := q.find(k); i >= 0 && q.df[i] > 0 { // keys no story holds find nothing
			ks = append(ks, uint64(q.df[i])<<32|uint64(k))
		}
	}
	slices.Sort(ks)
	ks = slices.Compact(ks) // a name the item repeats is one key to look up
	g.sc.anchors = ks
	out, ws := g.sc.keys[:0], g.sc.weights[:0]
	logN := math.Log(float64(len(g.stories)) + 1 + g.tune.dfPrior)
	for _, k := range ks[:min(len(ks), queryAnchors)] {
		out = append(out, uint32(k))
		ws = append(ws, g.tune.weightLog(uint32(k), int32(k>>32), logN))
	}
	g.sc.keys, g.sc.weights = out, ws
	return out, ws
}
