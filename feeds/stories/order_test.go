package stories

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestOrderIndependence presents the hard set's development half feed by
// feed (each feed's items in publication order, as one poll gives them) in
// random orders of the feeds, and compares the stories formed with those of
// publication order: the share of same-story pairs the two partitions
// agree on (pairwise F1 of one against the other). The issue asks that the
// order in which feeds are polled not change the stories formed; online
// grouping cannot promise that exactly (the seeds, TestSeeds, group alike in
// every order): it asks for a mean agreement of at least 0.78 with joining
// stories later (Joiner) and consolidation (Consolidator) (measured: 0.805
// full text, 0.812 first paragraph), and that each raise it — without
// consolidation, and without either, for comparison, it logs the same.
func TestOrderIndependence(t *testing.T) {
	arts := readOrSkip(t, filepath.Join("testdata", "eval", "hard.jsonl"))
	dev, test := splitByCluster(arts)
	const orders = 8
	// The held-out half in feed orders, for the record: this is how
	// "wirewatch once" meets coverage, a feed at a time.
	for _, summary := range []bool{false, true} {
		var ps, rs, f1s []float64
		for seed := range uint64(orders) {
			order := feedOrder(test, rand.New(rand.NewPCG(seed, 7)))
			pred, _ := evalRun(t, order, summary, SimilarOptions{}, nil, nil)
			res := evaluate(order, pred)
			ps, rs, f1s = append(ps, res.p), append(rs, res.r), append(f1s, res.f)
		}
		t.Logf("test half, summary %-5t, %d feed orders: B³ P %.3f R %.3f F1 mean %.3f min %.3f max %.3f",
			summary, orders, mean(ps), mean(rs), mean(f1s), slices.Min(f1s), slices.Max(f1s))
	}
	for _, summary := range []bool{false, true} {
		var prev float64 // mean agreement of the previous variant
		for _, v := range []struct {
			name              string
			join, consolidate bool
		}{{"join+consolidate", true, true}, {"join only", true, false}, {"neither", false, false}} {
			join := v.join
			tune := func(tu *tuning) {
				if !v.consolidate {
					tu.merge = 2 // never
				}
				if !join {
					tu.join = 2 // never
				} else if x := os.Getenv("STORIES_JOIN"); x != "" {
					tu.join, _ = strconv.ParseFloat(x, 64)
					tu.init()
				}
				if x := os.Getenv("STORIES_SUPPORT"); x != "" {
					tu.support, _ = strconv.ParseFloat(x, 64)
				}
			}
			ref, _ := evalRun(t, dev, summary, SimilarOptions{}, tune, nil)
			refF := evaluate(dev, ref).f
			var agree, f1s, ps, rs, among []float64
			var prevGot []string
			for seed := range uint64(orders) {
				order := feedOrder(dev, rand.New(rand.NewPCG(seed, 7)))
				pred, _ := evalRun(t, order, summary, SimilarOptions{}, tune, nil)
				// Back to dev's order, to compare with ref.
				byID := map[string]string{}
				for i, a := range order {
					byID[a.ID] = pred[i]
				}
				got := make([]string, len(dev))
				for i, a := range dev {
					got[i] = byID[a.ID]
				}
				p, r := pairwise(ref, got)
				agree = append(agree, f1(p, r))
				if prevGot != nil {
					p, r := pairwise(prevGot, got)
					among = append(among, f1(p, r))
				}
				prevGot = got
				res := evaluate(dev, got)
				f1s, ps, rs = append(f1s, res.f), append(ps, res.p), append(rs, res.r)
			}
			t.Logf("summary %-5t %-16s: publication order B³ F1 %.3f; %d feed orders: pair agreement with it mean %.3f min %.3f, between feed orders %.3f, B³ P %.3f R %.3f F1 mean %.3f min %.3f max %.3f",
				summary, v.name, refF, orders, mean(agree), slices.Min(agree), mean(among), mean(ps), mean(rs), mean(f1s), slices.Min(f1s), slices.Max(f1s))
			if v.consolidate && mean(agree) < 0.78 {
				t.Errorf("summary %t: feed order changes the stories formed: pair agreement %.3f, want ≥ 0.78", summary, mean(agree))
			}
			if prev != 0 && prev < mean(agree)-0.005 {
				t.Errorf("summary %t: %s agrees better across feed orders than with more: %.3f against %.3f", summary, v.name, mean(agree), prev)
			}
			prev = mean(agree)
		}
	}
}

