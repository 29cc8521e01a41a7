package feeds

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/wirewatch/wirewatch/bench/farm"
)

var parseNow = time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// item fills in Feed and Hash the way Parse does, so tables list only what
// matters.
func item(feed string, it Item) Item {
	it.Feed = feed
	it.Hash = EditHash(it.Title, it.Text)
	return it
}

func compareItems(t *testing.T, got, want []Item) {
	t.Helper()
	if len(got) != len(want) {
		for i, g := range got {
			t.Logf("got[%d] = %+v", i, g)
		}
		t.Fatalf("len(Items) = %d, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		check := func(field, gv, wv string) {
			if gv != wv {
				t.Errorf("item %d %s = %q, want %q", i, field, gv, wv)
			}
		}
		check("Feed", g.Feed, w.Feed)
		check("ID", g.ID, w.ID)
		check("URL", g.URL, w.URL)
		check("Title", g.Title, w.Title)
		check("Text", g.Text, w.Text)
		check("Source", g.Source, w.Source)
		check("Hash", g.Hash, w.Hash)
		if !g.Published.Equal(w.Published) || g.Published.Location() != time.UTC {
			t.Errorf("item %d Published = %v, want %v in UTC", i, g.Published, w.Published)
		}
		if g.Dated != w.Dated {
			t.Errorf("item %d Dated = %v, want %v", i, g.Dated, w.Dated)
		}
	}
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		name         string
		file         string
		opts         ParseOptions
		wantTitle    string
		wantSiteLink string
		want         []Item
	}{
		{
			name:         "rss",
			file:         "steppewire.rss",
			opts:         ParseOptions{Feed: "steppewire", FeedURL: "https://www.steppewire.kz/en/rss.xml", Now: parseNow},
			wantTitle:    "Steppe Wire & Partners — Central Asia",
			wantSiteLink: "https://www.steppewire.kz/en/",
			want: []Item{
				item("steppewire", Item{
					ID:    "sw-20250314-001",
					URL:   "https://www.steppewire.kz/en/news/2025/03/14/envoy-water-deal?id=42",
					Title: "EU envoy: Central Asia’s water deal is “within reach”",
					// content:encoded is longer than the description, so it wins.
					Text: "In an interview with Steppe Wire, the EU special representative said Kazakhstan, Kyrgyzstan & Uzbekistan were close to a deal on the Syr Darya. " +
						"“The numbers add up,” she said in Almaty. Talks resume in Tashkent in April.",
					Source:    "steppewire.kz",
					Published: time.Date(2025, 3, 14, 4, 30, 0, 0, time.UTC),
					Dated:     true,
				}),
				item("steppewire", Item{ // no GUID, relative link with a fragment
					ID:        "https://www.steppewire.kz/en/news/2025/03/13/border-talks",
					URL:       "https://www.steppewire.kz/en/news/2025/03/13/border-talks",
					Title:     "Tajik and Kyrgyz officials resume border talks",
					Text:      `Officials called the round "constructive". Next meeting in Batken.`,
					Source:    "steppewire.kz",
					Published: time.Date(2025, 3, 13, 13, 5, 0, 0, time.UTC),
					Dated:     true,
				}),
				item("steppewire", Item{ // undated, permalink GUID instead of a link
					ID:        "https://www.steppewire.kz/en/news/kyrgyz-media-law?fbclid=IwAR0xyz",
					URL:       "https://www.steppewire.kz/en/news/kyrgyz-media-law",
					Title:     "Kyrgyz parliament backs media law changes",
					Text:      "Deputies voted 61–9.",
					Source:    "steppewire.kz",
					Published: parseNow,
					Dated:     false,
				}),
				// The repeated GUID and the empty item are gone.
			},
		},
		{
			name:         "atom",
			file:         "caspianherald.atom",
			opts:         ParseOptions{Feed: "caspian", FeedURL: "https://amp.caspianherald.com/feed.atom", Now: parseNow},
			wantTitle:    "Caspian Herald",
			wantSiteLink: "https://amp.caspianherald.com/",
			want: []Item{
				item("caspian", Item{
					ID:        "tag:caspianherald.com,2025:1001",
					URL:       "https://caspianherald.com/2025/03/14/envoy-water-deal/?ref=home",
					Title:     "EU envoy says water deal close, Steppe Wire reports",
					Text:      "The EU’s special representative told Steppe Wire that a Syr Darya water-sharing deal was close. Kazakhstan Uzbekistan",
					Source:    "caspianherald.com",
					Published: time.Date(2025, 3, 14, 7, 45, 0, 0, time.UTC),
					Dated:     true,
				}),
				item("caspian", Item{ // only <updated>
					ID:        "tag:caspianherald.com,2025:1000",
					URL:       "https://caspianherald.com/ru/2025/03/13/gas-pipeline",
					Title:     "Туркменистан откроет новый газопровод",
					Text:      "Ашхабад объявил о запуске газопровода.",
					Source:    "caspianherald.com",
					Published: time.Date(2025, 3, 13, 9, 0, 0, 0, time.UTC),
					Dated:     true,
				}),
				item("caspian", Item{ // dated 2099: clamped to first seen
					ID:        "tag:caspianherald.com,2025:0999",
					URL:       "https://caspianherald.com/2099/01/01/future",
					Title:     "Clock skew: a post from the future",
					Text:      "Broken CMS dates.",
					Source:    "caspianherald.com",
					Published: parseNow,
					Dated:     false,
				}),
			},
		},
		{
			name:         "json feed",
			file:         "ortaasia.json",
			opts:         ParseOptions{Feed: "ortaasia", FeedURL: "https://m.ortaasia.news/feed.json", Now: parseNow},
			wantTitle:    "Orta Asia News",
			wantSiteLink: "https://m.ortaasia.news/",
			want: []Item{
				item("ortaasia", Item{
					ID:        "https://ortaasia.news/p/5521",
					URL:       "https://ortaasia.news/p/5521?amp_js_v=0.1&lang=en",
					Title:     "Envoy's interview: what the Syr Darya deal means for Uzbekistan",
					Text:      "Re-reporting the EU envoy’s interview, we look at Uzbekistan's share. Farmers in Fergana are cautious.",
					Source:    "ortaasia.news",
					Published: time.Date(2025, 3, 14, 5, 15, 0, 0, time.UTC),
					Dated:     true,
				}),
				item("ortaasia", Item{ // external_url only, date_modified only; the outlet is the feed's site
					ID:        "5522",
					URL:       "https://www.steppewire.kz/en/news/2025/03/14/envoy-water-deal",
					Title:     "Read: the full envoy interview",
					Text:      "Link to the original interview.",
					Source:    "ortaasia.news",
					Published: time.Date(2025, 3, 14, 6, 0, 0, 0, time.UTC),
					Dated:     true,
				}),
			},
		},
		{
			name:         "source override",
			file:         "ortaasia.json",
			opts:         ParseOptions{Feed: "ortaasia", Source: "ortaasia.uz", Now: parseNow},
			wantTitle:    "Orta Asia News",
			wantSiteLink: "https://m.ortaasia.news/",
			want: []Item{
				item("ortaasia", Item{
					ID:        "https://ortaasia.news/p/5521",
					URL:       "https://ortaasia.news/p/5521?amp_js_v=0.1&lang=en",
					Title:     "Envoy's interview: what the Syr Darya deal means for Uzbekistan",
					Text:      "Re-reporting the EU envoy’s interview, we look at Uzbekistan's share. Farmers in Fergana are cautious.",
					Source:    "ortaasia.uz",
					Published: time.Date(2025, 3, 14, 5, 15, 0, 0, time.UTC),
					Dated:     true,
				}),
				item("ortaasia", Item{
					ID:        "5522",
					URL:       "https://www.steppewire.kz/en/news/2025/03/14/envoy-water-deal",
					Title:     "Read: the full envoy interview",
					Text:      "Link to the original interview.",
					Source:    "ortaasia.uz",
					Published: time.Date(2025, 3, 14, 6, 0, 0, 0, time.UTC),
					Dated:     true,
				}),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(readFixture(t, tt.file), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", got.Title, tt.wantTitle)
			}
			if got.SiteLink != tt.wantSiteLink {
				t.Errorf("SiteLink = %q, want %q", got.SiteLink, tt.wantSiteLink)
			}
			compareItems(t, got.Items, tt.want)
		})
	}
}

