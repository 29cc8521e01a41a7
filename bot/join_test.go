package bot_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
)

// scriptedJoiner is a Joiner told which story each item joins (that of an item
// added before) and which stories it links to it.
type scriptedJoiner struct {
	join   map[string]string   // item ID → the item whose story it joins
	links  map[string][]string // item ID → items whose stories it links
	story  map[string]int64    // item ID → story, as Added
	joins  []int64
	merged [][2]int64
}

var _ stories.Joiner = (*scriptedJoiner)(nil)

func (s *scriptedJoiner) Assign(_ context.Context, _ stories.Lookup, it *feeds.Item) (int64, error) {
	s.joins = s.joins[:0]
	return s.story[s.join[it.ID]], nil
}
func (s *scriptedJoiner) Added(storyID int64, it *feeds.Item) {
	s.story[it.ID] = storyID
	for _, id := range s.links[it.ID] {
		s.joins = append(s.joins, s.story[id])
	}
}
func (s *scriptedJoiner) Forget([]*feeds.Item)    {}
func (s *scriptedJoiner) Joins() []int64          { return s.joins }
func (s *scriptedJoiner) Merged(into, from int64) { s.merged = append(s.merged, [2]int64{into, from}) }

// TestJoinStories: an item that links two stories merges them in its
// ingest; both were alerted, and the merged story is not alerted again.
// After a person splits an item out, the split stories are never joined
// again by the grouper.
func TestJoinStories(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	g := &scriptedJoiner{
		join:  map[string]string{"3": "1", "4": "1"},
		links: map[string][]string{"3": {"2"}, "4": {"2"}},
		story: map[string]int64{},
	}
	f.Pipeline = bot.NewPipeline(f.DB, g, f.Rules, slog.New(slog.DiscardHandler), f.Clock.Now)
	ctx := context.Background()
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("1", "tass.com", "Kabulov: Moscow keeps talking to Taliban", now))
	f.Ingest(t, bottest.Item("2", "dawn.com", "Kabulov says talks go on", now.Add(time.Minute)))
	if msgs := f.Sent(t); len(msgs) != 2 {
		t.Fatalf("sent %d messages, want the two stories alerted", len(msgs))
	}
	a, b := g.story["1"], g.story["2"]
	if a == b {
		t.Fatal("the scriptedJoiner grouper made one story")
	}

	res := f.Ingest(t, bottest.Item("3", "khaama.com", "Kabulov on the talks with the Taliban", now.Add(2*time.Minute)))
	if res.Joined != 1 || res.Alerts != 0 {
		t.Errorf("ingest = %+v, want 1 story joined and no alert", res)
	}
	if len(g.merged) != 1 || g.merged[0] != [2]int64{a, b} {
		t.Errorf("grouper told of merges %v, want [[%d %d]]", g.merged, a, b)
	}
	st, err := f.DB.Story(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Sources(); len(got) != 3 {
		t.Errorf("joined story outlets = %v, want tass.com, dawn.com, khaama.com", got)
	}
	for _, m := range f.Sent(t) {
		if m.Kind == "alert" {
			t.Errorf("the joined story was alerted again: %+v", m)
		}
	}

	// A person splits dawn.com out again: the grouper may link it, the
	// store keeps the split.
	c, err := bot.Split(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, a, "https://dawn.com/2", f.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	g.story["2"] = c
	res = f.Ingest(t, bottest.Item("4", "pajhwok.com", "Kabulov: talks with Taliban go on", now.Add(3*time.Minute)))
	if res.Joined != 0 {
		t.Errorf("ingest = %+v, want no join of a story a person split", res)
	}
	if sc, err := f.DB.Story(ctx, c); err != nil || len(sc.Items) != 1 {
		t.Errorf("split story = %+v, %v; want its one item, apart", sc, err)
	}
}

// TestJoinAnnouncesMergedOutlets: a story alerted in a channel gains,
// by a join, another story's outlets that the channel never heard of (the
// other story matched no rule there): they come as an update.
func TestJoinAnnouncesMergedOutlets(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	g := &scriptedJoiner{
		join:  map[string]string{"3": "1"},
		links: map[string][]string{"3": {"2"}},
		story: map[string]int64{},
	}
	f.Pipeline = bot.NewPipeline(f.DB, g, f.Rules, slog.New(slog.DiscardHandler), f.Clock.Now)
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("1", "tass.com", "Kabulov: Moscow keeps talking to Taliban", now))
	f.Ingest(t, bottest.Item("2", "dawn.com", "Moscow says talks with the Taliban go on", now.Add(time.Minute)))
	if msgs := f.Sent(t); len(msgs) != 1 {
		t.Fatalf("sent %d messages, want the Kabulov story alerted", len(msgs))
	}
	if res := f.Ingest(t, bottest.Item("3", "tass.com", "Kabulov: Moscow keeps talking to Taliban (updated)", now.Add(2*time.Minute))); res.Joined != 1 {
		t.Fatalf("ingest = %+v, want a join", res)
	}
	f.Clock.Advance(bot.UpdateInterval)
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Kind != "update" || len(msgs[0].New) != 1 || msgs[0].New[0] != "https://dawn.com/2" {
		t.Fatalf("sent %+v, want one update announcing dawn.com", msgs)
	}
}

