package stories

import (
	"math"
	"slices"

	"github.com/wirewatch/wirewatch/feeds/stories/internal/hashsort"
	"github.com/wirewatch/wirewatch/feeds/stories/lex"
)

// Sketches: one-permutation MinHash bands, bottom-k sketches and their overlap.

// oph appends the LSH band keys of a one-permutation MinHash over the
// shingle hashes: bands×rows bins, each the minimum of the hashes falling in
// it; empty bins borrow from another bin chosen by a hash of their index
// (optimal densification, Shrivastava 2017), so that short texts get full
// signatures.
func (s *scratch) oph(out []uint32, bands, rows int) []uint32 {
	nb := bands * rows
	if len(s.hashes) == 0 || nb == 0 {
		return out
	}
	if cap(s.bins) < nb {
		s.bins = make([]uint32, nb)
	}
	bins := s.bins[:nb]
	for i := range bins {
		bins[i] = math.MaxUint32
	}
	filled := 0
	for _, h := range s.hashes {
		b := (h >> 32) * uint64(nb) >> 32
		v := uint32(h)
		if bins[b] == math.MaxUint32 {
			filled++
		}
		if v < bins[b] {
			bins[b] = v
		}
	}
	if filled < nb {
		s.orig = append(s.orig[:0], bins...) // densify from the original bins only
		orig := s.orig
		for i := range bins {
			if orig[i] != math.MaxUint32 {
				continue
			}
			for a := uint64(1); ; a++ {
				j := lex.Mix64(uint64(i)<<32|a) >> 32 * uint64(nb) >> 32
				if orig[j] != math.MaxUint32 {
					bins[i] = orig[j]
					break
				}
			}
		}
	}
	for b := 0; b < bands; b++ {
		h := uint64(b) * 0x9e3779b97f4a7c15
		for _, v := range bins[b*rows : (b+1)*rows] {
			h = lex.Mix64(h ^ uint64(v))
		}
		out = append(out, uint32(h))
	}
	return out
}

// bottomK appends to out the k smallest distinct values of hs, ascending.
// It may reorder hs.
func bottomK(out, hs []uint32, k int) []uint32 {
	if k <= 0 || len(hs) == 0 {
		return out
	}
	if len(hs) > 2*k {
		// The hashes are uniform: keep those under a threshold that should
		// let a few more than k through, widening it when too few pass.
		for t := uint64(k+k/4+8) * (1 << 32) / uint64(len(hs)); ; t *= 2 {
			n := 0
			for i, h := range hs {
				if uint64(h) < t {
					hs[n], hs[i] = h, hs[n]
					n++
				}
			}
			if n >= k || t >= 1<<32 {
				sub := hs[:n]
				hashsort.Sort(sub)
				sub = slices.Compact(sub)
				if len(sub) >= k || t >= 1<<32 {
					return append(out, sub[:min(k, len(sub))]...)
				}
			}
		}
	}
	hashsort.Sort(hs)
	hs = slices.Compact(hs)
	return append(out, hs[:min(k, len(hs))]...)
}

// sortedSet appends the distinct values of ks to out, sorted. It may
// reorder ks.
func sortedSet(out, ks []uint32) []uint32 {
	slices.Sort(ks)
	return append(out, slices.Compact(ks)...)
}

// sketchOverlap is what overlapFull says of two sketches. The counts are
// at most SketchSize (4,096 at most): int32, they make the maps of them
// (recordOverlaps) a fifth smaller.
type sketchOverlap struct {
	shared, na, nb int32
	mask           uint64
}

// overlapFull is overlap and overlapMask in one pass.
func overlapFull(a, b []uint32, k int) sketchOverlap {
	// The entries at most the cutoff, then a merge of them without
	// branches (which the processor guessed wrong half the time).
	o := cutoff(a, b, k)
	a, b = a[:o.na], b[:o.nb]
	for i, j := 0, 0; i < len(a) && j < len(b); {
		x, y := int64(a[i]), int64(b[j])
		di, dj := 1+(y-x)>>63, 1+(x-y)>>63 // 1 when x <= y, when y <= x
		eq := di & dj
		o.shared += int32(eq)
		o.mask |= uint64(eq) << uint(i) // 0 from the 64th entry on
		i, j = i+int(di), j+int(dj)
	}
	return o
}

// cutoff returns the overlap of two bottom-k sketches with only its
// sample counted: the entries of each at most the lesser of their k-th
// values (or all of one with fewer than k).
func cutoff(a, b []uint32, k int) sketchOverlap {
	t := uint32(math.MaxUint32)
	if len(a) >= k {
		t = a[len(a)-1]
	}
	if len(b) >= k && b[len(b)-1] < t {
		t = b[len(b)-1]
	}
	return sketchOverlap{na: int32(upTo(a, t)), nb: int32(upTo(b, t))}
}

// upTo returns how many entries of the ascending s are at most t.
func upTo(s []uint32, t uint32) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m] <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// overlap compares two bottom-k sketches of capacity k: it returns how many
// sampled hashes they share and how many each has below the common
// threshold. A sketch holding fewer than k hashes holds its whole set.
func overlap(a, b []uint32, k int) (shared, na, nb int) {
	o := overlapFull(a, b, k)
	return int(o.shared), int(o.na), int(o.nb)
}
