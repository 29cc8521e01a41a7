package stories

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
)

// The texts below are invented for these tests: an envoy's interview on a
// canal (the wire and three re-reports), the same envoy's statement on
// another matter the same day, and unrelated stories that give the index
// the word statistics of a working day.

var (
	quoteCanal1 = `"We will not let the Kharan canal become a source of conflict between neighbours," Merkov said.`
	quoteCanal2 = `"The technical commission must meet before the spring floods, otherwise the farmers downstream will pay the price," he warned.`
	quoteCanal3 = `"Moscow is ready to host the talks, and we have already sent invitations to both capitals," the envoy said.`
)

var canalWire = feeds.Item{
	Title: "Merkov: Moscow ready to host Kharan canal talks between Velaria and Ostrania",
	Text: strings.Join([]string{
		"Special envoy Ruslan Merkov said in an interview with Steppe Wire on Tuesday that Moscow was prepared to host talks between Velaria and Ostrania on the disputed Kharan canal, which already diverts about 14 percent of the river's flow.",
		quoteCanal3,
		"He added that the two governments had agreed in principle to a meeting of their water ministers, although no date has been set and the Ostranian side still wants guarantees on the volume of water taken in dry years.",
		quoteCanal1,
		"The canal, under construction since 2027, is expected to irrigate 420,000 hectares of desert in northern Velaria once its third section is finished, according to the Velarian water ministry.",
		quoteCanal2,
		"Farmers in the lower reaches of the river have complained for two seasons that the level of the water in their irrigation channels has fallen, and local officials blame the canal works upstream.",
	}, "\n\n"),
}

// canalLight keeps most paragraphs of the wire under a new headline and lead.
var canalLight = feeds.Item{
	Title: "Russia offers to mediate in Velaria-Ostrania canal dispute",
	Text: strings.Join([]string{
		"Russia has offered to mediate between Velaria and Ostrania over the Kharan canal, the Kremlin's special envoy Ruslan Merkov told the Steppe Wire agency on Tuesday.",
		quoteCanal3,
		"He added that the two governments had agreed in principle to a meeting of their water ministers, although no date has been set and the Ostranian side still wants guarantees on the volume of water taken in dry years.",
		quoteCanal1,
		"The canal, under construction since 2027, is expected to irrigate 420,000 hectares of desert in northern Velaria once its third section is finished, according to the Velarian water ministry.",
		quoteCanal2,
	}, "\n\n"),
}

// canalHeavy keeps only the quotations, reordered, and adds its own text.
var canalHeavy = feeds.Item{
	Title: "Kremlin envoy urges water commission to meet before floods",
	Text: strings.Join([]string{
		"Ostrania's government should send its experts to the joint technical commission on the Kharan canal without delay, the Russian envoy Ruslan Merkov has said, according to Steppe Wire.",
		quoteCanal2,
		"Ostrania's ministry of agriculture says yields of wheat and cotton in the three southern provinces have dropped by a fifth since the diversion began, and farmers' unions have held protests in the provincial capital.",
		quoteCanal1,
		"Independent hydrologists have long warned that the project lacks a water-sharing agreement between the two countries.",
		quoteCanal3,
	}, "\n\n"),
}

// canalBrief is two sentences of the wire's substance and one quotation.
var canalBrief = feeds.Item{
	Title: "Moscow to host Velaria-Ostrania canal talks, envoy says",
	Text:  "Special envoy Ruslan Merkov said Moscow was prepared to host talks between Velaria and Ostrania on the Kharan canal, which diverts about 14 percent of the river's flow. " + quoteCanal3,
}

// detainees is the same envoy the same day on another matter.
var detainees = feeds.Item{
	Title: "Merkov urges Velaria and Ostrania to complete detainee exchange",
	Text: strings.Join([]string{
		"Special envoy Ruslan Merkov on Tuesday urged Velaria and Ostrania to complete the exchange of 37 detainees agreed in Geneva last autumn, saying Moscow had passed lists of names to both sides.",
		`"The exchange of detainees is a humanitarian matter and should not be held hostage to politics," Merkov told reporters in Moscow.`,
		"The exchange has stalled over the fate of two pilots whose helicopter came down near the border in August, and neither government has commented on the lists.",
	}, "\n\n"),
}

