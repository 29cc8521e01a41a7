package stories

import "math"

// tuning weighs the evidence. The defaults were chosen on the labelled set
// (see README.md), where the F1 plateau around them is broad; tests vary
// them to show it.
type tuning struct {
	// dfPrior is added to every key's story count: a key seen in one story
	// is not yet proof of a rare key, least of all in a young index.
	dfPrior float64
	// numberWeight multiplies the weight of numbers: death tolls, sums and
	// dates are what re-reports keep and what sets one event apart from a
	// similar one.
	numberWeight float64
	// containWeight and quoteWeight add text copied word for word.
	containWeight, quoteWeight float64
	// youngIndex raises the threshold by youngIndex/(stories+1).
	youngIndex float64

	logDF []float64 // log(df+dfPrior) for small df, by init
}

// minCosine is the key cosine below which two items are not compared
// further.
const minCosine = 0.05

// evidence is what two items share, the features a pair is scored on.
type evidence struct {
	cosine  float64 // cosine of the key vectors, keys weighted by rarity
	contain float64 // containment of the smaller shingle set in the larger
	jaccard float64 // Jaccard similarity of the shingle sets
	sample  int     // sketch entries of the smaller set the estimates rest on
	quote   float64 // containment of the smaller quoted-passage set
}

// score combines the evidence into one number; Threshold decides.
func (t *tuning) score(e evidence) float64 {
	return e.cosine + t.containWeight*e.contain + t.quoteWeight*e.quote
}

// query is an item being assigned: its fingerprint and the weights of its
// keys against the index as it is.
type query struct {
	fp    *fingerprint
	w     []float64 // weight of each key of fp.keys
	norm  float64
	table []uint64 // open addressing: key<<32 | index+1 into fp.keys
}

// find returns the index of a key in the query's keys, or -1.
func (q *query) find(k uint32) int {
	mask := uint32(len(q.table) - 1)
	for i := (k >> 1) & mask; ; i = (i + 1) & mask {
		e := q.table[i]
		if e == 0 {
			return -1
		}
		if uint32(e>>32) == k {
			return int(uint32(e)) - 1
		}
	}
}

// weightLog is the weight of a key held by df of the n stories indexed,
// given logN = log(n+1+dfPrior): its inverse story frequency, smoothed,
// log((n+1+dfPrior)/(df+dfPrior)); numbers weigh numberWeight times more.
func (t *tuning) weightLog(k uint32, df int32, logN float64) float64 {
	var l float64
	if int(df) < len(t.logDF) {
		l = t.logDF[df]
	} else {
		l = math.Log(float64(df) + t.dfPrior)
	}
	w := logN - l
	if k&1 != 0 {
		w *= t.numberWeight
	}
	return w
}

// newTuning returns the default tuning, ready.
func newTuning() tuning {
	t := tuning{dfPrior: 3, numberWeight: 3, containWeight: 1, quoteWeight: 0.5, youngIndex: 0.25}
	t.init()
	return t
}

// init fills the table of log(df+dfPrior) for small story counts.
func (t *tuning) init() {
	t.logDF = make([]float64, 1024)
	for df := range t.logDF {
		t.logDF[df] = math.Log(float64(df) + t.dfPrior)
	}
}

// prepare computes the query's key weights.
func (g *Similar) prepare(q *query, fp *fingerprint) {
	q.fp = fp
	q.w = q.w[:0]
	logN := math.Log(float64(len(g.stories)) + 1 + g.tune.dfPrior)
	var sum float64
	for _, k := range fp.keys {
		w := g.tune.weightLog(k, g.df[k], logN)
		q.w = append(q.w, w)
		sum += w * w
	}
	q.norm = math.Sqrt(sum)

	n := 64
	for n < 4*len(fp.keys) {
		n *= 2
	}
	if cap(q.table) < n {
		q.table = make([]uint64, n)
	}
	q.table = q.table[:n]
	clear(q.table)
	mask := uint32(n - 1)
	for idx, k := range fp.keys {
		i := (k >> 1) & mask
		for q.table[i] != 0 {
			i = (i + 1) & mask
		}
		q.table[i] = uint64(k)<<32 | uint64(idx+1)
	}
}

// recordNorm returns the norm of a record's key vector, cached while the
// number of stories has moved by less than a sixteenth, or in a large index
// a quarter (every weight then moves by about the same log(5/4), which
// changes cosines by a few percent).
func (g *Similar) recordNorm(r *record) float64 {
	n := int32(len(g.stories))
	tol := r.normN / 16
	if r.normN >= 4096 {
		tol = r.normN / 4
	}
	if d := n - r.normN; r.normN > 0 && d <= tol && -d <= tol {
		return float64(r.norm)
	}
	logN := math.Log(float64(n) + 1 + g.tune.dfPrior)
	var sum float64
	for _, k := range r.keys() {
		w := g.tune.weightLog(k, g.df[k], logN)
		sum += w * w
	}
	r.norm, r.normN = float32(math.Sqrt(sum)), max(n, 1)
	return float64(r.norm)
}

// evidence compares a query with an indexed record.
func (g *Similar) evidence(q *query, r *record) evidence {
	var e evidence
	// Keys shared: a shared key weighs the same on both sides.
	var dot float64
	for _, k := range r.keys() {
		if i := q.find(k); i >= 0 {
			dot += q.w[i] * q.w[i]
		}
	}
	if dot > 0 {
		e.cosine = dot / (q.norm * g.recordNorm(r))
	}
	if e.cosine < minCosine {
		// Texts that share no name and hardly a word of their leads share
		// no passages either; the sketches need not be compared.
		return e
	}

	shared, na, nb := overlap(q.fp.sketch, r.sketch(), g.opts.SketchSize)
	if na+nb > shared {
		e.jaccard = float64(shared) / float64(na+nb-shared)
	}
	e.sample = min(na, nb)
	// Shrink the containment of small samples toward 0: one shared shingle
	// of two sampled is no evidence.
	e.contain = float64(shared) / float64(e.sample+2)

	shared, na, nb = overlap(q.fp.quotes, r.quotes(), quoteSketch)
	if shared > 0 {
		e.quote = float64(shared) / float64(min(na, nb)+1)
	}
	return e
}
