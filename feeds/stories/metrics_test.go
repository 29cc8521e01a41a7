package stories

import (
	"math"
	"testing"
)

// bcubedItems returns each item's B-cubed precision and recall: of the
// items in its predicted cluster, the share in its gold cluster; of the
// items in its gold cluster, the share in its predicted one. gold and pred
// label the same items, by index.
func bcubedItems(gold, pred []string) (prec, rec []float64) {
	type pg struct{ p, g string }
	nPred, nGold, nBoth := map[string]int{}, map[string]int{}, map[pg]int{}
	for i := range gold {
		nPred[pred[i]]++
		nGold[gold[i]]++
		nBoth[pg{pred[i], gold[i]}]++
	}
	prec, rec = make([]float64, len(gold)), make([]float64, len(gold))
	for i := range gold {
		both := float64(nBoth[pg{pred[i], gold[i]}])
		prec[i] = both / float64(nPred[pred[i]])
		rec[i] = both / float64(nGold[gold[i]])
	}
	return prec, rec
}

// bcubed returns B-cubed precision, recall and F1 over the items selected
// (all when sel is nil).
func bcubed(gold, pred []string, sel []bool) (p, r, f float64) {
	prec, rec := bcubedItems(gold, pred)
	n := 0
	for i := range prec {
		if sel != nil && !sel[i] {
			continue
		}
		p += prec[i]
		r += rec[i]
		n++
	}
	if n == 0 {
		return 0, 0, 0
	}
	p, r = p/float64(n), r/float64(n)
	return p, r, f1(p, r)
}

// pairwise returns the precision and recall of the pairs of items put in
// one story: a pair is right when the gold labels also pair it. With no
// pairs predicted (or in the gold) the value is 1.
func pairwise(gold, pred []string) (p, r float64) {
	var both, inPred, inGold int
	for i := range gold {
		for j := i + 1; j < len(gold); j++ {
			sp, sg := pred[i] == pred[j], gold[i] == gold[j]
			if sp {
				inPred++
			}
			if sg {
				inGold++
			}
			if sp && sg {
				both++
			}
		}
	}
	p, r = 1, 1
	if inPred > 0 {
		p = float64(both) / float64(inPred)
	}
	if inGold > 0 {
		r = float64(both) / float64(inGold)
	}
	return p, r
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func TestBcubed(t *testing.T) {
	tests := []struct {
		name       string
		gold, pred []string
		p, r       float64 // B-cubed, computed by hand
		pp, pr     float64 // pairwise
	}{
		{"perfect", []string{"a", "a", "b"}, []string{"x", "x", "y"}, 1, 1, 1, 1},
		{"all split", []string{"a", "a", "a"}, []string{"x", "y", "z"}, 1, 1.0 / 3, 1, 0},
		{"all merged", []string{"a", "a", "b", "b"}, []string{"x", "x", "x", "x"}, 0.5, 1, 2.0 / 6, 1},
		// gold {1,2,3}{4}; pred {1,2}{3,4}: precision 1,1,½,½; recall ⅔,⅔,⅓,1.
		{"one wrong", []string{"a", "a", "a", "b"}, []string{"x", "x", "y", "y"}, 0.75, 2.0 / 3, 0.5, 1.0 / 3},
		{"singletons", []string{"a", "b"}, []string{"x", "y"}, 1, 1, 1, 1},
	}
	close := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, r, f := bcubed(tt.gold, tt.pred, nil)
			if !close(p, tt.p) || !close(r, tt.r) || !close(f, f1(tt.p, tt.r)) {
				t.Errorf("bcubed = %.3f, %.3f, %.3f; want %.3f, %.3f", p, r, f, tt.p, tt.r)
			}
			pp, pr := pairwise(tt.gold, tt.pred)
			if !close(pp, tt.pp) || !close(pr, tt.pr) {
				t.Errorf("pairwise = %.3f, %.3f; want %.3f, %.3f", pp, pr, tt.pp, tt.pr)
			}
		})
	}
	t.Run("subset", func(t *testing.T) {
		gold := []string{"a", "a", "a", "b"}
		pred := []string{"x", "x", "y", "y"}
		p, r, _ := bcubed(gold, pred, []bool{false, false, true, true})
		if want := 0.5; !close(p, want) {
			t.Errorf("precision = %.3f, want %.3f", p, want)
		}
		if want := 2.0 / 3; !close(r, want) {
			t.Errorf("recall = %.3f, want %.3f", r, want)
		}
	})
}
