package sorted

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestUnion: Union yields what sorting and compacting both lists gives,
// on random lists.
func TestUnion(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	list := func() []int {
		var l []int
		for range r.IntN(8) {
			l = append(l, r.IntN(12))
		}
		slices.Sort(l)
		return slices.Compact(l)
	}
	for range 1000 {
		a, b := list(), list()
		want := slices.Compact(slices.Sorted(slices.Values(slices.Concat(a, b))))
		if got := slices.Collect(Union(a, b)); !slices.Equal(got, want) {
			t.Fatalf("Union(%v, %v) = %v, want %v", a, b, got, want)
		}
	}
}
