package stories

import (
	"context"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/feeds"
)

// synth writes synthetic news: words drawn from a Zipf-distributed
// vocabulary, capitalized names and numbers mixed in, quotations, and
// re-reports of earlier articles (rewrites, briefs) so that the index holds
// many near-duplicate clusters.
type synth struct {
	r      *rand.Rand
	words  []string
	names  []string
	zWords *rand.Zipf
	zNames *rand.Zipf
	bases  []synthArticle // recent originals, for re-reports
	next   int
}

type synthArticle struct {
	title     string
	sentences []string
}

func newSynth(seed uint64) *synth {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s := &synth{r: r}
	syl := func() string {
		const cons, vows = "bcdfghklmnprstvz", "aeiou"
		return string(cons[r.IntN(len(cons))]) + string(vows[r.IntN(len(vows))])
	}
	seen := map[string]bool{}
	gen := func(n, minSyl, maxSyl int) []string {
		out := make([]string, 0, n)
		for len(out) < n {
			var b strings.Builder
			for range minSyl + r.IntN(maxSyl-minSyl+1) {
				b.WriteString(syl())
			}
			if w := b.String(); !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
		return out
	}
	s.words = gen(40000, 1, 4)
	s.names = gen(20000, 2, 4)
	for i, n := range s.names {
		s.names[i] = strings.ToUpper(n[:1]) + n[1:]
	}
	s.zWords = rand.NewZipf(r, 1.07, 2, uint64(len(s.words)-1))
	s.zNames = rand.NewZipf(r, 1.1, 5, uint64(len(s.names)-1))
	return s
}

// sentence returns one sentence of 8–25 words; topic names recur.
func (s *synth) sentence(topic []string) string {
	n := 8 + s.r.IntN(18)
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		var w string
		switch x := s.r.IntN(100); {
		case x < 5:
			w = topic[s.r.IntN(len(topic))]
		case x < 9:
			w = s.names[s.zNames.Uint64()]
		case x < 11:
			w = strconv.Itoa(s.r.IntN(5000))
		default:
			w = s.words[s.zWords.Uint64()]
		}
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
	}
	if s.r.IntN(5) == 0 {
		return "\"" + b.String() + ",\" " + topic[0] + " said."
	}
	return b.String() + "."
}

// article returns the next synthetic item: an original (60%) or a re-report
// of a recent original.
func (s *synth) article() (title, text string) {
	if len(s.bases) > 0 && s.r.IntN(10) < 4 {
		base := s.bases[s.r.IntN(len(s.bases))]
		return s.rereport(base)
	}
	topic := make([]string, 3)
	for i := range topic {
		topic[i] = s.names[s.zNames.Uint64()]
	}
	a := synthArticle{title: s.sentence(topic)}
	words := 100 + s.r.IntN(500)
	for n := 0; n < words; {
		sen := s.sentence(topic)
		a.sentences = append(a.sentences, sen)
		n += strings.Count(sen, " ") + 1
	}
	if len(s.bases) < 2000 {
		s.bases = append(s.bases, a)
	} else {
		s.bases[s.next%len(s.bases)] = a
		s.next++
	}
	return a.title, strings.Join(a.sentences, " ")
}

// rereport rewrites an original: a new headline and lead, then most of its
// sentences (light), only its quotations and a few sentences in another
// order with new ones (heavy), or its lead and one quotation (brief).
func (s *synth) rereport(a synthArticle) (title, text string) {
	topic := []string{s.names[s.zNames.Uint64()], s.names[s.zNames.Uint64()]}
	out := []string{s.sentence(topic)}
	switch s.r.IntN(3) {
	case 0:
		for _, sen := range a.sentences {
			if s.r.IntN(10) < 7 {
				out = append(out, sen)
			}
		}
	case 1:
		for _, i := range s.r.Perm(len(a.sentences)) {
			if strings.HasPrefix(a.sentences[i], "\"") || s.r.IntN(10) < 2 {
				out = append(out, a.sentences[i])
			} else if s.r.IntN(10) < 3 {
				out = append(out, s.sentence(topic))
			}
		}
	default:
		out = append(out, a.sentences[0])
	}
	return s.sentence(topic), strings.Join(out, " ")
}

