package stories

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories/lex"
)

// FuzzFingerprint feeds any title and text to the fingerprint and to
// Assign and Added, as a feed item of any outlet could: nothing panics,
// the fingerprint is well formed (keys and sketches ascending and
// distinct, within their sizes) and the same whether the word cache is
// cold or warm, the item is indexed with its fingerprint whole, and a
// copy of a text of some substance from another outlet an hour later
// joins its story.
func FuzzFingerprint(f *testing.F) {
	f.Add("Kabulov: Russia ready to help", "MOSCOW, February 10. /TASS/. Russia is ready to help, Zamir Kabulov said on Friday. \"We are ready,\" he said.")
	f.Add("Кабулов: Россия готова", "МОСКВА, 10 февраля. /ТАСС/. Россия готова помочь, заявил Замир Кабулов. «Мы готовы», — сказал он. Прем'єр п'ять")
	f.Add("۶٫۲ ریشتر", "زلزله ۶٫۲ ریشتری در کابل؛ طالبان گفت ۱٬۲۰۰ نفر کشته شدند")
	f.Add("地震 10月7日", "阿富汗西部10月7日发生6.3级地震，塔利班称2,000人死亡。")
	f.Add("Rusya'dan açıklama", "1 200 000 people, 6,1 percent; the 2nd round on 7 de octubre. 'quoted' \"open \"\"")
	f.Add("", "")
	f.Add("a", "\"")
	f.Add("मुजाहिद ने कहा", "তালিবান মুখপাত্র জবিহুল্লাহ মুজাহিদ বলেছেন ৭ অক্টোবর")
	f.Fuzz(func(t *testing.T, title, text string) {
		g := NewSimilar(SimilarOptions{})
		var cold, warm fingerprint
		g.sc.fingerprint(title, text, &g.p, &cold)
		g.sc.fingerprint(title, text, &g.p, &warm)
		if !reflect.DeepEqual(cold, warm) {
			t.Fatalf("the fingerprint differs with the word cache warm:\n%+v\n%+v", cold, warm)
		}
		fp := &cold
		ascending := func(what string, xs []uint32, most int) {
			if len(xs) > most {
				t.Errorf("%s: %d values, at most %d", what, len(xs), most)
			}
			for i := 1; i < len(xs); i++ {
				if xs[i-1] >= xs[i] {
					t.Fatalf("%s not ascending and distinct at %d: %v", what, i, xs)
				}
			}
		}
		ascending("keys", fp.keys, len(title)+len(text))
		ascending("sketch", fp.sketch, g.p.sketch)
		ascending("quotes", fp.quotes, g.p.quotes)
		if len(fp.kinds) != len(fp.keys) {
			t.Errorf("%d kinds for %d keys", len(fp.kinds), len(fp.keys))
		}
		if len(fp.anchors) > g.p.maxAnchors {
			t.Errorf("%d anchors, at most %d", len(fp.anchors), g.p.maxAnchors)
		}
		for _, a := range fp.anchors {
			if _, ok := slices.BinarySearch(fp.keys, a); !ok {
				t.Errorf("anchor %#x is none of the keys", a)
			}
		}
		if n := len(fp.bands); n != 0 && n != g.p.bands {
			t.Errorf("%d band keys, want 0 or %d", n, g.p.bands)
		}
		if fp.date > 366 {
			t.Errorf("date %d is no day of the year", fp.date)
		}
		if fp.lang > lex.LangBeng {
			t.Errorf("language %d is none of lex's", fp.lang)
		}

		// As a feed item: assigned, added, then a copy from another outlet.
		l := &evalLookup{}
		pub := time.Date(2017, 2, 10, 9, 0, 0, 0, time.UTC)
		var ids [2]int64
		var next int64
		for i, src := range []string{"tass.example", "tolo.example"} {
			it := &feeds.Item{Feed: src, ID: src, URL: "https://" + src + "/1", Title: title, Text: text,
				Source: src, Published: pub.Add(time.Duration(i) * time.Hour), Dated: true}
			ids[i] = assignStore(t, g, l, &next, it)
			checkRecord(t, g, it)
		}
		if len(fp.keys) >= 8 && ids[1] != ids[0] {
			t.Errorf("a copy from another outlet an hour later started story %d, not joined %d (%d keys)", ids[1], ids[0], len(fp.keys))
		}
		if got := len(g.byID); got != 2 {
			t.Errorf("the index holds %d items, want 2", got)
		}
	})
}