// TestJoinUpdateNamesNewOutletsOnce: an item that links stories brings an
// update naming its outlet only to the channels that have not heard of it,
// and names it once: a channel alerted of a joined story that had the
// outlet gets nothing, one the join's update tells of it gets it once.
func TestJoinUpdateNamesNewOutletsOnce(t *testing.T) {
	const kabulov, other = "Kabulov: Moscow keeps talking to Taliban", "Moscow says talks with the Taliban go on"
	type report struct{ id, source, title string }
	for _, c := range []struct {
		name    string
		before  []report // ingested one by one, each its own story
		item    report   // joins the story of join (else its own) and links those of links
		join    string
		links   []string
		wantNew []string // the update's new URLs in ops (nil: no update)
	}{
		{"own story linking an alerted report of its outlet",
			[]report{{"1", "tass.com", kabulov}}, report{"3", "tass.com", kabulov + " (more)"}, "", []string{"1"}, nil},
		{"alerted story joined to one of no alert",
			[]report{{"1", "dawn.com", other}, {"2", "tass.com", kabulov}}, report{"3", "khaama.com", "Kabulov on the talks"}, "1", []string{"2"},
			[]string{"https://dawn.com/1", "https://khaama.com/3"}},
		{"both alerted, an outlet neither had",
			[]report{{"1", "tass.com", kabulov}, {"2", "dawn.com", "Kabulov says talks go on"}}, report{"3", "khaama.com", "Kabulov on the talks"}, "1", []string{"2"},
			[]string{"https://khaama.com/3"}},
		{"the linked story had the outlet, its channel was not alerted of it",
			[]report{{"1", "tass.com", kabulov}, {"2", "dawn.com", other}}, report{"3", "dawn.com", "Kabulov on the talks"}, "1", []string{"2"},
			[]string{"https://dawn.com/3"}},
		{"both alerted, the linked story had the outlet",
			[]report{{"1", "tass.com", kabulov}, {"2", "dawn.com", "Kabulov says talks go on"}}, report{"3", "dawn.com", "Kabulov on the talks"}, "1", []string{"2"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
			g := &scriptedJoiner{join: map[string]string{}, links: map[string][]string{c.item.id: c.links}, story: map[string]int64{}}
			if c.join != "" {
				g.join[c.item.id] = c.join
			}
			f.Pipeline = bot.NewPipeline(f.DB, g, f.Rules, slog.New(slog.DiscardHandler), f.Clock.Now)
			now := f.Clock.Now()
			for i, r := range c.before {
				f.Ingest(t, bottest.Item(r.id, r.source, r.title, now.Add(time.Duration(i)*time.Minute)))
			}
			f.Sent(t)
			if res := f.Ingest(t, bottest.Item(c.item.id, c.item.source, c.item.title, now.Add(5*time.Minute))); res.Joined != 1 || res.Alerts != 0 {
				t.Fatalf("ingest = %+v, want a join and no alert", res)
			}
			f.Clock.Advance(bot.UpdateInterval)
			var got []string
			for _, m := range f.Sent(t) {
				if m.Kind != "update" {
					t.Fatalf("sent a %s, want updates only", m.Kind)
				}
				got = append(got, m.New...)
			}
			if !slices.Equal(got, c.wantNew) {
				t.Errorf("updates name %v, want %v", got, c.wantNew)
			}
		})
	}
}
