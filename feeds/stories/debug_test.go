package stories

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds/stories/lex"
)

// Diagnostics for a labelled set of the evaluation's shape, run only when
// asked: STORIES_DIAG names the file (a private set of real coverage can
// be read without entering the repository), STORIES_DIAG_SUMMARY=1 takes
// first paragraphs only.

// TestDiagArticles indexes the articles in publication order under their
// gold stories and logs, for each article that has a story already, its
// score against that story and against the best other one, with the
// features that moved either score most (log-odds of ±0.3 or more): where
// the pair evidence, not the online assignment, puts a re-report apart or
// a report of another event in. It ends with the TF-IDF baseline's B-cubed
// figures at the threshold best for the set itself.
func TestDiagArticles(t *testing.T) {
	arts := diagSet(t)
	summary := os.Getenv("STORIES_DIAG_SUMMARY") != ""
	g := NewSimilar(SimilarOptions{})
	l := &evalLookup{}
	gold := map[string]int64{}
	label := map[int64]string{}
	win := int64(g.opts.Window / time.Second)
	for i := range arts {
		a := &arts[i]
		it := a.item(summary)
		pub := it.Published.Unix()
		if err := g.cover(context.Background(), l, pub); err != nil {
			t.Fatal(err)
		}
		bg := g.background(g.candidates(g.fingerprint(it), pub))
		own, other := -1.0, 0.0
		var ownE, otherE storyEvidence
		var otherID int64
		for _, st := range g.stories {
			if pub-st.latest > win || st.first-pub > win {
				continue
			}
			e := g.storyEvidence(st, bg)
			switch s := g.tune.score(&e); {
			case gold[a.Story] == st.id:
				own, ownE = s, e
			case s > other:
				other, otherE, otherID = s, e, st.id
			}
		}
		if own >= 0 || other >= g.threshold() {
			t.Logf("%-30s %-3s own %6.3f %s | other %.3f %s %s", a.ID, a.Lang, own, g.contributions(&ownE, own >= 0),
				other, label[otherID], g.contributions(&otherE, other >= g.threshold()))
		}
		id := gold[a.Story]
		if id == 0 {
			id = int64(len(gold) + 1)
			gold[a.Story], label[id] = id, a.Story
		}
		g.Added(id, it)
		l.store(id, it)
	}
	thr, _ := baselineBest(arts, summary)
	b := baselineAt(arts, summary, thr)
	t.Logf("baseline (TF-IDF cosine, average link, threshold %.2f best for this set): B³ P %.3f R %.3f F1 %.3f", thr, b.p, b.r, b.f)
}

