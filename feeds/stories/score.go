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
	// weights and bias make the pair score: the logistic of a linear
	// function of the evidence's features, fitted on labelled pairs
	// (lr_test.go, TestFitWeights).
	weights [nFeatures]float64
	bias    float64
	// youngIndex raises the threshold by youngIndex/(stories+1).
	youngIndex float64

	logDF []float64 // log(df+dfPrior) for small df, by init
}

// minCosine is the key cosine below which two items are not compared
// further.
const minCosine = 0.05

// evidence is what two items share, the features a pair is scored on.
type evidence struct {
	cosine    float64 // cosine of the key vectors, keys weighted by rarity
	nameCos   float64 // the same over names and numbers only
	titleCos  float64 // the same over title words only
	numbers   float64 // numbers shared: shared / (fewer + 1)
	contain   float64 // containment of the smaller shingle set in the larger
	jaccard   float64 // Jaccard similarity of the shingle sets
	sample    int     // sketch entries of the smaller set the estimates rest on
	quote     float64 // containment of the smaller quoted-passage set
	days      float64 // time between the two, in days
	lenRatio  float64 // shorter text's words / longer's
	crossLang float64 // 1 when the two are written in different scripts
}

// features returns the evidence as the vector the weights apply to.
func (e *evidence) features() [nFeatures]float64 {
	return [nFeatures]float64{
		e.cosine, e.nameCos, e.titleCos, e.numbers, e.contain, e.quote,
		e.days, e.lenRatio, e.crossLang, e.crossLang * e.nameCos,
	}
}

// nFeatures is the length of evidence.features.
const nFeatures = 10

// featureNames name the features, for the fit's report.
var featureNames = [nFeatures]string{"cosine", "nameCos", "titleCos", "numbers", "contain", "quote", "days", "lenRatio", "crossLang", "crossLang×nameCos"}

// score combines the evidence into the probability that the two items
// report the same event; Threshold decides.
func (t *tuning) score(e evidence) float64 {
	z := t.bias
	for i, x := range e.features() {
		z += t.weights[i] * x
	}
	return 1 / (1 + math.Exp(-z))
}

// query is an item being assigned: its fingerprint and the weights of its
// keys against the index as it is.
type query struct {
	fp                        *fingerprint
	pub                       int64     // unix seconds
	w                         []float64 // weight of each key of fp.keys
	norm, nameNorm, titleNorm float64
	numbers                   int      // number keys
	table                     []uint64 // open addressing: key<<32 | index+1 into fp.keys
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
	t := tuning{dfPrior: 3, numberWeight: 3, youngIndex: 0.25,
		// TestFitWeights on the development pairs.
		weights: [nFeatures]float64{7.710, 7.773, 8.053, -1.710, 0.304, 2.643, -2.139, -0.574, 0.654, 2.214}, bias: -4.427,
	}
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
func (g *Similar) prepare(q *query, fp *fingerprint, pub int64) {
	q.fp, q.pub = fp, pub
	q.w = q.w[:0]
	logN := math.Log(float64(len(g.stories)) + 1 + g.tune.dfPrior)
	var sum, names, title float64
	q.numbers = 0
	for i, k := range fp.keys {
		w := g.tune.weightLog(k, g.df[k], logN)
		q.w = append(q.w, w)
		sum += w * w
		if fp.kinds[i]&keyName != 0 {
			names += w * w
		}
		if fp.kinds[i]&keyTitle != 0 {
			title += w * w
		}
		if k&1 != 0 {
			q.numbers++
		}
	}
	q.norm, q.nameNorm, q.titleNorm = math.Sqrt(sum), math.Sqrt(names), math.Sqrt(title)

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

// recordNorms returns the norms of a record's key vector, of its names
// and of its title words, cached while the number of stories has moved by
// less than a sixteenth, or in a large index a quarter (every weight then
// moves by about the same log(5/4), which changes cosines by a few
// percent).
func (g *Similar) recordNorms(r *record) (all, names, title float64) {
	n := int32(len(g.stories))
	tol := r.normN / 16
	if r.normN >= 4096 {
		tol = r.normN / 4
	}
	if d := n - r.normN; r.normN > 0 && d <= tol && -d <= tol {
		return float64(r.norm), float64(r.nameNorm), float64(r.titleNorm)
	}
	logN := math.Log(float64(n) + 1 + g.tune.dfPrior)
	for i, k := range r.keys() {
		w := g.tune.weightLog(k, g.df[k], logN)
		all += w * w
		kind := r.kind(i)
		if kind&keyName != 0 {
			names += w * w
		}
		if kind&keyTitle != 0 {
			title += w * w
		}
	}
	all, names, title = math.Sqrt(all), math.Sqrt(names), math.Sqrt(title)
	r.norm, r.nameNorm, r.titleNorm, r.normN = float32(all), float32(names), float32(title), max(n, 1)
	return all, names, title
}

// evidence compares a query with an indexed record.
func (g *Similar) evidence(q *query, r *record) evidence {
	var e evidence
	e.days = math.Abs(float64(q.pub-r.pub)) / 86400
	if a, b := q.fp.words, int(r.words); a > 0 && b > 0 {
		e.lenRatio = float64(min(a, b)) / float64(max(a, b))
	}
	if q.fp.script != r.script {
		e.crossLang = 1
	}
	// Keys shared: a shared key weighs the same on both sides.
	var dot, names, title float64
	numbers, rNumbers := 0, 0
	for j, k := range r.keys() {
		if k&1 != 0 {
			rNumbers++
		}
		i := q.find(k)
		if i < 0 {
			continue
		}
		w2 := q.w[i] * q.w[i]
		dot += w2
		kind := r.kind(j)
		if kind&q.fp.kinds[i]&keyName != 0 {
			names += w2
		}
		if kind&q.fp.kinds[i]&keyTitle != 0 {
			title += w2
		}
		if k&1 != 0 {
			numbers++
		}
	}
	if dot == 0 {
		return e
	}
	rAll, rNames, rTitle := g.recordNorms(r)
	e.cosine = dot / (q.norm * rAll)
	if names > 0 {
		e.nameCos = names / (q.nameNorm * rNames)
	}
	if title > 0 {
		e.titleCos = title / (q.titleNorm * rTitle)
	}
	e.numbers = float64(numbers) / float64(min(q.numbers, rNumbers)+1)
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