// feedOrder returns the articles feed by feed, the feeds in a random order,
// each feed's articles in publication order (readArticles sorted them).
func feedOrder(arts []article, rng *rand.Rand) []article {
	var feeds []string
	by := map[string][]article{}
	for _, a := range arts {
		if by[a.Source] == nil {
			feeds = append(feeds, a.Source)
		}
		by[a.Source] = append(by[a.Source], a)
	}
	rng.Shuffle(len(feeds), func(i, j int) { feeds[i], feeds[j] = feeds[j], feeds[i] })
	out := make([]article, 0, len(arts))
	for _, f := range feeds {
		out = append(out, by[f]...)
	}
	return out
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// TestRestartKeepsGrouping: a grouper started anew before every poll (a
// restart, as every `wirewatch once` is), loading what it needs from the
// store, forms the stories one process forms, in feed order too, where
// items arrive out of date order: the store gives items in the order they
// were stored (Lookup.ItemsBetween), so the reloaded index holds each
// story's members, its core first, as the running one did. Loaded in date
// order instead, 7–12 % of same-story pairs differed. What a restart still
// loses are the consolidation pass's near stories (the candidates its
// items met when assigned: which stories the index finds for a key depends
// on what came since, so a new process cannot look them up again), and a
// pass of one process then joins two parts of a story that a restarted
// one leaves apart, or the other way round. Four feed orders of each half
// of the hard set: the mean agreement at least 0.97, none under 0.95 (at
// the merge score of 0.6 one order of the development half was at 0.957
// already; at 0.45, 0.954; the mean 0.992 and 0.983).
func TestRestartKeepsGrouping(t *testing.T) {
	arts := readOrSkip(t, filepath.Join("testdata", "eval", "hard.jsonl"))
	dev, test := splitByCluster(arts)
	var agree []float64
	for h, half := range [][]article{dev, test} {
		for seed := range uint64(4) {
			order := feedOrder(half, rand.New(rand.NewPCG(seed, 7)))
			one := restartRun(t, order, false)
			restarted := restartRun(t, order, true)
			a := f1(pairwise(one, restarted))
			agree = append(agree, a)
			if a < 0.95 {
				t.Errorf("half %d, feed order %d: restarting before every poll agrees with one process on %.3f of same-story pairs, want ≥ 0.95", h, seed, a)
			}
		}
	}
	if m := mean(agree); m < 0.97 {
		t.Errorf("restarting before every poll agrees with one process on %.3f of same-story pairs on average, want ≥ 0.97", m)
	}
}

// restartRun groups the articles as evalRun does, a poll per feed, with a
// new grouper before every poll when restart.
func restartRun(t *testing.T, arts []article, restart bool) []string {
	t.Helper()
	fresh := func(i int) *Similar {
		if restart && i > 0 && arts[i-1].Source != arts[i].Source {
			return NewSimilar(SimilarOptions{})
		}
		return nil
	}
	pred, _ := groupArticles(t, arts, false, NewSimilar(SimilarOptions{}), fresh, nil)
	return pred
}

// TestYearsApartKeepsGrouping: a process that grouped years of coverage
// forms, for today's items, the stories a process started anew today
// forms. The index lets go, at each item, the dates outside its window
// that this ingest has not used (dropOutside), so its key weights are
// learned from the stories around today, as a new process's are, not
// from all it ever saw: with the old coverage held, the development
// half of the hard set, grouped five years earlier, changed the weights
// and so the stories of the held-out half.
func TestYearsApartKeepsGrouping(t *testing.T) {
	arts := readOrSkip(t, filepath.Join("testdata", "eval", "hard.jsonl"))
	dev, test := splitByCluster(arts)
	old := slices.Clone(dev)
	for i := range old {
		old[i].Published = old[i].Published.AddDate(-5, 0, 0)
		old[i].ID, old[i].URL = "old-"+old[i].ID, old[i].URL+"?old"
	}
	order := feedOrder(test, rand.New(rand.NewPCG(1, 7)))
	all := append(feedOrder(old, rand.New(rand.NewPCG(2, 7))), order...)
	// One process throughout; a new one for today's items.
	one, _ := groupArticles(t, all, false, NewSimilar(SimilarOptions{}), nil, nil)
	today := func(i int) *Similar {
		if i == len(old) {
			return NewSimilar(SimilarOptions{})
		}
		return nil
	}
	anew, _ := groupArticles(t, all, false, NewSimilar(SimilarOptions{}), today, nil)
	if p, r := pairwise(one[len(old):], anew[len(old):]); f1(p, r) != 1 {
		t.Errorf("today's items: a process that grouped coverage five years old agrees with a new one on %.3f of same-story pairs, want 1", f1(p, r))
	}
}
