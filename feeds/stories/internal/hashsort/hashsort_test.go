package hashsort

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSort checks Sort against slices.Sort on hashes, hashes shifted and
// masked, duplicates, small values and lengths on both sides of the
// bucketed limit.
func TestSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 7, 64, 100, 255, 256, 257, 1000} {
		for _, tc := range []struct {
			name string
			gen  func() uint64
		}{
			{"hash", r.Uint64},
			{"shifted", func() uint64 { return uint64(r.Uint32())<<8 | uint64(r.IntN(16)) }},
			{"small", func() uint64 { return uint64(r.IntN(5)) }},
			{"zero", func() uint64 { return 0 }},
			{"under", func() uint64 { return uint64(r.Uint32() >> 11) }},
		} {
			s64 := make([]uint64, n)
			s32 := make([]uint32, n)
			for i := range s64 {
				s64[i] = tc.gen()
				s32[i] = uint32(s64[i])
			}
			w64, w32 := slices.Clone(s64), slices.Clone(s32)
			slices.Sort(w64)
			slices.Sort(w32)
			Sort(s64)
			Sort(s32)
			if !slices.Equal(s64, w64) || !slices.Equal(s32, w32) {
				t.Errorf("%s, %d values: not sorted", tc.name, n)
			}
		}
	}
}

func BenchmarkSort(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	src := make([][]uint32, 1000)
	for i := range src {
		src[i] = make([]uint32, 100)
		for j := range src[i] {
			src[i][j] = r.Uint32()
		}
	}
	s := make([]uint32, 100)
	b.Run("hashsort", func(b *testing.B) {
		i := 0
		for b.Loop() {
			copy(s, src[i%len(src)])
			Sort(s)
			i++
		}
	})
	b.Run("slices", func(b *testing.B) {
		i := 0
		for b.Loop() {
			copy(s, src[i%len(src)])
			slices.Sort(s)
			i++
		}
	})
}
