package schedule

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// TestClaimHeldForFetch: a replica's claim on a feed lets a fetch begin
// only while a third of a lease is left as the replica knows it. When its
// renewals are held up (here none comes: the lease is an hour), it stops
// fetching well before another replica may take the feed over, so that
// two replicas never fetch one feed at once (TestClaimRenewed: a renewal
// gives it back).
func TestClaimHeldForFetch(t *testing.T) {
	r := newClaims(t, time.Hour)
	clk, db, log, ctx, f, b := r.clk, r.db, r.log, r.ctx, r.f, r.b
	t0 := clk.Now()
	held := r.claimA(t)
	if !held() {
		t.Fatal("a's claim, just made, does not let it fetch")
	}
	if _, _, retry, ok := b.claim(ctx, db, f, clk.Now, log); ok || !retry.Equal(t0.Add(time.Hour+time.Millisecond)) {
		t.Fatalf("b's claim on a's feed = %v, retry at %v; want refused until a's lease ends (%v)", ok, retry, t0.Add(time.Hour))
	}
	clk.Advance(40*time.Minute - time.Millisecond)
	if !held() {
		t.Error("a may not fetch with a third of its lease and a millisecond left")
	}
	clk.Advance(time.Millisecond)
	if held() {
		t.Error("a may still fetch with a third of its lease left and no renewal")
	}
	clk.Set(t0.Add(time.Hour + time.Millisecond))
	if _, bRelease, _, ok := b.claim(ctx, db, f, clk.Now, log); !ok {
		t.Error("b could not take over the feed once a's lease ran out")
	} else {
		bRelease(time.Time{})
	}
	if held() {
		t.Error("a may fetch a feed b took over")
	}
}

// TestClaimRenewed: a claim whose renewals come lets its poll fetch past
// the end of the first lease.
func TestClaimRenewed(t *testing.T) {
	const lease = 300 * time.Millisecond // renewed every 100ms of real time
	r := newClaims(t, lease)
	clk, db, log, ctx, f, b := r.clk, r.db, r.log, r.ctx, r.f, r.b
	t0 := clk.Now()
	held := r.claimA(t)
	clk.Advance(lease - lease/4) // past the first lease's last third
	deadline := time.Now().Add(10 * time.Second)
	for !held() {
		if time.Now().After(deadline) {
			t.Fatal("no renewal let a fetch again within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	renewed := t0.Add(lease - lease/4 + lease)
	if _, _, retry, ok := b.claim(ctx, db, f, clk.Now, log); ok || !retry.Equal(renewed.Add(time.Millisecond)) {
		t.Errorf("b's claim on a's feed = %v, retry at %v; want refused until the renewed lease ends (%v)", ok, retry, renewed)
	}
}

// claims is two replicas, a and b, with leases of one length, a store, a
// clock and a feed for them to claim.
type claims struct {
	clk  *storetest.Clock
	db   *store.DB
	log  *slog.Logger
	ctx  context.Context
	f    bot.Feed
	a, b *Replica
}

func newClaims(t *testing.T, lease time.Duration) *claims {
	return &claims{clk: storetest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)), db: storetest.MustOpen(t),
		log: slog.New(slog.DiscardHandler), ctx: context.Background(), f: bot.Feed{Name: "wire", URL: "https://wire.example/rss"},
		a: &Replica{Name: "a", Lease: lease}, b: &Replica{Name: "b", Lease: lease}}
}

// claimA has replica a claim the feed, released when the test ends, and
// returns the claim's held.
func (c *claims) claimA(t *testing.T) func() bool {
	t.Helper()
	held, release, _, ok := c.a.claim(c.ctx, c.db, c.f, c.clk.Now, c.log)
	if !ok {
		t.Fatal("a could not claim a feed nobody held")
	}
	t.Cleanup(func() { release(time.Time{}) })
	return held
}

// TestDueAfterFailure: a poll that failed is due again at its retry at the
// soonest, even when the store kept the feed's earlier next poll (it did
// not take the failure): no replica polls the feed again at once. A claim
// that ran short fetched nothing: its feed stays due.
func TestDueAfterFailure(t *testing.T) {
	clk := storetest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	db := storetest.MustOpen(t)
	ctx := context.Background()
	s := &Service{DB: db, Now: clk.Now, Log: slog.New(slog.DiscardHandler)}
	f := bot.Feed{Name: "wire", URL: "https://wire.example/rss", Schedule: cron.Every(10 * time.Minute)}
	stored := clk.Now().Add(-time.Minute) // as the poll found it: due
	if err := db.SaveFeedState(ctx, &store.FeedState{Name: f.Name, URL: f.URL, NextPoll: stored}); err != nil {
		t.Fatal(err)
	}
	retry := clk.Now().Add(time.Hour)
	failed := errors.New("store: connection refused")
	cases := []struct {
		name string
		res  bot.PollResult
		err  error
		want time.Time
	}{
		{"polled", bot.PollResult{}, nil, stored},
		{"failed, retry set", bot.PollResult{Failures: 1, RetryAt: retry}, failed, retry},
		{"failed before a retry was set", bot.PollResult{}, failed, clk.Now().Add(10 * time.Minute)},
		{"claim ran short", bot.PollResult{}, bot.ErrClaimLost, stored},
	}
	for _, c := range cases {
		if got := s.due(ctx, f, c.res, c.err); !got.Equal(c.want) {
			t.Errorf("%s: due at %v, want %v", c.name, got, c.want)
		}
	}
}