// benchAssign assigns synthetic item i to a story, a new one numbered
// from *story when it joins none, and adds it, as the pipeline does. The
// items come from 500 outlets in turn.
func benchAssign(ctx context.Context, b *testing.B, g *Similar, l benchLookup, story *int64, i int, pub time.Time, title, text string) {
	src := "outlet" + strconv.Itoa(i%500) + ".example"
	it := &feeds.Item{Feed: src, ID: strconv.Itoa(i), URL: "https://" + src + "/" + strconv.Itoa(i),
		Title: title, Text: text, Source: src, Published: pub, Dated: true}
	id, err := g.Assign(ctx, l, it)
	if err != nil {
		b.Fatal(err)
	}
	if id == 0 {
		*story++
		id = *story
	}
	g.Added(id, it)
}

// benchLookup answers StoryByURL from a map.
type benchLookup map[string]int64

func (l benchLookup) StoryByURL(_ context.Context, url string, _ time.Time) (int64, error) {
	return l[url], nil
}

func (benchLookup) StoryByTitleKey(context.Context, string, time.Time) (int64, error) {
	return 0, nil
}

// ItemsBetween knows no stored items: the benchmark indexes what it adds.
func (benchLookup) ItemsBetween(context.Context, time.Time, time.Time, func(int64, *feeds.Item) error) error {
	return nil
}

