package stories

import "github.com/wirewatch/wirewatch/feeds/stories/internal/tables"

// The query's sketch against the sketches of the members it is compared
// with: each member's entries looked up in a table of the query's, which
// costs a lookup per entry of one side where a merge of the two sorted
// sketches takes a step per entry of both, each waiting on the last.

// sketchOverlap is overlapFull(q.fp.sketch, b, k), which it equals field
// for field: sketches hold distinct values, so the entries the merge
// finds equal are those of b found in the query's.
func (q *query) sketchOverlap(b []uint32, k int) sketchOverlap {
	o := cutoff(q.fp.sketch, b, k)
	if !q.skReady {
		q.sketchTable()
	}
	tab := q.sk
	mask := uint32(len(tab) - 1)
	for _, v := range b[:o.nb] {
		for s := v & mask; ; s = (s + 1) & mask {
			e := tab[s]
			if e == 0 {
				break
			}
			if uint32(e>>32) == v {
				// An entry of b in the sample equals one of a in it.
				o.shared++
				o.mask |= 1 << (uint32(e) - 1) // 0 from the 64th entry on
				break
			}
		}
	}
	return o
}

// sketchTable fills the open-addressing table of the query's sketch:
// value<<32 | index+1 (0: empty), at the slot of the value's low bits (the
// values are hashes).
func (q *query) sketchTable() {
	q.sk = tables.Open(q.sk, 4*len(q.fp.sketch))
	mask := uint32(len(q.sk) - 1)
	for i, v := range q.fp.sketch {
		s := v & mask
		for q.sk[s] != 0 {
			s = (s + 1) & mask
		}
		q.sk[s] = uint64(v)<<32 | uint64(i+1)
	}
	q.skReady = true
}
