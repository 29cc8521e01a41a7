package stories

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The weights of the pair score are a logistic regression fitted on the
// labelled pairs of the development half of the hard evaluation set (and
// the older set): TestFitWeights prints the coefficients that newTuning
// ships. It runs only when asked (STORIES_FIT=1), as it refits.

// pairSample is one labelled pair: the features of a new article against
// an indexed one, and whether they report the same event.
type pairSample struct {
	x    [nFeatures]float64
	same bool
}

// pairSamples indexes the articles in publication order under their gold
// stories and, as each arrives, takes its evidence against every article
// indexed within the window: the pairs the grouper would score online.
func pairSamples(t testing.TB, arts []article, summary bool) []pairSample {
	t.Helper()
	g := NewSimilar(SimilarOptions{})
	l := &evalLookup{}
	gold := map[string]int64{}
	win := int64(g.opts.Window / time.Second)
	var out []pairSample
	for i := range arts {
		it := arts[i].item(summary)
		pub := it.Published.Unix()
		if err := g.cover(context.Background(), l, pub); err != nil {
			t.Fatal(err)
		}
		fp := g.fingerprint(it)
		bg := g.background(g.candidates(fp, pub))
		for _, st := range g.stories {
			if pub-st.latest > win || st.first-pub > win {
				continue
			}
			e := g.storyEvidence(st, bg)
			out = append(out, pairSample{x: e.features(), same: gold[arts[i].Story] == st.id})
		}
		id := gold[arts[i].Story]
		if id == 0 {
			id = int64(len(gold) + 1)
			gold[arts[i].Story] = id
		}
		g.Added(id, it)
		l.store(id, it)
	}
	return out
}

// fitLogistic fits weights and a bias by Newton's method with a small ridge
// penalty on the weights.
func fitLogistic(samples []pairSample, ridge float64) (w [nFeatures]float64, b float64) {
	var free [nFeatures]bool
	for i := range free {
		free[i] = true
	}
	return fitSome(samples, ridge, w, 0, free, true)
}

// fitSome fits the free weights (and the bias if freeBias), starting from
// w and b, the others held where they are.
func fitSome(samples []pairSample, ridge float64, w [nFeatures]float64, b float64, free [nFeatures]bool, freeBias bool) ([nFeatures]float64, float64) {
	const n = nFeatures + 1
	for range 50 {
		var grad [n]float64
		var hess [n][n]float64
		for _, s := range samples {
			var x [n]float64
			copy(x[:], s.x[:])
			x[nFeatures] = 1
			z := b
			for i := range nFeatures {
				z += w[i] * s.x[i]
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if s.same {
				y = 1
			}
			for i := range n {
				grad[i] += (p - y) * x[i]
				for j := range n {
					hess[i][j] += p * (1 - p) * x[i] * x[j]
				}
			}
		}
		for i := range nFeatures {
			grad[i] += ridge * w[i]
			hess[i][i] += ridge
			if !free[i] {
				grad[i] = 0
				for j := range n {
					hess[i][j], hess[j][i] = 0, 0
				}
				hess[i][i] = 1
			}
		}
		hess[nFeatures][nFeatures] += 1e-9
		if !freeBias {
			grad[nFeatures] = 0
			for j := range n {
				hess[nFeatures][j], hess[j][nFeatures] = 0, 0
			}
			hess[nFeatures][nFeatures] = 1
		}
		step := solve(hess, grad)
		var moved float64
		for i := range nFeatures {
			w[i] -= step[i]
			moved = max(moved, math.Abs(step[i]))
		}
		b -= step[nFeatures]
		if moved < 1e-7 {
			break
		}
	}
	return w, b
}

// solve solves a x = y by Gaussian elimination with partial pivoting.
func solve(a [nFeatures + 1][nFeatures + 1]float64, y [nFeatures + 1]float64) [nFeatures + 1]float64 {
	const n = nFeatures + 1
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		y[c], y[p] = y[p], y[c]
		if a[c][c] == 0 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < n; k++ {
				a[r][k] -= f * a[c][k]
			}
			y[r] -= f * y[c]
		}
	}
	var x [n]float64
	for c := n - 1; c >= 0; c-- {
		if a[c][c] == 0 {
			continue
		}
		s := y[c]
		for k := c + 1; k < n; k++ {
			s -= a[c][k] * x[k]
		}
		x[c] = s / a[c][c]
	}
	return x
}