func TestParseWithoutSiteLink(t *testing.T) {
	// No <link> in the channel: relative links resolve against the feed URL,
	// the outlet comes from each item's URL, else from the feed URL.
	const body = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Wire</title>
<item><title>Absolute</title><link>https://www.kabar.example.kg/news/1?utm_source=x</link></item>
<item><title>Relative</title><link>/news/2</link></item>
<item><title>No link</title><description>Only text &lt;b&gt;here&lt;/b&gt;</description></item>
</channel></rss>`
	got, err := Parse([]byte(body), ParseOptions{Feed: "wire", FeedURL: "https://feeds.akipress.example.org/wire.xml", Now: parseNow})
	if err != nil {
		t.Fatal(err)
	}
	if got.SiteLink != "" {
		t.Errorf("SiteLink = %q, want empty", got.SiteLink)
	}
	want := []Item{
		item("wire", Item{ID: "https://www.kabar.example.kg/news/1", URL: "https://www.kabar.example.kg/news/1", Title: "Absolute", Source: "example.kg", Published: parseNow}),
		item("wire", Item{ID: "https://feeds.akipress.example.org/news/2", URL: "https://feeds.akipress.example.org/news/2", Title: "Relative", Source: "example.org", Published: parseNow}),
		item("wire", Item{ID: ContentHash("No link", "Only text here"), Title: "No link", Text: "Only text here", Source: "example.org", Published: parseNow}),
	}
	compareItems(t, got.Items, want)
}

func TestParseLocalFeedHasNoSource(t *testing.T) {
	const body = `{"version": "https://jsonfeed.org/version/1.1", "title": "Local", "items": [{"id": "a", "content_text": "note"}]}`
	got, err := Parse([]byte(body), ParseOptions{Feed: "local", FeedURL: "/srv/feeds/local.json", Now: parseNow})
	if err != nil {
		t.Fatal(err)
	}
	want := []Item{item("local", Item{ID: "a", Text: "note", Published: parseNow})}
	compareItems(t, got.Items, want)
}

func TestParseNowDefaultsToClock(t *testing.T) {
	const body = `<rss version="2.0"><channel><title>T</title><item><title>Undated</title></item></channel></rss>`
	before := time.Now()
	got, err := Parse([]byte(body), ParseOptions{Feed: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 {
		t.Fatalf("len(Items) = %d, want 1", len(got.Items))
	}
	if p := got.Items[0].Published; p.Before(before.Add(-time.Second)) || p.After(time.Now().Add(time.Second)) || p.Location() != time.UTC {
		t.Errorf("Published = %v, want about now in UTC", p)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		body []byte
	}{
		{"malformed xml", readFixture(t, "malformed.xml")},
		{"not a feed", []byte("<html><body>Hello</body></html>")},
		{"plain text", []byte("hello")},
		{"empty", nil},
		{"broken json", []byte(`{"version": "https://jsonfeed.org/version/1.1", "items": [`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.body, ParseOptions{Feed: "broken-feed"})
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", got)
			}
			if !strings.Contains(err.Error(), "broken-feed") {
				t.Errorf("err = %q, want it to name the feed", err)
			}
		})
	}
}

func TestParseAttributesItems(t *testing.T) {
	// Parse sets Wire and Origin, which the store saves as they are.
	const body = `<rss version="2.0"><channel><title>T</title>
<item><title>Kabulov says Moscow will keep talking</title><link>https://tass.com/1</link></item>
<item><title>Envoy says talks go on, told TASS</title><link>https://tolonews.com/2</link></item>
<item><title>Envoy says talks go on</title><link>https://dawn.com/3</link></item>
</channel></rss>`
	got, err := Parse([]byte(body), ParseOptions{Feed: "t", Now: parseNow})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		wire   bool
		origin string
	}{{true, "tass"}, {false, "tass"}, {false, "dawn.com"}}
	if len(got.Items) != len(want) {
		t.Fatalf("len(Items) = %d, want %d", len(got.Items), len(want))
	}
	for i, w := range want {
		if it := got.Items[i]; it.Wire != w.wire || it.Origin != w.origin {
			t.Errorf("item %d (%s): Wire, Origin = %v, %q; want %v, %q", i, it.Source, it.Wire, it.Origin, w.wire, w.origin)
		}
	}
}

// TestParseFeedIsGofeeds checks parseFeed against gofeed's Parser.Parse,
// which it replaces to spare copies of the document: the same feed, field
// for field (for RSS and Atom, which fastfeed reads, the fields Parse
// reads), or the same error, on the fixtures, the farm's documents (RSS,
// Atom, JSON Feed) and documents of no type.
func TestParseFeedIsGofeeds(t *testing.T) {
	var docs [][]byte
	for _, name := range []string{"caspianherald.atom", "ortaasia.json", "steppewire.rss", "malformed.xml"} {
		docs = append(docs, readFixture(t, name))
	}
	fm, err := farm.Start(farm.Options{Feeds: 9, Seed: 3, MaxItems: 12})
	if err != nil {
		t.Fatal(err)
	}
	defer fm.Close()
	for i := range fm.Len() {
		docs = append(docs, fm.Body(i))
	}
	docs = append(docs, []byte(""), []byte("  \n{not json"), []byte("<html><body>a page</body></html>"),
		[]byte("\ufeff<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"))
	parser := gofeed.NewParser()
	parser.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	for i, doc := range docs {
		want, wantErr := parser.Parse(bytes.NewReader(doc))
		got, err := parseFeed(doc)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Errorf("document %d: error %v, gofeed's %v", i, err, wantErr)
		}
		switch {
		case got == nil || want == nil || want.FeedType == "json":
			if !reflect.DeepEqual(got, want) {
				t.Errorf("document %d: parsed unlike gofeed", i)
			}
		case !reflect.DeepEqual(viewOf(got), viewOf(want)):
			t.Errorf("document %d: parsed unlike gofeed", i)
		}
	}
}