// background are unrelated stories of the same day.
var background = []feeds.Item{
	{Title: "Magnitude 5.8 earthquake strikes Zarvan province, 12 dead", Text: "An earthquake of magnitude 5.8 struck the mountainous Zarvan province early on Tuesday, killing at least 12 people and injuring 63, the provincial disaster agency said. The quake hit at a depth of 10 kilometres near the town of Belkash, where several mud-brick houses collapsed."},
	{Title: "Velaria central bank raises key rate to 17.5%", Text: "The National Bank of Velaria raised its key interest rate by 150 basis points to 17.5 percent on Tuesday, citing inflation that reached 11.2 percent in February, governor Alina Rastova told a news conference in Varn."},
	{Title: "Rail corridor to Ostrania to open in June", Text: "A rail freight corridor linking Russia with Ostrania through Velaria will open in June, the transport ministry said on Tuesday. The 1,150-kilometre route cuts delivery times by about nine days, and the first trains will carry grain and fertiliser."},
	{Title: "Ostranian parliament approves budget for next year", Text: "The Ostranian parliament on Tuesday approved the budget for next year, with spending on defence up by 8 percent and on health by 5 percent, after a debate that lasted two days. The opposition voted against it."},
	{Title: "Floods cut road to Belkash after heavy rain", Text: "Heavy rain caused floods that cut the only road to Belkash on Monday night, and rescue teams evacuated 240 families from low-lying villages, the regional emergency service said on Tuesday."},
	{Title: "Velarian football club wins cup final on penalties", Text: "Dinamo Varn won the national cup on Tuesday, beating Kharan United 4-3 on penalties after a goalless draw in front of 30,000 spectators at the capital's central stadium."},
	{Title: "Wheat harvest forecast cut as drought persists", Text: "The agriculture ministry of Ostrania cut its wheat harvest forecast by 9 percent to 2.1 million tonnes on Tuesday, blaming the third dry spring in a row in the southern provinces."},
	{Title: "Varn airport to get a second runway by 2029", Text: "Velaria will build a second runway at Varn international airport by 2029 at a cost of 310 million dollars, the transport minister told parliament, adding that the tender would be announced in the spring."},
}

var day = time.Date(2031, 3, 4, 6, 0, 0, 0, time.UTC)

// item returns a copy of it with an identity, a URL and a date.
func item(it feeds.Item, id string, at time.Time) *feeds.Item {
	it.Feed, it.ID, it.Source = "test", id, id+".example"
	it.URL = "https://" + id + ".example/news/1"
	it.Published, it.Dated = at, true
	return &it
}

// testGrouper is a Similar with the background stories indexed, and the
// next free story ID.
func testGrouper(t *testing.T) (*Similar, *int64) {
	t.Helper()
	g := NewSimilar(SimilarOptions{})
	next := int64(100)
	for i, it := range background {
		next++
		g.Load(next, item(it, fmt.Sprint("bg", i), day.Add(time.Duration(i)*time.Minute)))
	}
	return g, &next
}

// place assigns an item as the pipeline does and returns its story.
func place(t *testing.T, g *Similar, next *int64, it *feeds.Item) int64 {
	t.Helper()
	id, err := g.Assign(context.Background(), noURLs{}, it)
	if err != nil {
		t.Fatal(err)
	}
	if id == 0 {
		*next++
		id = *next
	}
	g.Added(id, it)
	return id
}

// noURLs is a Lookup that knows no URL.
type noURLs struct{}

func (noURLs) StoryByURL(context.Context, string, time.Time) (int64, error) { return 0, nil }
func (noURLs) StoryByTitleKey(context.Context, string, time.Time) (int64, error) {
	return 0, nil
}
func (noURLs) ItemsBetween(context.Context, time.Time, time.Time, func(int64, *feeds.Item) error) error {
	return nil
}