// devSets returns the articles the weights are fitted on: the development
// half of the hard set, and the older set.
func devSets(t *testing.T) [][]article {
	var sets [][]article
	hard := filepath.Join("testdata", "eval", "hard.jsonl")
	if p := os.Getenv("STORIES_HARD"); p != "" {
		hard = p
	}
	if arts, err := readArticles(hard); err == nil {
		dev, _ := splitByCluster(arts)
		sets = append(sets, dev)
	}
	if arts, err := readArticles(filepath.Join("testdata", "eval", "articles.jsonl")); err == nil {
		sets = append(sets, arts)
	}
	for p := range strings.SplitSeq(os.Getenv("STORIES_FIT_EXTRA"), ",") {
		if p == "" {
			continue
		}
		arts, err := readArticles(p)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, arts)
	}
	return sets
}

// fitOrders is the number of random feed orders of each set fitted on,
// besides publication order (STORIES_FIT_ORDERS changes it).
var fitOrders = func() int {
	n, err := strconv.Atoi(os.Getenv("STORIES_FIT_ORDERS"))
	if err != nil {
		return 4
	}
	return n
}()

func TestFitWeights(t *testing.T) {
	if os.Getenv("STORIES_FIT") == "" {
		t.Skip("STORIES_FIT=1 refits the pair weights")
	}
	var samples []pairSample
	for _, arts := range devSets(t) {
		for _, summary := range []bool{false, true} {
			samples = append(samples, pairSamples(t, arts, summary)...)
			// And in feed orders: a feed at a time, as "wirewatch once"
			// ingests, where a report often meets its story before the
			// report closest to it.
			for seed := range uint64(fitOrders) {
				samples = append(samples, pairSamples(t, feedOrder(arts, rand.New(rand.NewPCG(seed, 11))), summary)...)
			}
			// And each cluster alone: the young index of a fresh install,
			// where every word still looks rare.
			byCluster := map[string][]article{}
			for _, a := range arts {
				if a.Cluster != "" {
					byCluster[a.Cluster] = append(byCluster[a.Cluster], a)
				}
			}
			for _, c := range slices.Sorted(maps.Keys(byCluster)) {
				samples = append(samples, pairSamples(t, byCluster[c], summary)...)
			}
		}
	}
	pos := 0
	for _, s := range samples {
		if s.same {
			pos++
		}
	}
	var w [nFeatures]float64
	var b float64
	if only := os.Getenv("STORIES_FIT_ONLY"); only == "" {
		w, b = fitLogistic(samples, 1)
	} else {
		// Fit the named features' weights (and the bias, if named) alone,
		// the others held at newTuning's: a new feature's weight, beside
		// weights that a refit of all would move.
		tu := newTuning()
		var free [nFeatures]bool
		freeBias := false
		for _, name := range strings.Split(only, ",") {
			if name == "bias" {
				freeBias = true
				continue
			}
			i := slices.Index(featureNames[:], name)
			if i < 0 {
				t.Fatalf("STORIES_FIT_ONLY: no feature %q", name)
			}
			free[i] = true
		}
		w, b = fitSome(samples, 1, tu.weights, tu.bias, free, freeBias)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d pairs (%d same story); bias %.3f", len(samples), pos, b)
	for i, x := range w {
		fmt.Fprintf(&sb, "\n  %-18s %+.3f", featureNames[i], x)
	}
	t.Log(sb.String())
	fmt.Printf("weights: [nFeatures]float64{%s}, bias: %.3f\n", joinFloats(w[:]), b)
}

func joinFloats(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.3f", x)
	}
	return strings.Join(parts, ", ")
}

// TestPairDebug logs the evidence between named articles of the hard set
// (STORIES_PAIRS="a,b;c,d"), as the online index sees them.
func TestPairDebug(t *testing.T) {
	spec := os.Getenv("STORIES_PAIRS")
	if spec == "" {
		t.Skip("STORIES_PAIRS names the pairs to show")
	}
	path := filepath.Join("testdata", "eval", "hard.jsonl")
	if p := os.Getenv("STORIES_HARD"); p != "" {
		path = p
	}
	arts, err := readArticles(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, summary := range []bool{false, true} {
		_, g := evalRun(t, arts, summary, SimilarOptions{}, nil, nil)
		byID := map[string]int{}
		for i := range arts {
			byID[arts[i].ID] = i
		}
		for _, pair := range strings.Split(spec, ";") {
			a, b, _ := strings.Cut(pair, ",")
			i, j := byID[a], byID[b]
			var fp fingerprint
			it := arts[i].item(summary)
			g.sc.fingerprint(it.Title, it.Text, &g.p, &fp)
			g.prepare(&g.qItem, &fp, it.Published.Unix())
			r := g.byID[itemID(arts[j].item(summary))]
			e := g.evidence(g.q, r)
			se := g.storyEvidence(r.st, 0)
			t.Logf("summary=%t %s ~ %s: pair %+v; its story %.3f %+v", summary, a, b, e, g.tune.score(&se), se)
		}
	}
}
