package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/store/storetest"
)

// TestClaimFeed: a due feed is claimed by one holder; another gets it
// only when the lease runs out, or once released and due again.
func TestClaimFeed(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	lease := time.Minute
	ok, _, err := db.ClaimFeed(ctx, "f", "https://x.org/f", "a", now, now.Add(lease))
	if err != nil || !ok {
		t.Fatalf("a's first claim: ok = %v, err = %v; want it", ok, err)
	}
	ok, retry, err := db.ClaimFeed(ctx, "f", "https://x.org/f", "b", now, now.Add(lease))
	if err != nil || ok {
		t.Fatalf("b's claim while a's lease runs: ok = %v, err = %v; want refused", ok, err)
	}
	if !retry.After(now.Add(lease - time.Millisecond)) {
		t.Errorf("b's retry = %v, want when a's lease runs out (%v)", retry, now.Add(lease))
	}
	// a dies: its lease runs out and b takes the feed.
	later := now.Add(lease + time.Second)
	if ok, _, err := db.ClaimFeed(ctx, "f", "https://x.org/f", "b", later, later.Add(lease)); err != nil || !ok {
		t.Fatalf("b's claim after a's lease ran out: ok = %v, err = %v; want it", ok, err)
	}
	// b polls it: next poll in 10 minutes, and releases it.
	st, err := db.FeedState(ctx, "f")
	if err != nil {
		t.Fatal(err)
	}
	st.NextPoll = later.Add(10 * time.Minute)
	if err := db.SaveFeedState(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := db.ReleaseFeed(ctx, "f", "b"); err != nil {
		t.Fatal(err)
	}
	ok, retry, err = db.ClaimFeed(ctx, "f", "https://x.org/f", "a", later, later.Add(lease))
	if err != nil || ok {
		t.Fatalf("a's claim of a feed polled this tick: ok = %v, err = %v; want refused", ok, err)
	}
	if want := later.Add(10 * time.Minute); !retry.Equal(want) {
		t.Errorf("a's retry = %v, want the next poll %v", retry, want)
	}
}

// TestHoldLease: one holder at a time; renewals keep it, and it passes on
// when it runs out or is released.
func TestHoldLease(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	hold := func(who string, at time.Time) bool {
		t.Helper()
		ok, err := db.HoldLease(ctx, "leader", who, at, at.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	steps := []struct {
		who  string
		at   time.Duration
		want bool
	}{
		{"a", 0, true},
		{"b", time.Second, false},
		{"a", 30 * time.Second, true}, // renewed: runs to 1m30s
		{"b", 80 * time.Second, false},
		{"b", 91 * time.Second, true}, // a's ran out
		{"a", 92 * time.Second, false},
	}
	for _, s := range steps {
		if got := hold(s.who, now.Add(s.at)); got != s.want {
			t.Errorf("%s at %v: holds = %v, want %v", s.who, s.at, got, s.want)
		}
	}
	if err := db.ReleaseLease(ctx, "leader", "b"); err != nil {
		t.Fatal(err)
	}
	if !hold("a", now.Add(93*time.Second)) {
		t.Error("a after b released: not the holder")
	}
}
