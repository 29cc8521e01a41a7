package schedule

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// TestOpsFollowsReloadedFeeds: the ops channel watches the feeds a reload
// left (SetFeeds), not those the process started with: an added feed's
// failures are told, a removed one is no longer watched.
func TestOpsFollowsReloadedFeeds(t *testing.T) {
	db := storetest.MustOpen(t)
	log := slog.New(slog.DiscardHandler)
	now := func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) }
	s := &Service{DB: db, Log: log, Now: now, Feeds: []bot.Feed{{Name: "a"}, {Name: "gone"}}}
	s.Ops = &Ops{DB: db, Channel: "ops", Feeds: s.Feeds, Log: log, Now: now}
	s.SetFeeds([]bot.Feed{{Name: "a"}, {Name: "added"}})
	s.checkOps(context.Background())
	var names []string
	for _, f := range s.Ops.Feeds {
		names = append(names, f.Name)
	}
	if want := []string{"a", "added"}; !slices.Equal(names, want) {
		t.Errorf("ops watches %v, want %v", names, want)
	}
}
