package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/jsonl"
	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
)

// TestNoticeLineHasNoNullStories: a jsonl (or webhook) ops channel gets a
// notice as a delivery line whose "stories" is an array (empty: a notice
// has no stories), never null, so that a program that reads the delivery
// lines of shared/DESIGN.md ("stories": [story, ...]) reads it too.
func TestNoticeLineHasNoNullStories(t *testing.T) {
	f := bottest.New(t, nil, nil)
	var out bytes.Buffer
	f.Dispatch(map[string]bot.Sender{"ops": jsonl.NewWriter(&out)})
	ctx := context.Background()
	start := f.Clock.Now()
	if err := f.DB.SaveFeedState(ctx, &store.FeedState{Name: "f", LastSuccess: start.Add(-25 * time.Hour), LastAttempt: start,
		Failures: 40, LastError: "fetch https://f.example/rss: http 503 Service Unavailable"}); err != nil {
		t.Fatal(err)
	}
	ops := &schedule.Ops{DB: f.DB, Channel: "ops", Feeds: []bot.Feed{f.Feed}, Log: f.Log, Now: f.Clock.Now}
	if err := ops.Check(ctx); err != nil {
		t.Fatal(err)
	}
	f.Flush(t)
	var line map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &line); err != nil {
		t.Fatalf("%q: %v", out.String(), err)
	}
	if string(line["kind"]) != `"notice"` || len(line["text"]) == 0 {
		t.Fatalf("want a notice with its text, got %s", out.String())
	}
	if s, ok := line["stories"]; ok && string(s) != "[]" {
		t.Errorf(`a notice's "stories" is %s, want [] (or absent): %s`, s, out.String())
	}
}

// TestStoryArraysNeverNull: a story whose items have no outlet (a local
// feed with no link, items without URLs) still has "outlets" and
// "origins" as arrays (empty), as "rules" is, never null.
func TestStoryArraysNeverNull(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	b, err := json.Marshal(bot.NewStory(&store.Story{ID: 1, Title: "CSTO drills announced", FirstSeen: at, Updated: at,
		Items: []*store.Item{{Item: feeds.Item{Feed: "notes", Title: "CSTO drills announced", Published: at}}}}))
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]json.RawMessage
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"outlets", "origins", "rules", "items"} {
		if v := string(s[k]); v == "" || v == "null" {
			t.Errorf("%q is %q, want an array: %s", k, v, b)
		}
	}
}
