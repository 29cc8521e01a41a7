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

// norms are the norms of a record's key vector, of its names, title
// words, numbers, lead words and speakers.
type norms struct{ all, names, title, nums, lead, spk, leadNames float64 }

// add adds w2, the square of the weight of key k of these kinds, to the
// sums the key belongs to.
// Without branches (only), which the kinds, all but random, defeat.
func (x *norms) add(k uint32, kind uint8, w2 float64) {
	x.all += w2
	x.names += only(kind&keyName, w2)
	x.title += only(kind&keyTitle, w2)
	x.lead += only(kind&keyLead, w2)
	x.spk += only(kind&keySpeaker, w2)
	x.leadNames += only(leadName(kind), w2)
	x.nums += only(uint8(k&1), w2)
}

// sqrt returns the norms of sums of squares.
func (x norms) sqrt() norms {
	return norms{math.Sqrt(x.all), math.Sqrt(x.names), math.Sqrt(x.title), math.Sqrt(x.nums), math.Sqrt(x.lead), math.Sqrt(x.spk), math.Sqrt(x.leadNames)}
}
