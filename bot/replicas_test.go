package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// indexRecorder is a replica's grouper that starts a story for every item
// and records what its index is told, in order.
type indexRecorder struct{ calls []string }

var (
	_ stories.Loader = (*indexRecorder)(nil)
	_ stories.Joiner = (*indexRecorder)(nil)
)

func (r *indexRecorder) Assign(context.Context, stories.Lookup, *feeds.Item) (int64, error) {
	return 0, nil
}
func (r *indexRecorder) Added(storyID int64, it *feeds.Item) {
	r.calls = append(r.calls, fmt.Sprintf("added %s", it.ID))
}
func (r *indexRecorder) Load(storyID int64, it *feeds.Item) {
	r.calls = append(r.calls, fmt.Sprintf("load %s in %d", it.ID, storyID))
}
func (r *indexRecorder) Merged(into, from int64) {
	r.calls = append(r.calls, fmt.Sprintf("merged %d into %d", from, into))
}
func (r *indexRecorder) Forget([]*feeds.Item)  {}
func (r *indexRecorder) Joins() []int64        { return nil }
func (r *indexRecorder) Window() time.Duration { return 72 * time.Hour }

// TestReplicaIndexReplaysJoins: two replicas on one PostgreSQL. Before
// its ingest, a replica's index replays what the other stored since it
// last looked, in the order it was stored: the items, each in its story
// as it is now, and the joins of stories, each after the item it followed.
func TestReplicaIndexReplaysJoins(t *testing.T) {
	if !storetest.OnPostgres() {
		t.Skip("replicas run on PostgreSQL")
	}
	f := newFixture(t)
	a := &scriptedJoiner{
		join:  map[string]string{"3": "1"},
		links: map[string][]string{"3": {"2"}},
		story: map[string]int64{},
	}
	f.Pipeline = bot.NewPipeline(f.DB, a, nil, slog.New(slog.DiscardHandler), f.Clock.Now)
	b := &indexRecorder{}
	replica := bot.NewPipeline(f.DB, b, nil, slog.New(slog.DiscardHandler), f.Clock.Now)
	ctx := context.Background()
	now := f.Clock.Now()
	ingestB := func(id string) {
		t.Helper()
		if _, err := replica.Ingest(ctx, f.Feed, []feeds.Item{bottest.Item(id, "dawn.com", "Report "+id, now)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	ingestB("0") // notes where the store is
	f.Ingest(t, bottest.Item("1", "tass.com", "Kabulov: Moscow keeps talking to Taliban", now))
	f.Ingest(t, bottest.Item("2", "dawn.com", "Kabulov says talks go on", now.Add(time.Minute)))
	f.Ingest(t, bottest.Item("3", "ariananews.af", "Kabulov on the talks", now.Add(2*time.Minute))) // joins 2's story to 1's
	if len(a.merged) != 1 {
		t.Fatalf("replica a merged %v, want one join", a.merged)
	}
	s1, s2 := a.story["1"], a.merged[0][1]
	b.calls = nil
	ingestB("4")
	want := []string{
		fmt.Sprintf("load 1 in %d", s1),
		fmt.Sprintf("load 2 in %d", s1), // its story now
		fmt.Sprintf("load 3 in %d", s1),
		fmt.Sprintf("merged %d into %d", s2, s1),
		"added 4",
	}
	if !slices.Equal(b.calls, want) {
		t.Errorf("replica b's index was told %q, want %q", b.calls, want)
	}
	// Its own ingest and the joins it has seen are not replayed again.
	b.calls = nil
	ingestB("5")
	if want := []string{"added 5"}; !slices.Equal(b.calls, want) {
		t.Errorf("then replica b's index was told %q, want %q", b.calls, want)
	}
}

// TestReplicaStartMark: a replica that loaded its index at start replays,
// at its first ingest, what the others stored since, in the order they
// stored it (not by date, on demand).
func TestReplicaStartMark(t *testing.T) {
	if !storetest.OnPostgres() {
		t.Skip("replicas run on PostgreSQL")
	}
	f := newFixture(t)
	ctx := context.Background()
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("0", "tass.com", "Kabulov: Moscow keeps talking to Taliban", now)) // before the replica starts
	b := &indexRecorder{}
	replica := bot.NewPipeline(f.DB, b, nil, slog.New(slog.DiscardHandler), f.Clock.Now)
	if err := replica.LoadIndex(ctx); err != nil { // loads item 0 (this Loader does not load on demand)
		t.Fatal(err)
	}
	b.calls = nil
	f.Ingest(t, bottest.Item("2", "dawn.com", "Kabulov says talks go on", now.Add(-time.Hour)))
	f.Ingest(t, bottest.Item("1", "tass.com", "Kabulov on the talks", now.Add(-2*time.Hour)))
	if _, err := replica.Ingest(ctx, f.Feed, []feeds.Item{bottest.Item("3", "ariananews.af", "Report 3", now)}, nil); err != nil {
		t.Fatal(err)
	}
	var loaded []string
	for _, c := range b.calls {
		if strings.HasPrefix(c, "load ") {
			loaded = append(loaded, strings.Fields(c)[1])
		}
	}
	if want := []string{"2", "1"}; !slices.Equal(loaded, want) {
		t.Errorf("replica loaded %q (%q), want %q: what was stored after it started, in that order", loaded, b.calls, want)
	}
}
