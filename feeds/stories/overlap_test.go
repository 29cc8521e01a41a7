package stories

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQuerySketchOverlap checks that the query's table lookup says what
// the merge of overlapFull says, on sketches of sets that share some,
// most or none of their elements, full or not.
func TestQuerySketchOverlap(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	set := func(n int) []uint32 {
		s := make([]uint32, n)
		for i := range s {
			s[i] = r.Uint32()
		}
		return s
	}
	for _, k := range []int{64, 16, 200} {
		for range 500 {
			a := set(r.IntN(400))
			b := set(r.IntN(400))
			if n := r.IntN(len(a) + 1); n > 0 {
				b = append(b, a[:r.IntN(n)+1]...) // shared elements
			}
			var q query
			q.fp = &fingerprint{sketch: bottomK(nil, slices.Clone(a), k)}
			sb := bottomK(nil, slices.Clone(b), k)
			if got, want := q.sketchOverlap(sb, k), overlapFull(q.fp.sketch, sb, k); got != want {
				t.Fatalf("k %d: got %+v, want %+v", k, got, want)
			}
		}
	}
}
