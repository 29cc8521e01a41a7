// Package hashsort sorts hashes: values spread evenly over a range, which
// a bucket sort orders in a few passes without the comparisons a
// comparison sort cannot predict, half of which it guesses wrong.
package hashsort

import (
	"math/bits"
	"slices"
)

// maxBucketed is the most values Sort bucket-sorts, on the stack; longer
// slices, rare, are sorted as any.
const maxBucketed = 256

// Sort sorts s in ascending order. It is fast when the values are spread
// evenly over [0, max(s)] (hashes, or hashes shifted left); any values
// come out sorted.
func Sort[T uint32 | uint64](s []T) {
	n := len(s)
	if n > maxBucketed {
		slices.Sort(s)
		return
	}
	if n < 2 {
		return
	}
	var top T
	for _, v := range s {
		top = max(top, v)
	}
	// Buckets: the top logB bits of the values' width, about one value
	// per bucket.
	logB := bits.Len(uint(n - 1))
	shift := max(bits.Len64(uint64(top))-logB, 0)
	var count [maxBucketed]uint16
	for _, v := range s {
		count[v>>shift]++
	}
	// Each bucket's start, the sum in a register.
	var sum uint16
	for b, c := range count[:1<<logB] {
		count[b] = sum
		sum += c
	}
	var tmp [maxBucketed]T
	for _, v := range s {
		b := v >> shift
		tmp[count[b]] = v
		count[b]++
	}
	// The buckets are in order; an insertion sort orders each one, a
	// value or two, in place.
	out := tmp[:n]
	for i := 1; i < n; i++ {
		v := out[i]
		j := i
		for ; j > 0 && out[j-1] > v; j-- {
			out[j] = out[j-1]
		}
		out[j] = v
	}
	copy(s, out)
}
