package stories

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
)

// article is one line of an evaluation set: a real or invented news item
// with its gold story label.
type article struct {
	ID        string          `json:"id"`
	Story     string          `json:"story"`   // gold label
	Cluster   string          `json:"cluster"` // topic shared with its hard negatives
	Source    string          `json:"source"`
	Wire      json.RawMessage `json:"wire"`
	Credits   json.RawMessage `json:"credits"`
	Lang      string          `json:"lang"`
	Published time.Time       `json:"published"`
	URL       string          `json:"url"`
	Title     string          `json:"title"`
	Text      string          `json:"text"` // paragraphs separated by "\n\n"
}

func readArticles(path string) ([]article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var arts []article
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var a article
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		arts = append(arts, a)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	// Publication order; ties by id, so runs are reproducible.
	slices.SortStableFunc(arts, func(a, b article) int {
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return arts, nil
}

// evalLookup is the store's side of Lookup: stories by canonical URL, and
// the items stored.
type evalLookup struct {
	byURL  map[string]int64
	latest map[int64]time.Time
	stored []storedItem
}

type storedItem struct {
	story int64
	it    *feeds.Item
}

// store records an item as stored in a story, as the pipeline does.
func (l *evalLookup) store(story int64, it *feeds.Item) {
	if l.byURL == nil {
		l.byURL, l.latest = map[string]int64{}, map[int64]time.Time{}
	}
	if it.URL != "" {
		l.byURL[it.URL] = story
	}
	if it.Published.After(l.latest[story]) {
		l.latest[story] = it.Published
	}
	l.stored = append(l.stored, storedItem{story, it})
}

// assignStore assigns it, numbering a new story from *next when it joins
// none, then adds and stores it, as the pipeline does, and returns its
// story. The stories it linked (g.Joins) are the caller's to merge.
func assignStore(t testing.TB, g *Similar, l *evalLookup, next *int64, it *feeds.Item) int64 {
	t.Helper()
	id, err := g.Assign(context.Background(), l, it)
	if err != nil {
		t.Fatal(err)
	}
	if id == 0 {
		*next++
		id = *next
	}
	g.Added(id, it)
	l.store(id, it)
	return id
}

// merge moves story from's items to story into.
func (l *evalLookup) merge(into, from int64) {
	for i := range l.stored {
		if l.stored[i].story == from {
			l.stored[i].story = into
		}
	}
	for u, s := range l.byURL {
		if s == from {
			l.byURL[u] = into
		}
	}
	if l.latest[from].After(l.latest[into]) {
		l.latest[into] = l.latest[from]
	}
}

// ItemsBetween gives the items in the order they were stored, as the
// store does.
func (l *evalLookup) ItemsBetween(_ context.Context, from, to time.Time, fn func(int64, *feeds.Item) error) error {
	for _, s := range l.stored {
		if !s.it.Published.Before(from) && s.it.Published.Before(to) {
			if err := fn(s.story, s.it); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *evalLookup) StoryByURL(_ context.Context, url string, since time.Time) (int64, error) {
	if id := l.byURL[url]; id != 0 && !l.latest[id].Before(since) {
		return id, nil
	}
	return 0, nil
}

func (l *evalLookup) StoryByTitleKey(context.Context, string, time.Time) (int64, error) {
	return 0, nil
}

// firstParagraph is what most feeds carry of an article.
func firstParagraph(text string) string {
	text = strings.TrimSpace(text)
	if p, _, ok := strings.Cut(text, "\n\n"); ok {
		return p
	}
	p, _, _ := strings.Cut(text, "\n") // a set whose paragraphs are lines (as the private real set's)
	return p
}

func (a *article) item(summary bool) *feeds.Item {
	text := a.Text
	if summary {
		text = firstParagraph(text)
	}
	// As the pipeline gets it from a feed: one line (feeds.PlainText).
	text = strings.Join(strings.Fields(text), " ")
	return &feeds.Item{Feed: a.Source, ID: a.ID, URL: a.URL, Title: a.Title, Text: text,
		Source: a.Source, Published: a.Published, Dated: true}
}

// evalRun groups the articles, in publication order, as the pipeline does;
// it returns the predicted story of each and the grouper.
//
// tune, when set, changes the grouper's tuning; hook, when set, is called
// after each Assign, before Added, with the article's index.
func evalRun(t testing.TB, arts []article, summary bool, opts SimilarOptions, tune func(*tuning), hook func(g *Similar, i int)) ([]string, *Similar) {
	t.Helper()
	g := NewSimilar(opts)
	if tune != nil {
		tune(&g.tune)
		g.tune.init()
	}
	if x := os.Getenv("STORIES_MERGE"); x != "" { // the merge score, for the sweeps in README.md
		g.tune.merge, _ = strconv.ParseFloat(x, 64)
	}

	return groupArticles(t, arts, summary, g, nil, hook)
}

// groupArticles is evalRun's loop: each article assigned and added in
// turn, the stories it links merged, a consolidation pass at the end of
// each feed's poll. fresh, when set, may give a new grouper (over the same
// store) before an article: a restart.
func groupArticles(t testing.TB, arts []article, summary bool, g *Similar, fresh func(i int) *Similar, hook func(g *Similar, i int)) ([]string, *Similar) {
	t.Helper()
	l := &evalLookup{byURL: map[string]int64{}, latest: map[int64]time.Time{}}
	pred := make([]string, len(arts))
	var next int64
	for i := range arts {
		if fresh != nil {
			if ng := fresh(i); ng != nil {
				g = ng
			}
		}
		it := arts[i].item(summary)
		id, err := g.Assign(context.Background(), l, it)
		if err != nil {
			t.Fatal(err)
		}
		if hook != nil {
			hook(g, i)
		}
		if id == 0 {
			next++
			id = next
		}
		g.Added(id, it)
		l.store(id, it)
		pred[i] = fmt.Sprint(id)
		mergeJoins(g, l, pred[:i], id)
		if i+1 == len(arts) || arts[i+1].Source != arts[i].Source {
			// The end of a feed's poll: a consolidation pass.
			consolidate(g, l, pred[:i+1])
		}
	}
	return pred, g
}

// consolidate runs a consolidation pass as the pipeline does after an
// ingest, relabelling pred.
func consolidate(g *Similar, l *evalLookup, pred []string) {
	for {
		into, from, ok := g.NextJoin()
		if !ok {
			return
		}
		relabel(pred, from, into)
		l.merge(into, from)
		g.Merged(into, from)
	}
}

// evalResult is the score of one run.
type evalResult struct {
	p, r, f  float64 // B-cubed
	pp, pr   float64 // pairwise
	stories  int     // predicted
	wrongs   []string
	langRows []string
}

func evaluate(arts []article, pred []string) evalResult {
	gold := make([]string, len(arts))
	for i := range arts {
		gold[i] = arts[i].Story
	}
	var res evalResult
	res.p, res.r, res.f = bcubed(gold, pred, nil)
	res.pp, res.pr = pairwise(gold, pred)
	stories := map[string]bool{}
	for _, s := range pred {
		stories[s] = true
	}
	res.stories = len(stories)

	langs := map[string]int{}
	for _, a := range arts {
		langs[a.Lang]++
	}
	for _, lang := range slices.Sorted(maps.Keys(langs)) {
		sel := make([]bool, len(arts))
		for i := range arts {
			sel[i] = arts[i].Lang == lang
		}
		p, r, f := bcubed(gold, pred, sel)
		res.langRows = append(res.langRows, fmt.Sprintf("  lang %-4s %4d items  B³ P %.3f R %.3f F1 %.3f", lang, langs[lang], p, r, f))
	}

	for i := range arts {
		for j := i + 1; j < len(arts); j++ {
			sp, sg := pred[i] == pred[j], gold[i] == gold[j]
			switch {
			case sp && !sg:
				res.wrongs = append(res.wrongs, fmt.Sprintf("  merged %s[%s] + %s[%s]", arts[i].ID, arts[i].Story, arts[j].ID, arts[j].Story))
			case sg && !sp:
				res.wrongs = append(res.wrongs, fmt.Sprintf("  split  %s + %s [%s]", arts[i].ID, arts[j].ID, arts[i].Story))
			}
		}
	}
	return res
}

// margins logs how far the decisions are from the threshold: for each
// article, the best score of a story of its own gold label and of any
// other story, at the moment it was assigned; then the pair scores from the
// final index; then F1 over a range of thresholds.
func margins(t *testing.T, arts []article, summary bool) {
	t.Helper()
	thr := DefaultThreshold
	label := map[uint64]string{} // item → gold label
	for i := range arts {
		label[itemID(arts[i].item(summary))] = arts[i].Story
	}
	var own, other []float64 // best eligible score per article
	type near struct {
		score float64
		i     int
		story string
	}
	var worst []near // other stories scoring closest to the threshold
	_, _ = evalRun(t, arts, summary, SimilarOptions{}, nil, func(g *Similar, i int) {
		bestOwn, bestOther, otherLabel := -1.0, -1.0, ""
		for _, st := range g.stories {
			gold := label[st.members[0].id] // a story's label is its core's
			s := g.storyScore(st, 0)
			if gold == arts[i].Story {
				bestOwn = max(bestOwn, s)
			} else if s > bestOther {
				bestOther, otherLabel = s, gold
			}
		}
		if bestOwn >= 0 {
			own = append(own, bestOwn)
		}
		if bestOther >= 0 {
			other = append(other, bestOther)
			worst = append(worst, near{bestOther, i, otherLabel})
		}
	})
	slices.Sort(own)
	slices.Sort(other)
	q := func(s []float64, f float64) float64 {
		if len(s) == 0 {
			return 0
		}
		return s[min(len(s)-1, int(f*float64(len(s))))]
	}
	t.Logf("  decisions (threshold %.2f): best score of a story of the article's own label, %d articles: 5%% %.2f 10%% %.2f 25%% %.2f median %.2f; %d below",
		thr, len(own), q(own, .05), q(own, .10), q(own, .25), q(own, .5), countBelow(own, thr))
	t.Logf("  best score of a story of another label, %d articles: median %.2f 90%% %.2f 95%% %.2f max %.2f; %d at or above",
		len(other), q(other, .5), q(other, .9), q(other, .95), q(other, 1), len(other)-countBelow(other, thr))
	slices.SortFunc(worst, func(a, b near) int { return cmp.Compare(b.score, a.score) })
	for _, w := range worst[:min(len(worst), 5)] {
		t.Logf("    closest other story %.2f: %s → a story of %s", w.score, arts[w.i].ID, w.story)
	}

	// F1 against the threshold: the plateau the default sits on.
	line := "  F1 by threshold:"
	for _, x := range []float64{0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8} {
		p, _ := evalRun(t, arts, summary, SimilarOptions{Threshold: x}, nil, nil)
		line += fmt.Sprintf(" %.2f→%.3f", x, evaluate(arts, p).f)
	}
	t.Log(line)
}

func countBelow(s []float64, x float64) int {
	n := 0
	for _, v := range s {
		if v < x {
			n++
		}
	}
	return n
}

func runEvalFile(t *testing.T, path string, wantFull, wantSummary float64) {
	arts := readOrSkip(t, path)
	if len(arts) == 0 {
		t.Skipf("%s is empty", path)
	}
	gold := map[string]bool{}
	for _, a := range arts {
		gold[a.Story] = true
	}
	t.Logf("%s: %d articles, %d gold stories", path, len(arts), len(gold))
	for _, mode := range []struct {
		name    string
		summary bool
		want    float64
	}{{"full", false, wantFull}, {"summary", true, wantSummary}} {
		pred, _ := evalRun(t, arts, mode.summary, SimilarOptions{}, nil, nil)
		res := evaluate(arts, pred)
		t.Logf("%-7s B³ P %.3f R %.3f F1 %.3f | pairwise P %.3f R %.3f | %d stories predicted",
			mode.name, res.p, res.r, res.f, res.pp, res.pr, res.stories)
		bthr, _ := baselineBest(arts, mode.summary)
		b := baselineAt(arts, mode.summary, bthr)
		t.Logf("%-7s baseline (TF-IDF cosine average-link, best threshold %.2f chosen on this set): B³ P %.3f R %.3f F1 %.3f",
			mode.name, bthr, b.p, b.r, b.f)
		for _, row := range res.langRows {
			t.Log(row)
		}
		const maxWrong = 40
		for _, w := range res.wrongs[:min(len(res.wrongs), maxWrong)] {
			t.Log(w)
		}
		if len(res.wrongs) > maxWrong {
			t.Logf("  … %d more wrong pairs", len(res.wrongs)-maxWrong)
		}
		if len(arts) <= 3000 {
			margins(t, arts, mode.summary)
		}
		if res.f < mode.want {
			t.Errorf("%s: B-cubed F1 %.3f, want ≥ %.2f", mode.name, res.f, mode.want)
		}
	}
}

// TestEval scores the grouper on the labelled set of real coverage.
func TestEval(t *testing.T) {
	runEvalFile(t, filepath.Join("testdata", "eval", "articles.jsonl"), 0.95, 0.85)
}

// TestEvalSample scores the grouper on a small invented set, with a hard
// negative: it runs where the real set is absent. In summaries two of its
// three stories of one envoy merge (an index of three to five stories cannot yet
// tell his name from a rare one): 0.81, below the 0.85 of the larger sets;
// see README.md, Limits.
func TestEvalSample(t *testing.T) {
	runEvalFile(t, filepath.Join("testdata", "sample.jsonl"), 0.95, 0.75)
}

// readOrSkip reads the labelled set at path, or skips the test when the
// set is absent.
func readOrSkip(t *testing.T, path string) []article {
	t.Helper()
	arts, err := readArticles(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is absent", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

// TestEvalHard scores the grouper on the larger labelled set of real
// coverage with hard negatives, split by cluster into a development half
// (the only one anything was tuned on) and a held-out test half, with the
// TF-IDF baseline beside it (its threshold chosen on the development half).
// STORIES_HARD names another file of the same shape.
func TestEvalHard(t *testing.T) {
	path := filepath.Join("testdata", "eval", "hard.jsonl")
	if p := os.Getenv("STORIES_HARD"); p != "" {
		path = p
	}
	arts := readOrSkip(t, path)
	dev, test := splitByCluster(arts)
	count := func(as []article) string {
		st := map[string]int{}
		for _, a := range as {
			st[a.Story]++
		}
		single := 0
		for _, n := range st {
			if n == 1 {
				single++
			}
		}
		return fmt.Sprintf("%d articles, %d stories (%d single)", len(as), len(st), single)
	}
	t.Logf("%s: dev %s; test %s", path, count(dev), count(test))
	if os.Getenv("STORIES_SWEEP") == "join" {
		for _, summary := range []bool{false, true} {
			line := fmt.Sprintf("dev F1 by join threshold (summary %t):", summary)
			for _, x := range []float64{0.45, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 2} {
				p, _ := evalRun(t, dev, summary, SimilarOptions{}, func(tu *tuning) { tu.join = x }, nil)
				r := evaluate(dev, p)
				line += fmt.Sprintf(" %.2f→%.3f/%.3f/%.3f", x, r.p, r.r, r.f)
			}
			t.Log(line)
		}
	}
	if os.Getenv("STORIES_SWEEP") == "1" {
		for _, summary := range []bool{false, true} {
			line := fmt.Sprintf("dev F1 by threshold (summary %t):", summary)
			for _, x := range []float64{0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5} {
				for _, sup := range []float64{0.5, 1} {
					p, _ := evalRun(t, dev, summary, SimilarOptions{Threshold: x}, func(tu *tuning) { tu.support = sup }, nil)
					line += fmt.Sprintf(" %.2f/%.2f→%.3f", x, sup, evaluate(dev, p).f)
				}
			}
			t.Log(line)
		}
	}
	// The held-out half's floors: what the grouper is held to on text it
	// was not tuned on.
	for _, mode := range []struct {
		name    string
		summary bool
		want    float64
	}{{"full", false, 0.92}, {"summary", true, 0.85}} {
		bthr, _ := baselineBest(dev, mode.summary)
		for _, half := range []struct {
			name string
			arts []article
		}{{"dev", dev}, {"test", test}} {
			pred, _ := evalRun(t, half.arts, mode.summary, SimilarOptions{}, nil, nil)
			res := evaluate(half.arts, pred)
			b := baselineAt(half.arts, mode.summary, bthr)
			t.Logf("%-7s %-4s grouper B³ P %.3f R %.3f F1 %.3f | baseline (thr %.2f) P %.3f R %.3f F1 %.3f",
				mode.name, half.name, res.p, res.r, res.f, bthr, b.p, b.r, b.f)
			if half.name == "test" && res.f < mode.want {
				t.Errorf("%s, held-out half: B-cubed F1 %.4f, want ≥ %.2f", mode.name, res.f, mode.want)
			}
			for _, row := range res.langRows {
				t.Log(row)
			}
			// Re-reports dated as late as real ones come (redated): the
			// set's timing is tighter than real coverage's.
			late := redated(half.arts)
			lp, _ := evalRun(t, late, mode.summary, SimilarOptions{}, nil, nil)
			lr := evaluate(late, lp)
			t.Logf("%-7s %-4s re-reports dated as real ones come: grouper B³ P %.3f R %.3f F1 %.3f", mode.name, half.name, lr.p, lr.r, lr.f)
			sq := squeezed(half.arts)
			sp, _ := evalRun(t, sq, mode.summary, SimilarOptions{}, nil, nil)
			sr := evaluate(sq, sp)
			t.Logf("%-7s %-4s squeezed into 40 hours at random: grouper B³ P %.3f R %.3f F1 %.3f", mode.name, half.name, sr.p, sr.r, sr.f)
			if testing.Verbose() && os.Getenv("STORIES_WRONG") != "" && half.name == "dev" {
				// Each gold story as the grouper split it, and the
				// predicted stories that mix gold ones.
				byGold := map[string]map[string][]string{}
				byPred := map[string]map[string]bool{}
				for i, a := range half.arts {
					if byGold[a.Story] == nil {
						byGold[a.Story] = map[string][]string{}
					}
					byGold[a.Story][pred[i]] = append(byGold[a.Story][pred[i]], strings.TrimPrefix(a.ID, a.Story+"-")+"/"+a.Lang)
					if byPred[pred[i]] == nil {
						byPred[pred[i]] = map[string]bool{}
					}
					byPred[pred[i]][a.Story] = true
				}
				for _, g := range slices.Sorted(maps.Keys(byGold)) {
					if len(byGold[g]) > 1 {
						t.Logf("  split %s: %v", g, slices.Collect(maps.Values(byGold[g])))
					}
				}
				for _, p := range slices.Sorted(maps.Keys(byPred)) {
					if len(byPred[p]) > 1 {
						t.Logf("  merged %v", slices.Sorted(maps.Keys(byPred[p])))
					}
				}
			}
		}
	}
}

// realDelays are the deciles (0 %, 10 % … 100 %) of the hours between a
// story's first report and each later one on a private set of real
// coverage (91 re-reports of 27 events, 13 languages): a quarter come
// after 10 hours, a tenth after 21. The hard set's come sooner: 98 %
// within 12 hours.
var realDelays = [11]float64{0, 0.5, 1.3, 2.0, 2.9, 4.6, 6.0, 7.8, 14.5, 21.0, 48.0}

// redated returns arts with each story's later reports moved as late as
// real ones come: a report's delay after its story's first, ranked among
// the set's delays, becomes the real delay of that rank (realDelays,
// interpolated) when that is later. Order within a story is kept; single
// reports and first reports keep their dates.
func redated(arts []article) []article {
	out := slices.Clone(arts)
	first := map[string]time.Time{}
	for _, a := range out {
		if f, ok := first[a.Story]; !ok || a.Published.Before(f) {
			first[a.Story] = a.Published
		}
	}
	var delays []float64
	for _, a := range out {
		if d := a.Published.Sub(first[a.Story]).Hours(); d > 0 {
			delays = append(delays, d)
		}
	}
	slices.Sort(delays)
	for i := range out {
		a := &out[i]
		d := a.Published.Sub(first[a.Story]).Hours()
		if d <= 0 {
			continue
		}
		lo, _ := slices.BinarySearch(delays, d)
		hi := lo
		for hi < len(delays) && delays[hi] == d {
			hi++
		}
		x := float64(lo+hi) / 2 / float64(len(delays)) * 10 // its rank, in deciles
		j := min(int(x), 9)
		real := realDelays[j] + (realDelays[j+1]-realDelays[j])*(x-float64(j))
		if real > d {
			a.Published = first[a.Story].Add(time.Duration(real * float64(time.Hour)))
		}
	}
	slices.SortStableFunc(out, func(a, b article) int { return a.Published.Compare(b.Published) })
	return out
}

// squeezed returns arts dated anew within one 40-hour window, as the
// issue's set of real coverage is, so that time tells no event from
// another: each article at a time set by a hash of its ID, a story's times
// handed out to its reports in their order; in January 2026, far from the
// dates the texts write, so that their datelines stay keys as they do
// there. The set's own dates are set by hand, its re-reports close to
// their originals and its hard negatives further off.
func squeezed(arts []article) []article { return squeezedBy(arts, "") }

// squeezedBy is squeezed with salt written before each ID in the hash: another
// squeeze of the same set.
func squeezedBy(arts []article, salt string) []article {
	out := slices.Clone(arts)
	base := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	byStory := map[string][]int{}
	for i, a := range out {
		byStory[a.Story] = append(byStory[a.Story], i)
	}
	for _, idx := range byStory {
		times := make([]time.Time, len(idx))
		for k, i := range idx {
			h := fnv.New64a()
			h.Write([]byte(salt + out[i].ID))
			times[k] = base.Add(time.Duration(h.Sum64()%(40*3600)) * time.Second)
		}
		slices.SortFunc(times, time.Time.Compare)
		slices.SortStableFunc(idx, func(a, b int) int { return out[a].Published.Compare(out[b].Published) })
		for k, i := range idx {
			out[i].Published = times[k]
		}
	}
	slices.SortStableFunc(out, func(a, b article) int { return a.Published.Compare(b.Published) })
	return out
}

// squeezedInOrder returns arts dated anew within one 40-hour window in
// their own order: the set's whole span shrunk to 40 hours, so that
// reports of one event land seconds apart and a topic's events minutes or
// hours apart. It is the other way the squeeze may have been
// made: squeezedBy spreads each story over the window.
func squeezedInOrder(arts []article) []article {
	out := slices.Clone(arts)
	slices.SortStableFunc(out, func(a, b article) int { return a.Published.Compare(b.Published) })
	if len(out) < 2 {
		return out
	}
	base := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	lo, span := out[0].Published, out[len(out)-1].Published.Sub(out[0].Published).Seconds()
	for i := range out {
		f := 0.0
		if span > 0 {
			f = out[i].Published.Sub(lo).Seconds() / span
		}
		out[i].Published = base.Add(time.Duration(f * 40 * float64(time.Hour)))
	}
	return out
}

// mergeJoins merges the stories the item just added to story id linked,
// as the pipeline does: their items (in the store and in pred, the stories
// of the items before it) move to id.
func mergeJoins(g *Similar, l *evalLookup, pred []string, id int64) {
	for _, from := range g.Joins() {
		if from == id {
			continue
		}
		relabel(pred, from, id)
		l.merge(id, from)
		g.Merged(id, from)
	}
}

// relabel moves the articles of story from (pred) to story into.
func relabel(pred []string, from, into int64) {
	f, in := fmt.Sprint(from), fmt.Sprint(into)
	for j := range pred {
		if pred[j] == f {
			pred[j] = in
		}
	}
}