// BenchmarkSimilarAssign measures Assign and Added on an index holding
// 100,000 items of the last window; it reports items per second and the
// heap the index takes per item.
func BenchmarkSimilarAssign(b *testing.B) {
	const preload = 100_000
	end := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	g := NewSimilar(SimilarOptions{})
	s := newSynth(1)
	for len(s.bases) < 2000 {
		s.article() // the generator's memory of recent originals full, counted before, not per item
	}
	step := g.Window() / 2 / preload // the preload spans half the window

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	l := benchLookup{}
	var story int64
	ctx := context.Background()
	assign := func(i int, pub time.Time, title, text string) {
		benchAssign(ctx, b, g, l, &story, i, pub, title, text)
	}
	start := end.Add(-g.Window() / 2)
	for i := range preload {
		title, text := s.article()
		assign(i, start.Add(time.Duration(i)*step), title, text)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perItem := float64(after.HeapAlloc-before.HeapAlloc) / preload

	// New items, generated ahead (b.Loop runs this function once; past the
	// pool, items repeat as exact copies under new IDs).
	type art struct{ title, text string }
	arts := make([]art, 20_000)
	for i := range arts {
		arts[i].title, arts[i].text = s.article()
	}
	n := 0
	for b.Loop() {
		a := arts[n%len(arts)]
		assign(preload+n, end.Add(time.Duration(n)*time.Second), a.title, a.text)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(perItem, "B/item")
	b.ReportMetric(float64(len(g.stories)), "stories")
}

// BenchmarkFingerprint measures the fingerprint of one synthetic article
// (about 350 words).
func BenchmarkFingerprint(b *testing.B) {
	s := newSynth(2)
	type art struct{ title, text string }
	arts := make([]art, 1000)
	for i := range arts {
		arts[i].title, arts[i].text = s.article()
	}
	g := NewSimilar(SimilarOptions{})
	var fp fingerprint
	g.sc.fingerprint(arts[0].title, arts[0].text, &g.p, &fp) // the tables built on first use, not timed
	i := 0
	for b.Loop() {
		a := arts[i%len(arts)]
		g.sc.fingerprint(a.title, a.text, &g.p, &fp)
		i++
	}
}

// BenchmarkConsolidate measures the consolidation pass that follows each
// poll: on an index of 50,000 synthetic items, polls of 100 new items,
// each followed by a pass; it reports the pass's time per poll and per
// item of the poll (Assign and Added not counted), and the merges.
func BenchmarkConsolidate(b *testing.B) {
	const preload, poll = 50_000, 100
	end := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	g := NewSimilar(SimilarOptions{})
	s := newSynth(3)
	step := g.Window() / 2 / preload
	l := benchLookup{}
	var story int64
	ctx := context.Background()
	merges := 0
	pass := func() {
		for {
			into, from, ok := g.NextJoin()
			if !ok {
				return
			}
			g.Merged(into, from)
			merges++
		}
	}
	assign := func(i int, pub time.Time) {
		title, text := s.article()
		benchAssign(ctx, b, g, l, &story, i, pub, title, text)
	}
	start := end.Add(-g.Window() / 2)
	for i := range preload {
		assign(i, start.Add(time.Duration(i)*step))
		if i%poll == poll-1 {
			pass()
		}
	}
	merges = 0
	var spent time.Duration
	polls, n := 0, preload
	for b.Loop() {
		for range poll {
			assign(n, end.Add(time.Duration(n-preload)*time.Second))
			n++
		}
		t := time.Now()
		pass()
		spent += time.Since(t)
		polls++
	}
	b.ReportMetric(float64(spent.Microseconds())/1000/float64(polls), "ms/pass")
	b.ReportMetric(float64(spent.Microseconds())/float64(polls*poll), "µs/item")
	b.ReportMetric(float64(merges)/float64(polls), "merges/pass")
}

// BenchmarkConsolidateFarm measures the passes on a stream like the
// capacity bench's feed farm (bench/farm), where they cost most: stories
// told in a vocabulary of a few hundred words, so that every story comes
// close to many others; 30% of the items cover one of the 200 latest
// stories again. 16,000 items in polls of 50, a pass after each poll, as
// the pipeline runs them; it reports the passes' time per poll.
func BenchmarkConsolidateFarm(b *testing.B) {
	const items, poll = 16_000, 50
	r := rand.New(rand.NewPCG(1, 2))
	var seeds []uint64
	its := make([]*feeds.Item, items)
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	for i := range its {
		s := -1
		if len(seeds) > 0 && r.Float64() < 0.3 {
			s = len(seeds) - 1 - r.IntN(min(len(seeds), 200))
		}
		if s < 0 {
			seeds = append(seeds, r.Uint64())
			s = len(seeds) - 1
		}
		title, html := farm.Text(seeds[s], 1000+r.IntN(9000))
		text := feeds.PlainBody(html)
		src := "f" + strconv.Itoa(i/poll) + ".example"
		its[i] = &feeds.Item{Feed: src, ID: strconv.Itoa(i), URL: "https://" + src + "/" + strconv.Itoa(i),
			Title: title, Text: text, Source: src, Published: start.Add(time.Duration(i) * 5 * time.Second), Dated: true}
	}
	ctx := context.Background()
	var spent time.Duration
	passes, merges := 0, 0
	for b.Loop() {
		g := NewSimilar(SimilarOptions{})
		var story int64
		for i, it := range its {
			id, err := g.Assign(ctx, benchLookup{}, it)
			if err != nil {
				b.Fatal(err)
			}
			if id == 0 {
				story++
				id = story
			}
			g.Added(id, it)
			for _, from := range g.Joins() {
				g.Merged(id, from)
			}
			if i%poll == poll-1 {
				t := time.Now()
				for {
					into, from, ok := g.NextJoin()
					if !ok {
						break
					}
					g.Merged(into, from)
					merges++
				}
				spent += time.Since(t)
				passes++
			}
		}
	}
	b.ReportMetric(float64(spent.Microseconds())/1000/float64(passes), "ms/pass")
	b.ReportMetric(float64(merges)/float64(passes), "merges/pass")
}
