//go:build unix

package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
)

// gen makes realistic items: words drawn from a Zipf distribution over a
// large vocabulary (English-like and Russian), stories with their own
// names and topic words, a few hundred outlets, five years of dates.
type gen struct {
	r       *rand.Rand
	now     time.Time
	en, ru  []string
	zen     *rand.Zipf
	zru     *rand.Zipf
	names   []string
	znames  *rand.Zipf
	outlets []string
	seq     int   // items made
	stories int   // stories made
	run     int64 // makes the items' ids differ from an earlier run's
	total   int   // stories to spread over five years
}

// story is what a story's items share.
type story struct {
	names, topic []string
	ru           bool
	at           time.Time
	id           int
	dbID         int64 // once stored
}

// Real names and words that the queries look for, among generated ones.
var (
	realNames = []string{"Taliban", "Kabulov", "Zamir Kabulov", "Lavrov", "Tajikistan", "CSTO", "Afghanistan", "Kabul",
		"Uzbekistan", "Moscow", "Dushanbe", "Collective Security Treaty Organization", "Putin", "UN Security Council"}
	realRu = []string{"Кабулов", "Замир Кабулов", "талибы", "ОДКБ", "Таджикистан", "Лавров", "Афганистан", "граница"}
	common = strings.Fields(`the of and to in a is that for on said with as by at from has was it its be have will are
		an not this but they who after over new more than also officials government security talks`)
	// topical words: a story is about one of them now and then
	topical = strings.Fields(`border envoy minister sanctions sanction sanctioned delisting delisted meeting visit
		president agreement forces attack clash clashes football league military economic trade state foreign ministry
		report week year statement country region`)
)

func newGen(now time.Time) *gen {
	r := rand.New(rand.NewPCG(1, 2))
	g := &gen{r: r, now: now, run: time.Now().UnixNano() % 1e6}
	syl := strings.Fields("ka ri to ne sa mo lu ve di pa ro ha ni te bo zu fi ga le mi ko ra su ta ve no lo")
	word := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		return b.String()
	}
	g.en = append(g.en, common...)
	for len(g.en) < 40_000 {
		g.en = append(g.en, word(2+r.IntN(3)))
	}
	for i, w := range topical { // rare as background words: they come with stories' topics
		g.en[3000+i*200] = w
	}
	rsyl := strings.Fields("ка ри то не са мо лу ве ди па ро ха ни те бо зу фи га ле ми ко ра су та но ло ст пр")
	for len(g.ru) < 30_000 {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(rsyl[r.IntN(len(rsyl))])
		}
		g.ru = append(g.ru, b.String())
	}
	g.names = append(g.names, realNames...)
	for len(g.names) < 5000 {
		w := word(2 + r.IntN(2))
		g.names = append(g.names, strings.ToUpper(w[:1])+w[1:])
	}
	r.Shuffle(len(g.names)-len(realNames), func(i, j int) { // the real names among the first few hundred
		i, j = i+len(realNames), j+len(realNames)
		g.names[i], g.names[j] = g.names[j], g.names[i]
	})
	for i, n := range realNames { // spread over ranks 3 to 600
		// Swapped, not written over: rank 3 is one of the real names'
		// own first places (Lavrov's), and writing Taliban there lost it
		// to the next name's move (Lavrov twice, at ranks 0 and 138).
		k := 3 + i*45
		j := slices.Index(g.names, n)
		g.names[j], g.names[k] = g.names[k], g.names[j]
	}
	g.zen = rand.NewZipf(r, 1.1, 2, uint64(len(g.en)-1))
	g.zru = rand.NewZipf(r, 1.1, 2, uint64(len(g.ru)-1))
	g.znames = rand.NewZipf(r, 1.05, 5, uint64(len(g.names)-1))
	g.outlets = []string{"tass.com", "ria.ru", "reuters.com", "apnews.com", "tolonews.com", "eurasianet.org", "bbc.co.uk"}
	for len(g.outlets) < 300 {
		g.outlets = append(g.outlets, word(3)+".com")
	}
	return g
}

func (g *gen) story() *story {
	s := &story{ru: g.r.IntN(10) == 0, id: g.stories}
	g.stories++
	// Stories come in date order over five years, as a bot running that
	// long stored them; jitter of two days.
	span := 5 * 365 * 24 * time.Hour
	frac := min(float64(s.id)/float64(max(g.total, 1)), 1)
	s.at = g.now.Add(-span + time.Duration(frac*float64(span)) - time.Duration(g.r.Int64N(int64(48*time.Hour))))
	for range 2 + g.r.IntN(3) {
		s.names = append(s.names, g.names[g.znames.Uint64()])
	}
	if s.ru && g.r.IntN(3) == 0 {
		s.names = append(s.names, realRu[g.r.IntN(len(realRu))])
	}
	if !s.ru && g.r.IntN(3) == 0 {
		s.topic = append(s.topic, topical[g.r.IntN(len(topical))])
	}
	for range 6 {
		if s.ru {
			s.topic = append(s.topic, g.ru[g.r.IntN(len(g.ru)/4)])
		} else {
			s.topic = append(s.topic, g.en[g.r.IntN(len(g.en)/4)])
		}
	}
	return s
}

// words returns k words for a story's item: its names and topic words
// among words of the language.
func (g *gen) words(s *story, k int) string {
	ws := make([]string, 0, k)
	for range k {
		switch x := g.r.IntN(10); {
		case x == 0:
			ws = append(ws, s.names[g.r.IntN(len(s.names))])
		case x <= 2:
			ws = append(ws, s.topic[g.r.IntN(len(s.topic))])
		case s.ru:
			ws = append(ws, g.ru[g.zru.Uint64()])
		default:
			ws = append(ws, g.en[g.zen.Uint64()])
		}
	}
	return strings.Join(ws, " ")
}

func (g *gen) item(s *story, j int) *feeds.Item {
	g.seq++
	src := g.outlets[g.r.IntN(len(g.outlets))]
	if g.r.IntN(4) == 0 {
		src = g.outlets[g.r.IntN(7)]
	}
	it := &feeds.Item{
		Feed:      src,
		ID:        fmt.Sprintf("%d-%d-%d", g.run, s.id, g.seq),
		URL:       fmt.Sprintf("https://%s/news/%d", src, g.seq),
		Title:     g.words(s, 7+g.r.IntN(6)),
		Text:      g.words(s, 40+g.r.IntN(60)) + ".",
		Source:    src,
		Published: s.at.Add(time.Duration(j) * time.Duration(g.r.Int64N(int64(3*time.Hour)))),
		Dated:     true,
	}
	it.Hash = fmt.Sprintf("%x", g.seq)
	it.Attribute()
	return it
}