func TestSimilarAssign(t *testing.T) {
	tests := []struct {
		name  string
		item  feeds.Item
		after time.Duration // after the wire
		join  bool
	}{
		{"light rewrite joins", canalLight, 3 * time.Hour, true},
		{"heavy rewrite joins", canalHeavy, 8 * time.Hour, true},
		{"brief joins", canalBrief, time.Hour, true},
		{"light rewrite, summary only, joins", firstParagraphOf(canalLight), 3 * time.Hour, true},
		{"brief two days later joins", canalBrief, 48 * time.Hour, true},
		{"same envoy, other statement, stays apart", detainees, 2 * time.Hour, false},
		{"same envoy, other statement, summary only, stays apart", firstParagraphOf(detainees), 2 * time.Hour, false},
		{"outside the window starts a story", canalLight, 73 * time.Hour, false},
		{"unrelated stays apart", feeds.Item{Title: "Velarian writer wins regional literature prize", Text: "The novelist Irada Somova won the regional literature prize on Tuesday for a book about three generations of a fishing family on the shrinking northern lake, the jury said in Varn."}, time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, next := testGrouper(t)
			wire := place(t, g, next, item(canalWire, "wire", day.Add(time.Hour)))
			got, err := g.Assign(context.Background(), noURLs{}, item(tt.item, "new", day.Add(time.Hour+tt.after)))
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int64{true: wire}[tt.join]; got != want {
				t.Errorf("Assign = %d, want %d (wire's story %d)", got, want, wire)
			}
		})
	}
}

func firstParagraphOf(it feeds.Item) feeds.Item {
	it.Text = firstParagraph(it.Text)
	return it
}

func TestSimilarSameURL(t *testing.T) {
	g, next := testGrouper(t)
	wire := place(t, g, next, item(canalWire, "wire", day))
	l := &evalLookup{byURL: map[string]int64{"https://elsewhere.example/a": 42}, latest: map[int64]time.Time{42: day}}
	it := item(background[5], "other", day.Add(time.Hour))
	it.URL = "https://elsewhere.example/a"
	if got, err := g.Assign(context.Background(), l, it); err != nil || got != 42 {
		t.Errorf("Assign = %d, %v; want 42, the story holding the URL", got, err)
	}
	_ = wire
}

// TestSimilarDrift: B reports two events, A's and X's; it joins A's story
// (A and a brief of it), but C, a report of X that matches only B, must
// not be pulled into A's story: neither the story's core nor half its
// members support it. (A story of two members can be joined through
// either: half of two is one.)
func TestSimilarDrift(t *testing.T) {
	g, next := testGrouper(t)
	prize := feeds.Item{
		Title: "Velarian writer wins regional literature prize for lake novel",
		Text: "The novelist Irada Somova won the regional literature prize on Tuesday for a book about three generations of a fishing family on the shrinking northern lake, the jury said in Varn. " +
			"\"Somova writes about water the way other people write about war,\" jury chair Osk Talvi said at the ceremony in the old customs house. " +
			"The prize carries 40,000 crowns and a translation grant; the book, her fourth, has sold 12,000 copies since March.",
	}
	a := item(canalWire, "a", day)
	c := item(prize, "c", day.Add(2*time.Hour))
	b := item(feeds.Item{
		Title: "Merkov on canal talks; Somova wins literature prize",
		Text:  canalWire.Text + "\n\n" + prize.Text,
	}, "b", day.Add(time.Hour))
	sa := place(t, g, next, a)
	if got := place(t, g, next, item(canalBrief, "a1", day.Add(30*time.Minute))); got != sa {
		t.Fatalf("a brief of A went to %d, want %d", got, sa)
	}
	if sb := place(t, g, next, b); sb != sa {
		t.Fatalf("B went to story %d, want A's %d", sb, sa)
	}
	// C shares B's second half ...
	g.prepare(&g.qItem, g.fingerprint(c), c.Published.Unix())
	if e := g.evidence(g.q, g.byID[itemID(b)]); e.contain < 0.2 {
		t.Fatalf("C shares %.2f of its text with B: the test shows nothing", e.contain)
	}
	// ... but not A, the story's core: it starts a story of its own.
	if sc := place(t, g, next, c); sc == sa {
		t.Errorf("C joined A's story %d through B", sa)
	}
	// A copy of A still joins.
	if got := place(t, g, next, item(canalLight, "a2", day.Add(3*time.Hour))); got != sa {
		t.Errorf("a rewrite of A went to %d, want %d", got, sa)
	}
}

