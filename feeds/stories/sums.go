package stories

import "math"

// only returns w when bit is not 0, else +0, without a branch. Added to a
// sum of non-negative terms, which is never −0, +0 leaves it as it was to
// the bit, so that a sum of only(…) terms is the sum of the terms kept.
func only(bit uint8, w float64) float64 {
	m := -uint64(min(bit, 1)) // all ones, or 0
	return math.Float64frombits(math.Float64bits(w) & m)
}

// leadName returns keyName's bit when a key of these kinds is a name or
// number of the title or the lead, else 0 (keyTitle and keyLead are the
// two bits above keyName's).
func leadName(kind uint8) uint8 {
	return kind & keyName & (kind>>1 | kind>>2)
}
