package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
)

// TestSplitLeavesNoUpdateOfItsItem: an update held for a story (within 10
// minutes of its alert) names the item that brought a new outlet; when a
// person splits that item off before the update goes, the update does not
// go out naming, in "new", an item the story it shows no longer has.
func TestSplitLeavesNoUpdateOfItsItem(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	ctx := context.Background()
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("1", "tass.com", headline, now), bottest.Item("2", "dawn.com", headline, now))
	if got := alertsOf(f.Sent(t)); len(got) != 1 {
		t.Fatalf("sent alerts %v, want the story alerted", got)
	}
	f.Clock.Advance(time.Minute)
	f.Ingest(t, bottest.Item("3", "khaama.com", headline, f.Clock.Now()))
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Fatalf("sent %d messages within 10 minutes of the alert, want the update held", len(msgs))
	}
	list, _ := f.DB.Stories(ctx, time.Time{}, 0)
	if len(list) != 1 {
		t.Fatalf("stories = %d, want 1", len(list))
	}
	if _, err := bot.Split(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, list[0].ID, "https://khaama.com/3", f.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	f.Clock.Advance(15 * time.Minute)
	for _, m := range f.Sent(t) {
		if m.Kind != "update" {
			continue
		}
		items := map[string]bool{}
		for _, it := range m.Stories[0].Items {
			items[it.URL] = true
		}
		for _, u := range m.New {
			if !items[u] {
				t.Errorf("update of story %s names new item %s, which the story does not hold (outlets %v)",
					m.Stories[0].ID, u, m.Stories[0].Outlets)
			}
		}
	}
}