// TestSimilarRestart: an index loaded from the store decides as the one
// that grouped the items in the first place.
func TestSimilarRestart(t *testing.T) {
	items := []*feeds.Item{
		item(canalWire, "wire", day),
		item(detainees, "det", day.Add(30*time.Minute)),
		item(canalBrief, "brief", day.Add(time.Hour)),
		item(firstParagraphOf(detainees), "det2", day.Add(90*time.Minute)),
		item(canalLight, "light", day.Add(2*time.Hour)),
		item(canalHeavy, "heavy", day.Add(3*time.Hour)),
		item(background[0], "quake2", day.Add(4*time.Hour)),
	}
	g1, next1 := testGrouper(t)
	var want []int64
	for _, it := range items {
		want = append(want, place(t, g1, next1, it))
	}
	for k := 0; k <= len(items); k++ {
		g2, next2 := testGrouper(t)
		*next2 = 10_000 // new stories get IDs unlike g1's
		got := make([]int64, len(items))
		for i, it := range items[:k] {
			g2.Load(want[i], it)
			got[i] = want[i]
		}
		for i := k; i < len(items); i++ {
			got[i] = place(t, g2, next2, items[i])
		}
		for i := range items {
			for j := i + 1; j < len(items); j++ {
				if (want[i] == want[j]) != (got[i] == got[j]) {
					t.Errorf("%d loaded: %s and %s together %t, want %t", k, items[i].ID, items[j].ID, got[i] == got[j], want[i] == want[j])
				}
			}
		}
	}
	// And the grouping itself: the canal items together, the detainee items
	// together, apart from each other.
	if !(want[0] == want[2] && want[0] == want[4] && want[0] == want[5] && want[1] == want[3] && want[0] != want[1] && want[6] != want[0]) {
		t.Errorf("stories %v, want canal items (0, 2, 4, 5) together, detainees (1, 3) together, 6 alone", want)
	}
}

func TestSimilarForget(t *testing.T) {
	g, next := testGrouper(t)
	wire := item(canalWire, "wire", day)
	place(t, g, next, wire)
	stories := len(g.stories)
	g.Forget([]*feeds.Item{wire})
	if len(g.stories) != stories-1 {
		t.Errorf("%d stories after Forget, want %d", len(g.stories), stories-1)
	}
	if got, _ := g.Assign(context.Background(), noURLs{}, item(canalLight, "light", day.Add(time.Hour))); got != 0 {
		t.Errorf("a rewrite of a forgotten item joined story %d", got)
	}
	// Forgetting an unknown item is harmless.
	g.Forget([]*feeds.Item{item(detainees, "never", day)})
}

// TestSimilarOldDates: time is the items' own. An item dated days before
// the newest item seen still meets its story, and nothing is evicted for
// being older than another item.
func TestSimilarOldDates(t *testing.T) {
	g, next := testGrouper(t)
	wire := place(t, g, next, item(canalWire, "wire", day))
	// Today's unrelated news arrives first, ten years on.
	place(t, g, next, item(background[3], "later", day.AddDate(10, 0, 0)))
	// A re-report from the archive, dated a day after the wire.
	if got := place(t, g, next, item(canalBrief, "brief", day.Add(24*time.Hour))); got != wire {
		t.Errorf("archive brief went to %d, want the wire's story %d", got, wire)
	}
	// A re-report dated before the wire joins too: the window is between
	// the items' dates, either way.
	if got := place(t, g, next, item(canalLight, "light", day.Add(-2*time.Hour))); got != wire {
		t.Errorf("earlier-dated rewrite went to %d, want %d", got, wire)
	}
	// Outside the window of every item of the story: a story of its own.
	if got := place(t, g, next, item(canalHeavy, "heavy", day.Add(24*time.Hour+73*time.Hour))); got == wire {
		t.Errorf("a rewrite 73h after the story's latest item joined it")
	}
}