// checkRecord fails t unless the record of it holds its fingerprint's
// sketches, keys and kinds as they were made.
func checkRecord(t *testing.T, g *Similar, it *feeds.Item) {
	t.Helper()
	r := g.byID[itemID(it)]
	if r == nil {
		t.Fatalf("item %s is not indexed", it.ID)
	}
	var fp fingerprint
	g.itemFingerprint(it, &fp)
	if !slices.Equal(r.sketch(), fp.sketch) || !slices.Equal(r.quotes(), fp.quotes) || !slices.Equal(r.keys(), fp.keys) {
		t.Fatalf("record of %s: sketch %d, quotes %d, keys %d values; its fingerprint %d, %d, %d",
			it.ID, len(r.sketch()), len(r.quotes()), len(r.keys()), len(fp.sketch), len(fp.quotes), len(fp.keys))
	}
	for i, kind := range fp.kinds {
		if got := r.kind(i); got != kind {
			t.Fatalf("record of %s: key %d of kinds %#x, its fingerprint %#x", it.ID, i, got, kind)
		}
	}
}

// TestLongTitle: a feed that puts a whole text in its titles (here 70,000
// words) gets records that hold their keys whole, and no more of the
// title's words than titleWords.
func TestLongTitle(t *testing.T) {
	var sb strings.Builder
	for i := range 70_000 {
		fmt.Fprintf(&sb, "word%dx ", i)
	}
	g := NewSimilar(SimilarOptions{})
	l := &evalLookup{}
	pub := time.Date(2017, 2, 10, 9, 0, 0, 0, time.UTC)
	it := &feeds.Item{Feed: "a", ID: "1", URL: "https://a.example/1", Title: sb.String(),
		Text: "Zamir Kabulov said in Moscow.", Published: pub, Dated: true}
	var next int64
	assignStore(t, g, l, &next, it)
	checkRecord(t, g, it)
	if n := len(g.byID[itemID(it)].keys()); n > titleWords+5 {
		t.Errorf("%d keys, want at most the title's %d words and the text's 5", n, titleWords)
	}
}

// FuzzIndexOperations drives an index of a small capacity and window
// through any sequence of what the pipeline does: items of a few stories
// assigned and added at dates that jump back and forth by hours or years,
// their joins merged, consolidation passes merged or declined, items
// forgotten, and restarts (a new index, which loads its items from the
// store). Nothing panics, and the index stays consistent after every step
// (checkIndex) and agrees with the store on the story of every item
// (checkStored).
func FuzzIndexOperations(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 2, 1, 0, 0, 3, 1, 0})
	f.Add([]byte{0, 5, 200, 0, 6, 7, 2, 0, 3, 0, 0, 5, 9, 1, 1})
	f.Add([]byte{0, 1, 255, 0, 2, 128, 0, 3, 3, 4, 0, 1, 0, 4, 4, 1, 3, 0, 0})
	texts := fuzzTexts()
	f.Fuzz(func(t *testing.T, ops []byte) {
		opts := SimilarOptions{Window: 6 * time.Hour, Capacity: 6}
		g := NewSimilar(opts)
		l := &evalLookup{byURL: map[string]int64{}, latest: map[int64]time.Time{}}
		base := time.Date(2020, 6, 1, 12, 0, 0, 0, time.UTC)
		var items []*feeds.Item
		var next int64
		arg := func(i int) byte {
			if i < len(ops) {
				return ops[i]
			}
			return 0
		}
		for i := 0; i < len(ops) && i < 300; i += 3 {
			a, b := arg(i+1), arg(i+2)
			switch ops[i] % 5 {
			case 0, 1: // an item: text a, dated b hours (or, past 200, years) from the base
				when := base.Add(time.Duration(b) * time.Hour)
				if b > 200 {
					when = base.AddDate(int(b)-228, 0, 0)
				}
				src := fmt.Sprintf("outlet%d.example", a%5)
				n := len(items)
				it := &feeds.Item{Feed: src, ID: fmt.Sprint(n), URL: fmt.Sprintf("https://%s/%d", src, n),
					Title: texts[int(a)%len(texts)][0], Text: texts[int(a)%len(texts)][1],
					Source: src, Published: when, Dated: true}
				mergeJoins(g, l, nil, assignStore(t, g, l, &next, it))
				items = append(items, it)
			case 2: // a consolidation pass, declining the joins b's bits say
				for k := 0; ; k++ {
					into, from, ok := g.NextJoin()
					if !ok {
						break
					}
					if k < 8 && b>>k&1 != 0 {
						g.Declined(into, from)
						continue
					}
					l.merge(into, from)
					g.Merged(into, from)
				}
			case 3: // an item forgotten (deleted from the store too)
				if len(items) == 0 {
					break
				}
				it := items[int(a)%len(items)]
				g.Forget([]*feeds.Item{it})
				l.stored = slices.DeleteFunc(l.stored, func(s storedItem) bool { return s.it == it })
			case 4: // a restart
				g = NewSimilar(opts)
			}
			checkIndex(t, g)
			checkStored(t, g, l)
		}
	})
}

