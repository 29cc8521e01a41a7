package stories

import (
	"context"
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
		ctx := context.Background()
		l := &evalLookup{}
		pub := time.Date(2017, 2, 10, 9, 0, 0, 0, time.UTC)
		var ids [2]int64
		for i, src := range []string{"tass.example", "tolo.example"} {
			it := &feeds.Item{Feed: src, ID: src, URL: "https://" + src + "/1", Title: title, Text: text,
				Source: src, Published: pub.Add(time.Duration(i) * time.Hour), Dated: true}
			id, err := g.Assign(ctx, l, it)
			if err != nil {
				t.Fatal(err)
			}
			if id == 0 {
				id = int64(i + 1)
			}
			g.Added(id, it)
			l.store(id, it)
			ids[i] = id
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
	g.sc.pub = it.Published
	g.sc.fingerprint(it.Title, it.Text, &g.p, &fp)
	g.sc.pub = time.Time{}
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
	id, err := g.Assign(context.Background(), l, it)
	if err != nil {
		t.Fatal(err)
	}
	if id == 0 {
		id = 1
	}
	g.Added(id, it)
	checkRecord(t, g, it)
	if n := len(g.byID[itemID(it)].keys()); n > titleWords+5 {
		t.Errorf("%d keys, want at most the title's %d words and the text's 5", n, titleWords)
	}
}
