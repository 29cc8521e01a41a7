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

// kindSums are sums of squared key weights, one for each set of kinds a
// key may have and whether it is a number: a key adds to one of them, and
// norms adds them up into the seven sums once, rather than every key to
// the seven.
type kindSums [1 << (keyKinds + 1)]float64

// add adds w2, the square of the weight of key k of these kinds.
func (s *kindSums) add(k uint32, kind uint8, w2 float64) {
	s[(kind&(1<<keyKinds-1))|uint8(k&1)<<keyKinds] += w2
}

// norms returns the sums of squares each norm is the root of.
func (s *kindSums) norms() norms {
	// By kinds, numbers and words together; then each kind's sets.
	var t [1 << keyKinds]float64
	for i := range t {
		t[i] = s[i] + s[i+len(t)]
	}
	var nums float64
	for _, w := range s[len(t):] {
		nums += w
	}
	// Sets of kinds by their lower two bits (name, title), then whole.
	var q [4]float64
	for i := range q {
		q[i] = t[i] + t[i+4] + t[i+8] + t[i+12]
	}
	lead := t[4] + t[5] + t[6] + t[7] + t[12] + t[13] + t[14] + t[15]
	spk := t[8] + t[9] + t[10] + t[11] + t[12] + t[13] + t[14] + t[15]
	// A name of the title or the lead: kinds with the name bit and the
	// title or the lead bit.
	leadNames := q[3] + t[5] + t[13]
	return norms{all: q[0] + q[1] + q[2] + q[3], names: q[1] + q[3], title: q[2] + q[3], nums: nums, lead: lead, spk: spk, leadNames: leadNames}
}

// sqrt returns the norms of sums of squares.
func (x norms) sqrt() norms {
	return norms{math.Sqrt(x.all), math.Sqrt(x.names), math.Sqrt(x.title), math.Sqrt(x.nums), math.Sqrt(x.lead), math.Sqrt(x.spk), math.Sqrt(x.leadNames)}
}