// checkIndex fails t unless every indexed record is live and a member of
// a story the index holds, every story's members point back at it and
// its first and latest dates are its members', and the index counts as
// live the records it holds.
func checkIndex(t *testing.T, g *Similar) {
	t.Helper()
	for id, r := range g.byID {
		if r.dead || r.id != id {
			t.Fatalf("record %#x: dead %t, id %#x", id, r.dead, r.id)
		}
		if r.st == nil || g.stories[r.st.id] != r.st || !slices.Contains(r.st.members, r) {
			t.Fatalf("record %#x is no member of a story the index holds", id)
		}
	}
	members := 0
	for id, st := range g.stories {
		if st.id != id || len(st.members) == 0 {
			t.Fatalf("story %d: id %d, %d members", id, st.id, len(st.members))
		}
		first, latest := st.members[0].pub, st.members[0].pub
		for _, m := range st.members {
			if m.st != st || m.dead || g.byID[m.id] != m {
				t.Fatalf("story %d: member %#x belongs to story %v, dead %t", id, m.id, m.st != nil && m.st != st, m.dead)
			}
			first, latest = min(first, m.pub), max(latest, m.pub)
		}
		if st.first != first || st.latest != latest {
			t.Errorf("story %d spans %d–%d, its members %d–%d", id, st.first, st.latest, first, latest)
		}
		members += len(st.members)
	}
	if members != len(g.byID) || g.live != len(g.byID) {
		t.Fatalf("%d records indexed, %d story members, %d counted live", len(g.byID), members, g.live)
	}
}

// fuzzTexts are a few items of two stories of one envoy and of an
// unrelated one, in two languages, for FuzzIndexOperations.
func fuzzTexts() [][2]string {
	return [][2]string{
		{"Kabulov: Moscow ready to host Afghan talks", "MOSCOW, February 10. Russia is ready to host talks on Afghanistan, presidential envoy Zamir Kabulov told TASS on Friday. \"We are ready to help,\" he said, adding that China and Pakistan would take part."},
		{"Russia offers to host Afghan peace talks, envoy says", "Russia's envoy Zamir Kabulov said Moscow was ready to host talks on Afghanistan with China and Pakistan, according to TASS. \"We are ready to help,\" Kabulov said."},
		{"Кабулов: Москва готова принять переговоры", "Россия готова принять переговоры по Афганистану, заявил спецпредставитель Замир Кабулов. «Мы готовы помочь», — сказал он ТАСС."},
		{"Kabulov warns of Islamic State threat in northern Afghanistan", "Zamir Kabulov said on Tuesday that Islamic State fighters were gathering near the Tajik border, a threat to Central Asia, and that 2,000 of them were in the north."},
		{"Earthquake of 6.3 strikes western Afghanistan", "HERAT, October 7. An earthquake of magnitude 6.3 struck western Afghanistan on Saturday, killing at least 2,000 people, the Taliban said."},
		{"Herat quake toll passes 2,000", "The toll of the magnitude 6.3 earthquake in Herat province rose past 2,000, Taliban officials said on Sunday, as rescuers searched collapsed villages."},
	}
}

// checkStored fails t unless every stored item the index holds is in the
// story the store has it in.
func checkStored(t *testing.T, g *Similar, l *evalLookup) {
	t.Helper()
	for _, s := range l.stored {
		if r := g.byID[itemID(s.it)]; r != nil && r.st.id != s.story {
			t.Fatalf("item %s is in story %d in the index, %d in the store", s.it.ID, r.st.id, s.story)
		}
	}
}
