package schedule

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store/storetest"
)

// TestPruneWhenLeading: a replica prunes once it leads, within the hour
// (Run asks every pruneCheck), not only at its start or a day after it,
// and then once a day.
func TestPruneWhenLeading(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	s := &Service{DB: storetest.MustOpen(t), Retention: 7 * 24 * time.Hour, Now: clk.Now,
		Log: slog.New(slog.DiscardHandler), Replica: &Replica{}}
	ctx := context.Background()
	s.prune(ctx) // a follower at its start
	if !s.pruned.IsZero() {
		t.Fatal("a follower pruned")
	}
	clk.Advance(pruneCheck)
	s.Replica.leader.Store(true) // the leader restarted elsewhere: this one leads now
	s.prune(ctx)
	if !s.pruned.Equal(clk.Now()) {
		t.Fatalf("pruned at %v after taking the lead, want now (%v)", s.pruned, clk.Now())
	}
	first := s.pruned
	clk.Advance(pruneCheck)
	if s.prune(ctx); !s.pruned.Equal(first) {
		t.Errorf("pruned again an hour later")
	}
	clk.Advance(pruneEvery)
	if s.prune(ctx); !s.pruned.Equal(clk.Now()) {
		t.Errorf("did not prune a day later")
	}
}