// TestSimilarLoadsOnDemand: a new grouper (a restart) loads the stored
// items an item's dates call for through the Lookup.
func TestSimilarLoadsOnDemand(t *testing.T) {
	l := &evalLookup{}
	l.store(7, item(canalWire, "wire", day.AddDate(-8, 0, 0)))
	l.store(8, item(detainees, "det", day.AddDate(-8, 0, 0).Add(time.Hour)))
	for i, it := range background {
		l.store(int64(100+i), item(it, fmt.Sprint("bg", i), day.AddDate(-8, 0, 0).Add(time.Duration(i)*time.Minute)))
	}
	g := NewSimilar(SimilarOptions{})
	got, err := g.Assign(context.Background(), l, item(canalLight, "light", day.AddDate(-8, 0, 0).Add(3*time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if got != 7 {
		t.Errorf("Assign = %d, want 7: the stored wire's story", got)
	}
	if n := len(g.byID); n != len(l.stored) {
		t.Errorf("%d items indexed, want the %d stored", n, len(l.stored))
	}
	// Loaded once: a second item of the same dates asks for nothing new.
	asked := 0
	counting := &countingLookup{evalLookup: l, n: &asked}
	if _, err := g.Assign(context.Background(), counting, item(canalBrief, "brief", day.AddDate(-8, 0, 0).Add(4*time.Hour))); err != nil {
		t.Fatal(err)
	}
	if asked != 0 {
		t.Errorf("ItemsBetween called %d times for dates already loaded", asked)
	}
}

// TestLoadedOnDemandKeepsOutlet: an item loaded from the store on demand
// is indexed as one Added or Loaded is, its outlet included (same-outlet
// evidence counts for it after a restart too).
func TestLoadedOnDemandKeepsOutlet(t *testing.T) {
	l := &evalLookup{}
	stored := item(canalWire, "wire", day)
	l.store(7, stored)
	g := NewSimilar(SimilarOptions{})
	if _, err := g.Assign(context.Background(), l, item(canalLight, "light", day.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	r := g.byID[itemID(stored)]
	if r == nil {
		t.Fatal("the stored item was not loaded")
	}
	if got, want := r.src, sourceHash(stored); got != want {
		t.Errorf("outlet hash of the item loaded on demand = %d, want %d (as Load indexes it)", got, want)
	}
}

type countingLookup struct {
	*evalLookup
	n *int
}

func (c *countingLookup) ItemsBetween(ctx context.Context, from, to time.Time, fn func(int64, *feeds.Item) error) error {
	*c.n++
	return c.evalLookup.ItemsBetween(ctx, from, to, fn)
}

// TestSimilarCapacity: past Capacity items, the least recently used
// buckets go, never the one in use.
func TestSimilarCapacity(t *testing.T) {
	g := NewSimilar(SimilarOptions{Capacity: 3})
	for i := range 6 {
		g.Load(int64(i+1), item(background[i%len(background)], fmt.Sprint("x", i), day.Add(time.Duration(i)*7*24*time.Hour)))
		if g.live > 3 {
			t.Fatalf("%d items indexed after %d loads, want at most 3", g.live, i+1)
		}
	}
	if g.byID[itemID(item(background[5%len(background)], "x5", day))] == nil {
		t.Errorf("the item just loaded was evicted")
	}
}

// TestCapacityKeepsTheWindowInUse: when one window holds more items than
// Capacity, adding the item just assigned evicts none of the buckets its
// Assign loaded, so the next item of the same dates asks the store for
// nothing (each item reloaded its window twice).
func TestCapacityKeepsTheWindowInUse(t *testing.T) {
	l := &evalLookup{}
	for i := range 9 {
		l.store(int64(i+1), item(background[i%len(background)], fmt.Sprint("s", i), day.Add(time.Duration(i)*5*time.Hour)))
	}
	g := NewSimilar(SimilarOptions{Capacity: 4})
	asked := 0
	counting := &countingLookup{evalLookup: l, n: &asked}
	for i := range 4 {
		it := item(background[i%len(background)], fmt.Sprint("new", i), day.Add(time.Duration(20+i)*time.Hour))
		asked = 0
		id, err := g.Assign(context.Background(), counting, it)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && asked != 0 {
			t.Errorf("item %d: ItemsBetween called %d times for dates the item before loaded", i, asked)
		}
		if id == 0 {
			id = int64(100 + i)
		}
		g.Added(id, it)
		l.store(id, it)
	}
}

func TestSimilarWindow(t *testing.T) {
	g := NewSimilar(SimilarOptions{})
	if got := g.Window(); got != DefaultWindow {
		t.Errorf("Window() = %v, want %v", got, DefaultWindow)
	}
	if got := NewSimilar(SimilarOptions{Window: time.Hour}).Window(); got != time.Hour {
		t.Errorf("Window() = %v, want 1h", got)
	}
}

// TestMerged: after the pipeline merges two stories the grouper told it of,
// the index holds one story with both stories' members, and a key both
// held counts once.
func TestMerged(t *testing.T) {
	g, next := testGrouper(t)
	a, b := int64(1), int64(2)
	g.Load(a, item(canalLight, "light", day.Add(time.Hour)))
	g.Load(b, item(canalLight, "light-copy", day.Add(2*time.Hour)))
	k := g.stories[a].members[0].keys()[0]
	if got := g.df.Get(k); got < 2 {
		t.Fatalf("df of a shared key = %d before the merge, want ≥ 2", got)
	}
	before := g.df.Get(k)
	g.Merged(a, b)
	if g.stories[b] != nil || len(g.stories[a].members) != 2 {
		t.Fatalf("after the merge: story b %v, story a %d members; want b gone, a with 2", g.stories[b], len(g.stories[a].members))
	}
	if got := g.df.Get(k); got != before-1 {
		t.Errorf("df of the shared key = %d after the merge, want %d", got, before-1)
	}
	if id := place(t, g, next, item(canalLight, "light-again", day.Add(3*time.Hour))); id != a {
		t.Errorf("a third copy joins story %d, want %d", id, a)
	}
}

// TestSameOutlet: an outlet seldom reports one event twice and often
// reports the next event of a topic; its update of its own report, which
// copies most of it, still joins.
func TestSameOutlet(t *testing.T) {
	update := canalWire
	update.Title = "UPDATE 1-Merkov: Moscow ready to host Kharan canal talks, invitations sent"
	update.Text = strings.Replace(update.Text, "about 14 percent", "about 15 percent", 1) +
		"\n\nThe Ostranian foreign ministry said later on Tuesday it had received the invitation and would reply within a week."
	for _, tt := range []struct {
		name string
		it   feeds.Item
		join bool
	}{
		{"the outlet's update joins", update, true},
		{"the outlet's report of another matter stays apart", detainees, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, next := testGrouper(t)
			wire := place(t, g, next, item(canalWire, "wire", day.Add(time.Hour)))
			it := item(tt.it, "wire2", day.Add(3*time.Hour))
			it.Source = "wire.example" // the wire's outlet
			got, err := g.Assign(context.Background(), noURLs{}, it)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int64{true: wire}[tt.join]; got != want {
				t.Errorf("Assign = %d, want %d (wire's story %d)", got, want, wire)
			}
		})
	}
}
