package stories

import (
	"math"
	"slices"
	"testing"
)

// mergeOverlap is overlapFull as a plain merge with branches: the reference.
func mergeOverlap(a, b []uint32, k int) sketchOverlap {
	t := uint32(math.MaxUint32)
	if len(a) >= k {
		t = a[len(a)-1]
	}
	if len(b) >= k && b[len(b)-1] < t {
		t = b[len(b)-1]
	}
	var o sketchOverlap
	i, j := 0, 0
	for i < len(a) && j < len(b) && a[i] <= t && b[j] <= t {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			o.shared++
			if i < 64 {
				o.mask |= 1 << i
			}
			i++
			j++
		}
	}
	for i < len(a) && a[i] <= t {
		i++
	}
	for j < len(b) && b[j] <= t {
		j++
	}
	o.na, o.nb = int32(i), int32(j)
	return o
}

// FuzzOverlapFullAgreesWithMerge: the branch-free merge gives what the
// plain one gives, on sketches (ascending, distinct) of any sizes.
func FuzzOverlapFullAgreesWithMerge(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6}, []byte{3, 4, 5, 6, 7, 8}, uint8(2))
	f.Add([]byte{}, []byte{1}, uint8(1))
	f.Add(make([]byte, 400), []byte{0, 0, 0, 0, 9, 9, 9, 9}, uint8(64))
	f.Fuzz(func(t *testing.T, ra, rb []byte, k uint8) {
		sketch := func(raw []byte) []uint32 {
			var s []uint32
			for i := 0; i+1 < len(raw); i += 2 {
				s = append(s, uint32(raw[i])<<8|uint32(raw[i+1])) // small values: many shared
			}
			slices.Sort(s)
			s = slices.Compact(s)
			return s[:min(len(s), max(int(k), 1))]
		}
		a, b := sketch(ra), sketch(rb)
		kk := max(int(k), 1)
		if got, want := overlapFull(a, b, kk), mergeOverlap(a, b, kk); got != want {
			t.Errorf("overlapFull(%v, %v, %d) = %+v, want %+v", a, b, kk, got, want)
		}
	})
}