// contributions lists the features of e whose weighted value is 0.3
// log-odds or more either way, or nothing when show is false.
func (g *Similar) contributions(e *storyEvidence, show bool) string {
	if !show {
		return ""
	}
	var parts []string
	for k, x := range e.features() {
		if c := g.tune.weights[k] * x; c >= 0.3 || c <= -0.3 {
			parts = append(parts, fmt.Sprintf("%s %+.2f", featureNames[k], c))
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// TestDiagKeys shows which words of two articles of the STORIES_DIAG set
// (STORIES_DIAG_PAIR="id1,id2") meet on a key, in brackets: what a
// translation shares with its original, and what it misses.
func TestDiagKeys(t *testing.T) {
	path, pair := os.Getenv("STORIES_DIAG"), os.Getenv("STORIES_DIAG_PAIR")
	if path == "" || pair == "" {
		t.Skip("STORIES_DIAG and STORIES_DIAG_PAIR name two articles")
	}
	arts, err := readArticles(path)
	if err != nil {
		t.Fatal(err)
	}
	idA, idB, _ := strings.Cut(pair, ",")
	var words [2][]string
	var keys [2][]uint32
	for _, a := range arts {
		for side, id := range []string{idA, idB} {
			if a.ID == id {
				var s scratch
				words[side], keys[side] = s.wordKeys(a.Title, a.Text, 200)
			}
		}
	}
	for side, id := range []string{idA, idB} {
		other := keys[1-side]
		var sb strings.Builder
		for i, w := range words[side] {
			if slices.Contains(other, keys[side][i]) {
				w = "[" + w + "]"
			}
			sb.WriteString(w + " ")
		}
		t.Logf("%s:\n%s", id, sb.String())
	}
}

// wordKeys returns the first n words of a title and text that are not stop
// words, each with its key (numbers as numbers).
func (s *scratch) wordKeys(title, text string, n int) ([]string, []uint32) {
	s.z.Reset()
	s.toks = s.z.Tokenize(title, s.toks[:0])
	s.toks = s.z.Tokenize(text, s.toks)
	s.lowerSet(s.toks)
	s.lang(s.toks)
	var words []string
	var keys []uint32
	for i := range s.toks {
		tk := &s.toks[i]
		num := tk.Flag&lex.TokNum != 0
		if tk.Flag&lex.TokStop != 0 && !num {
			continue
		}
		k, _ := s.matchKey(tk, num)
		words, keys = append(words, string(s.z.Word(tk))), append(keys, k)
		if len(words) == n {
			break
		}
	}
	return words, keys
}

// diagSet reads the STORIES_DIAG set in publication order, or skips.
func diagSet(t *testing.T) []article {
	return envSet(t, "STORIES_DIAG", "a labelled set to diagnose")
}

// envSet reads the labelled set that the environment variable env names,
// in publication order, or skips the test when env is unset.
func envSet(t *testing.T, env, what string) []article {
	t.Helper()
	path := os.Getenv(env)
	if path == "" {
		t.Skipf("%s names %s", env, what)
	}
	arts, err := readArticles(path)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(arts, func(a, b article) int { return a.Published.Compare(b.Published) })
	return arts
}

// TestDiagOffline scores every article of the STORIES_DIAG set against
// every other with the grouper's scorer (each article a story of its own,
// the whole set indexed, so that the key weights are the set's), and
// clusters them offline, average link, at the threshold best for the set:
// what the pair evidence could give if the online assignment, the order
// of the items and the threshold were perfect. STORIES_DIAG_NODAYS=1
// leaves the time gap out.
func TestDiagOffline(t *testing.T) {
	arts := diagSet(t)
	for _, summary := range []bool{false, true} {
		score, _ := diagPairs(t, arts, summary)
		var best evalResult
		var thr float64
		for x := 0.05; x < 0.95; x += 0.025 {
			if r := evaluate(arts, averageLink(score, x)); r.f > best.f {
				best, thr = r, x
			}
		}
		t.Logf("summary=%t: offline average link at %.3f: B³ P %.3f R %.3f F1 %.3f", summary, thr, best.p, best.r, best.f)
	}
}

// diagPairs scores every article of arts against every other with the
// grouper's scorer, each article a story of its own and the whole set
// indexed (so that the key weights are the set's), and returns the
// symmetric matrices of the pair probabilities and of the key cosines.
// STORIES_DIAG_NODAYS=1 leaves the time gap out.
func diagPairs(t *testing.T, arts []article, summary bool) (score, cos [][]float64) {
	t.Helper()
	g := NewSimilar(SimilarOptions{})
	l := &evalLookup{}
	for i := range arts {
		it := arts[i].item(summary)
		if err := g.cover(context.Background(), l, it.Published.Unix()); err != nil {
			t.Fatal(err)
		}
		g.Added(int64(i+1), it)
		l.store(int64(i+1), it)
	}
	score, cos = make([][]float64, len(arts)), make([][]float64, len(arts))
	for i := range arts {
		score[i], cos[i] = make([]float64, len(arts)), make([]float64, len(arts))
		it := arts[i].item(summary)
		var fp fingerprint
		g.sc.fingerprint(it.Title, it.Text, &g.p, &fp)
		g.prepare(&g.qItem, &fp, it.Published.Unix())
		for j := range arts {
			if j != i {
				e := g.storyEvidence(g.stories[int64(j+1)], 0)
				if os.Getenv("STORIES_DIAG_NODAYS") != "" {
					e.best.days = 0
				}
				score[i][j], cos[i][j] = g.tune.score(&e), e.best.cosine
			}
		}
	}
	for _, m := range [][][]float64{score, cos} {
		for i := range m {
			for j := range i {
				s := (m[i][j] + m[j][i]) / 2
				m[i][j], m[j][i] = s, s
			}
		}
	}
	return score, cos
}

// TestDiagRanking tells how well the pair evidence of the STORIES_DIAG set
// ranks its same-story pairs above the others, apart for pairs in one
// language and pairs across two: by AUC (the chance that a same-story pair
// outranks another pair) and by average precision (which weighs the top of
// the ranking, where the threshold lies), for the grouper's scorer, its key
// cosine alone, and the TF-IDF cosine of the baseline. On the private real
// set the scorer's AUC on same-language pairs is below its own cosine's
// and the baseline's, its average precision well above both: it orders
// the near pairs better and the far ones worse, which no threshold sees.
func TestDiagRanking(t *testing.T) {
	arts := diagSet(t)
	for _, summary := range []bool{false, true} {
		score, cos := diagPairs(t, arts, summary)
		base := baselineCosines(arts, summary)
		for _, cross := range []bool{false, true} {
			line := fmt.Sprintf("summary=%t cross-language=%t:", summary, cross)
			for _, r := range []struct {
				name string
				m    [][]float64
			}{{"scorer", score}, {"key cosine", cos}, {"baseline", base}} {
				var pos, neg []float64
				for i := range arts {
					for j := range i {
						if (arts[i].Lang != arts[j].Lang) != cross {
							continue
						}
						if arts[i].Story == arts[j].Story {
							pos = append(pos, r.m[i][j])
						} else {
							neg = append(neg, r.m[i][j])
						}
					}
				}
				if len(pos) == 0 || len(neg) == 0 {
					continue
				}
				line += fmt.Sprintf(" | %s AUC %.3f AP %.3f", r.name, rankAUC(pos, neg), averagePrecision(pos, neg))
			}
			t.Log(line)
		}
	}
}

// rankAUC is the share of (positive, negative) pairs in which the
// positive scores higher, ties counted half.
func rankAUC(pos, neg []float64) float64 {
	neg = slices.Sorted(slices.Values(neg))
	var s float64
	for _, p := range pos {
		lo, _ := slices.BinarySearch(neg, p)
		hi := lo
		for hi < len(neg) && neg[hi] == p {
			hi++
		}
		s += float64(lo) + float64(hi-lo)/2
	}
	return s / float64(len(pos)*len(neg))
}

// averagePrecision is the mean, over the positives, of the precision of
// the ranking down to each (ties broken against the positives).
func averagePrecision(pos, neg []float64) float64 {
	type scored struct {
		x   float64
		pos bool
	}
	all := make([]scored, 0, len(pos)+len(neg))
	for _, x := range neg {
		all = append(all, scored{x, false})
	}
	for _, x := range pos {
		all = append(all, scored{x, true})
	}
	// Stable: among equal scores the negatives, appended first, stay first.
	slices.SortStableFunc(all, func(a, b scored) int { return cmp.Compare(b.x, a.x) })
	tp, ap := 0, 0.0
	for i, s := range all {
		if s.pos {
			tp++
			ap += float64(tp) / float64(i+1)
		}
	}
	return ap / float64(len(pos))
}

// averageLink clusters by average link: the two clusters of the highest
// mean pair score are merged while it reaches thr.
func averageLink(score [][]float64, thr float64) []string {
	clusters := make([][]int, len(score))
	for i := range clusters {
		clusters[i] = []int{i}
	}
	for {
		bi, bj, top := -1, -1, thr
		for i, a := range clusters {
			for j := i + 1; j < len(clusters) && a != nil; j++ {
				if clusters[j] == nil {
					continue
				}
				var sum float64
				for _, x := range a {
					for _, y := range clusters[j] {
						sum += score[x][y]
					}
				}
				if m := sum / float64(len(a)*len(clusters[j])); m >= top {
					bi, bj, top = i, j, m
				}
			}
		}
		if bi < 0 {
			break
		}
		clusters[bi], clusters[bj] = append(clusters[bi], clusters[bj]...), nil
	}
	pred := make([]string, len(score))
	for c, ms := range clusters {
		for _, m := range ms {
			pred[m] = strconv.Itoa(c)
		}
	}
	return pred
}
