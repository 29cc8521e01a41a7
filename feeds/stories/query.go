package stories

import (
	"math"

	"github.com/wirewatch/wirewatch/feeds/stories/internal/tables"
)

// query is an item being assigned: its fingerprint and the weights of its
// keys against the index as it is.
type query struct {
	fp  *fingerprint
	pub int64     // unix seconds
	w   []float64 // weight of each key of fp.keys
	// wo is the weight of each key when shared with a candidate story:
	// its rarity among the other stories. A key that only the candidate
	// holds is the rarest evidence there is, not a common word, which a
	// young index (one story, holding every shared key) would make it.
	wo       []float64
	df       []int32                  // the story count of each key of fp.keys
	n        norms                    // of its key vectors (weights w)
	all      kindSums                 // its keys' squared weights w, by kinds
	found    []uint64                 // bit set over fp.keys: held by a member compared
	overlaps map[uint64]sketchOverlap // sketches compared, by record.seq: own, or its record's (recordQuery)
	own      map[uint64]sketchOverlap // an item's
	table    []uint64                 // open addressing: key<<32 | index+1 into fp.keys
	sk       []uint64                 // open addressing: fp.sketch's values (overlap.go)
	skReady  bool                     // sk holds fp.sketch
	// leadPrior is what revLead adds to a member's squared lead norm:
	// leadPrior times the squared weight of a key no other story holds.
	leadPrior float64
}

// find returns the index of a key in the query's keys, or -1.
func (q *query) find(k uint32) int {
	mask := uint32(len(q.table) - 1)
	for i := (k >> 1) & mask; ; i = (i + 1) & mask {
		e := q.table[i]
		if e == 0 {
			return -1
		}
		if uint32(e>>32) == k {
			return int(uint32(e)) - 1
		}
	}
}

// prepare computes the query's key weights and makes it the query scored.
func (g *Similar) prepare(q *query, fp *fingerprint, pub int64) {
	g.q = q
	q.fp, q.pub, q.skReady = fp, pub, false
	q.clearFound()
	if q.own == nil {
		q.own = make(map[uint64]sketchOverlap)
	}
	clear(q.own)
	q.overlaps = q.own
	q.w, q.wo, q.df = q.w[:0], q.wo[:0], q.df[:0]
	logN := math.Log(float64(len(g.stories)) + 1 + g.tune.dfPrior)
	logNo := math.Log(float64(max(len(g.stories)-1, 0)) + 1 + g.tune.dfPrior)
	rare := logNo - math.Log(g.tune.dfPrior)
	q.leadPrior = leadPrior * rare * rare
	sums := &q.all
	clear(sums[:])
	for i, k := range fp.keys {
		df := g.df.Get(k)
		q.df = append(q.df, df)
		w := g.tune.weightLog(k, df, logN)
		q.w = append(q.w, w)
		q.wo = append(q.wo, g.tune.weightLog(k, max(df-1, 0), logNo))
		sums.add(k, fp.kinds[i], w*w)
	}
	q.n = sums.norms().sqrt()

	q.table = tables.Open(q.table, 4*len(fp.keys))
	mask := uint32(len(q.table) - 1)
	for idx, k := range fp.keys {
		i := (k >> 1) & mask
		for q.table[i] != 0 {
			i = (i + 1) & mask
		}
		q.table[i] = uint64(k)<<32 | uint64(idx+1)
	}
}

// clearFound empties the set of keys found, sized to the query.
func (q *query) clearFound() {
	n := (len(q.fp.keys) + 63) / 64
	if cap(q.found) < n {
		q.found = make([]uint64, n)
	}
	q.found = q.found[:n]
	clear(q.found)
}
