// Package sorted walks sorted lists without building new ones.
package sorted

import (
	"cmp"
	"iter"
)

// Union yields the values of a and b, each sorted and without repeats, in
// order and once each (a value in both is yielded once).
func Union[T cmp.Ordered](a, b []T) iter.Seq[T] {
	return func(yield func(T) bool) {
		i, j := 0, 0
		for i < len(a) || j < len(b) {
			var v T
			switch {
			case j == len(b) || i < len(a) && a[i] < b[j]:
				v, i = a[i], i+1
			case i == len(a) || b[j] < a[i]:
				v, j = b[j], j+1
			default: // in both
				v, i, j = a[i], i+1, j+1
			}
			if !yield(v) {
				return
			}
		}
	}
}
