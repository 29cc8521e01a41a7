package stories

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestEvalReal scores the grouper on a private labelled set of real
// coverage (STORIES_REAL names the file; the test skips without it), as
// the evaluation does: at the articles' real dates, and squeezed
// into 40 hours under STORIES_REAL_SQUEEZES random squeezes (default 8),
// each grouped in publication order and in a random feed order (one
// feed an outlet, polled one after another, as `wirewatch once` reads a
// configuration's feeds), and feeds sorted by name, as the tools that run
// the binary over a set write one feed an outlet. Full texts and first paragraphs, B-cubed, with
// the TF-IDF baseline at its best threshold for the set beside them.
func TestEvalReal(t *testing.T) {
	path := os.Getenv("STORIES_REAL")
	if path == "" {
		t.Skip("STORIES_REAL names a private labelled set of real coverage")
	}
	arts, err := readArticles(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 8
	if x := os.Getenv("STORIES_REAL_SQUEEZES"); x != "" {
		n, _ = strconv.Atoi(x)
	}
	for _, summary := range []bool{false, true} {
		mode := "full"
		if summary {
			mode = "summary"
		}
		real := slices.Clone(arts)
		slices.SortStableFunc(real, func(a, b article) int { return a.Published.Compare(b.Published) })
		pred, _ := evalRun(t, real, summary, SimilarOptions{}, nil, nil)
		r := evaluate(real, pred)
		_, bf := baselineBest(real, summary)
		t.Logf("%-7s real dates: P %.3f R %.3f F1 %.3f | baseline best F1 %.3f", mode, r.p, r.r, r.f, bf)

		var sum [3]evalResult
		var bsum float64
		for seed := range n {
			sq := squeezedBy(arts, fmt.Sprint(seed+1))
			byName := slices.Clone(sq)
			slices.SortStableFunc(byName, func(a, b article) int { return strings.Compare(a.Source, b.Source) })
			for k, order := range [][]article{sq, feedOrder(sq, rand.New(rand.NewPCG(uint64(seed+1), 7))), byName} {
				pred, _ := evalRun(t, order, summary, SimilarOptions{}, nil, nil)
				r := evaluate(order, pred)
				sum[k].p += r.p / float64(n)
				sum[k].r += r.r / float64(n)
				sum[k].f += r.f / float64(n)
			}
			_, bf := baselineBest(sq, summary)
			bsum += bf / float64(n)
		}
		for k, name := range []string{"publication order", "feed order", "feeds by name"} {
			t.Logf("%-7s squeezed ×%d, %s: P %.3f R %.3f F1 %.3f | baseline best F1 %.3f",
				mode, n, name, sum[k].p, sum[k].r, sum[k].f, bsum)
		}
	}
}
