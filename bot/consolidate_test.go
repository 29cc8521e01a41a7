package bot_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/feeds/stories"
)

// scriptedConsolidator proposes, after the ingest of an item, merging the
// stories of two items added before, once.
type scriptedConsolidator struct {
	scriptedJoiner
	after    map[string][2]string // item ID → the items whose stories to merge after its ingest
	pending  [][2]int64
	declined [][2]int64
}

var _ stories.Consolidator = (*scriptedConsolidator)(nil)

func (s *scriptedConsolidator) NextJoin() (into, from int64, ok bool) {
	if len(s.pending) == 0 {
		return 0, 0, false
	}
	p := s.pending[0]
	s.pending = s.pending[1:]
	return p[0], p[1], true
}

func (s *scriptedConsolidator) Declined(into, from int64) {
	s.declined = append(s.declined, [2]int64{into, from})
}

func (s *scriptedConsolidator) ingested(id string) {
	if p, ok := s.after[id]; ok {
		s.pending = append(s.pending, [2]int64{s.story[p[0]], s.story[p[1]]})
	}
}

// TestConsolidateStories: the consolidation pass after an ingest merges
// the stories the grouper names, as joining does: both were alerted, the
// merged story is not alerted again, the grouper is told; a story a person
// split is declined, and the pass ends.
func TestConsolidateStories(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	g := &scriptedConsolidator{
		scriptedJoiner: scriptedJoiner{join: map[string]string{}, links: map[string][]string{}, story: map[string]int64{}},
		after:          map[string][2]string{"3": {"1", "2"}, "4": {"1", "2"}},
	}
	f.Pipeline = bot.NewPipeline(f.DB, g, f.Rules, slog.New(slog.DiscardHandler), f.Clock.Now)
	ctx := context.Background()
	now := f.Clock.Now()
	ingest := func(id, source, title string, at time.Time) bot.IngestResult {
		g.ingested(id) // proposed once the item is stored: Added runs first
		return f.Ingest(t, bottest.Item(id, source, title, at))
	}
	f.Ingest(t, bottest.Item("1", "tass.com", "Kabulov: Moscow keeps talking to Taliban", now))
	f.Ingest(t, bottest.Item("2", "dawn.com", "Kabulov says talks go on", now.Add(time.Minute)))
	if msgs := f.Sent(t); len(msgs) != 2 {
		t.Fatalf("sent %d messages, want the two stories alerted", len(msgs))
	}
	a, b := g.story["1"], g.story["2"]

	res := ingest("3", "ariananews.af", "Afghan cabinet meets", now.Add(2*time.Minute))
	if res.Joined != 1 {
		t.Errorf("ingest = %+v, want 1 story consolidated", res)
	}
	if len(g.merged) != 1 || g.merged[0] != [2]int64{a, b} {
		t.Errorf("grouper told of merges %v, want [[%d %d]]", g.merged, a, b)
	}
	st, err := f.DB.Story(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Sources(); len(got) != 2 {
		t.Errorf("consolidated story outlets = %v, want tass.com, dawn.com", got)
	}
	for _, m := range f.Sent(t) {
		if m.Kind == "alert" {
			t.Errorf("the consolidated story was alerted again: %+v", m)
		}
	}

	c, err := bot.Split(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, a, "https://dawn.com/2", f.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	g.story["2"] = c
	res = ingest("4", "pajhwok.com", "Afghan cabinet meets again", now.Add(3*time.Minute))
	if res.Joined != 0 || len(g.declined) != 1 || g.declined[0] != [2]int64{a, c} {
		t.Errorf("ingest = %+v, declined %v; want the split story declined, not joined", res, g.declined)
	}
}

// TestPassIsPartOfTheIngest: the consolidation pass runs in the ingest's
// transaction. Once an ingest has committed, the story its pass merged
// away has no alert due (a flush running between a commit and a later
// pass would alert the event twice); a story the pass leaves alone is due
// at once. An ingest that fails before its commit (a crash) leaves
// nothing, and its next poll stores, groups and merges as the first
// would have.
func TestPassIsPartOfTheIngest(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	g := &mergeOnce{scriptedConsolidator: &scriptedConsolidator{
		scriptedJoiner: scriptedJoiner{join: map[string]string{}, links: map[string][]string{}, story: map[string]int64{}},
	}, into: "1", from: "2"}
	f.Pipeline = bot.NewPipeline(f.DB, g, f.Rules, slog.New(slog.DiscardHandler), f.Clock.Now)
	ctx := context.Background()
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("1", "tass.com", "Kabulov: Moscow keeps talking to Taliban", now))
	if msgs := f.Sent(t); len(msgs) != 1 || msgs[0].Kind != "alert" {
		t.Fatalf("sent %v, want the first story's alert", msgs)
	}
	due := func() (alerts int) {
		ds, err := f.DB.DueDeliveries(ctx, f.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Kind == "alert" {
				alerts++
			}
		}
		return alerts
	}
	second := bottest.Item("2", "dawn.com", "Kabulov says talks go on", now.Add(time.Minute))
	f.Pipeline.Crash = func(point string) {
		if point == "ingest" { // before the commit
			panic("crash")
		}
	}
	func() {
		defer func() { _ = recover() }()
		f.Ingest(t, second)
	}()
	if n, err := f.DB.PendingDeliveries(ctx); err != nil || n != 0 {
		t.Fatalf("after a crash before the commit: %d deliveries pending (%v), want none", n, err)
	}
	// A restart: a new pipeline, the grouper's index as the store has it.
	f.Pipeline = bot.NewPipeline(f.DB, g, f.Rules, slog.New(slog.DiscardHandler), f.Clock.Now)
	g.story["2"], g.done = 0, false
	checked := false
	f.Pipeline.Crash = func(point string) {
		if point == "ingested" { // committed
			checked = true
			if n := due(); n != 0 {
				t.Errorf("%d alerts due once the ingest committed, want none: its pass merged the story", n)
			}
		}
	}
	if res := f.Ingest(t, second); res.New != 1 || res.Joined != 1 {
		t.Errorf("ingest = %+v, want the item stored and its story merged", res)
	}
	if !checked {
		t.Fatal("the ingest never committed")
	}
	f.Pipeline.Crash = nil
	// Its alert, queued before the pass, goes with the merge: the channel,
	// alerted of the first story, hears of the second's outlet in an update
	// (updates come at most every UpdateInterval).
	f.Clock.Advance(bot.UpdateInterval)
	told := false
	for _, m := range f.Sent(t) {
		if m.Kind == "alert" {
			t.Errorf("the story merged by the pass was alerted on its own: %+v", m)
		}
		told = told || m.Kind == "update" && slices.ContainsFunc(m.New, func(u string) bool { return strings.Contains(u, "dawn.com") })
	}
	if !told {
		t.Error("the channel alerted of the first story was never told of the merged story's outlet (dawn.com)")
	}
	// A story the pass leaves alone is alerted at once.
	f.Ingest(t, bottest.Item("3", "pajhwok.com", "Kabulov meets Afghan traders", now.Add(2*time.Minute)))
	if msgs := f.Sent(t); len(msgs) != 1 || msgs[0].Kind != "alert" {
		t.Errorf("sent %v after the pass, want the new story's alert", msgs)
	}
}

// mergeOnce proposes merging the story of item from into that of item
// into in the first pass after from's ingest.
type mergeOnce struct {
	*scriptedConsolidator
	into, from string
	done       bool
}

func (m *mergeOnce) NextJoin() (into, from int64, ok bool) {
	if b := m.story[m.from]; b != 0 && !m.done {
		m.done = true
		return m.story[m.into], b, true
	}
	return 0, 0, false
}
