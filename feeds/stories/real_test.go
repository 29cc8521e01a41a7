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
// into 40 hours under STORIES_REAL_SQUEEZES random squeezes (default 8)
// and once in order (the set's span shrunk to 40 hours).
// Each squeeze is grouped in publication order (as `wirewatch once`
// ingests the feeds that answered), feed by feed in a random order (as
// `run` may meet them, polled on their schedules) and feed by feed
// sorted by name. Full texts and first paragraphs, B-cubed, with the
// TF-IDF baseline at its best threshold for the set beside them.
func TestEvalReal(t *testing.T) {
	arts := envSet(t, "STORIES_REAL", "a private labelled set of real coverage")
	n := 8
	if x := os.Getenv("STORIES_REAL_SQUEEZES"); x != "" {
		var err error
		if n, err = strconv.Atoi(x); err != nil || n < 1 {
			t.Fatalf("STORIES_REAL_SQUEEZES=%q: want a count of squeezes, 1 or more", x)
		}
	}
	for _, summary := range []bool{false, true} {
		mode := "full"
		if summary {
			mode = "summary"
		}
		pred, _ := evalRun(t, arts, summary, SimilarOptions{}, nil, nil)
		r := evaluate(arts, pred)
		// The baseline reads no dates: one figure for every run below.
		_, bf := baselineBest(arts, summary)
		t.Logf("%-7s real dates: P %.3f R %.3f F1 %.3f | baseline best F1 %.3f", mode, r.p, r.r, r.f, bf)

		var sum [3]evalResult
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
		}
		for k, name := range []string{"publication order", "feed order", "feeds by name"} {
			t.Logf("%-7s squeezed ×%d, %s: P %.3f R %.3f F1 %.3f | baseline best F1 %.3f",
				mode, n, name, sum[k].p, sum[k].r, sum[k].f, bf)
		}
		in := squeezedInOrder(arts)
		pred, _ = evalRun(t, in, summary, SimilarOptions{}, nil, nil)
		r = evaluate(in, pred)
		t.Logf("%-7s squeezed in order (the span shrunk to 40 hours): P %.3f R %.3f F1 %.3f | baseline best F1 %.3f", mode, r.p, r.r, r.f, bf)
	}
}
