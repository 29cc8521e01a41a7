package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// TestClaimMovedFeed: a feed backing off after failures at one URL is
// claimed at once at another (its config moved it, as to fix it): the old
// URL's failures say nothing of the new one; at the same URL it waits.
func TestClaimMovedFeed(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if err := db.SaveFeedState(ctx, &store.FeedState{Name: "f", URL: "https://gone.example/f", Failures: 9,
		LastError: "http 404 Not Found", LastAttempt: now.Add(-time.Minute), NextPoll: now.Add(4 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	ok, retry, err := db.ClaimFeed(ctx, "f", "https://gone.example/f", "a", now, now.Add(time.Minute))
	if err != nil || ok || !retry.Equal(now.Add(4*time.Hour)) {
		t.Fatalf("claim at the failing URL: ok = %v, retry %v, err = %v; want refused until its backoff ends", ok, retry, err)
	}
	if ok, _, err := db.ClaimFeed(ctx, "f", "https://x.org/f", "a", now, now.Add(time.Minute)); err != nil || !ok {
		t.Fatalf("claim at the feed's new URL: ok = %v, err = %v; want it at once", ok, err)
	}
}

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
	if err := db.ReleaseFeed(ctx, "f", "b", later.Add(time.Minute)); err != nil { // no later than the stored next poll
		t.Fatal(err)
	}
	ok, retry, err = db.ClaimFeed(ctx, "f", "https://x.org/f", "a", later, later.Add(lease))
	if err != nil || ok {
		t.Fatalf("a's claim of a feed polled this tick: ok = %v, err = %v; want refused", ok, err)
	}
	if want := later.Add(10 * time.Minute); !retry.Equal(want) {
		t.Errorf("a's retry = %v, want the next poll %v", retry, want)
	}
	// Due again, a claims it; its poll fails and the store does not take the
	// failure: the release moves the next poll to the retry, for b too.
	due := later.Add(10 * time.Minute)
	if ok, _, err := db.ClaimFeed(ctx, "f", "https://x.org/f", "a", due, due.Add(lease)); err != nil || !ok {
		t.Fatalf("a's claim of the feed due again: ok = %v, err = %v; want it", ok, err)
	}
	if err := db.ReleaseFeed(ctx, "f", "a", due.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	ok, retry, err = db.ClaimFeed(ctx, "f", "https://x.org/f", "b", due.Add(time.Second), due.Add(lease))
	if err != nil || ok {
		t.Fatalf("b's claim before a's failed poll's retry: ok = %v, err = %v; want refused", ok, err)
	}
	if want := due.Add(time.Minute); !retry.Equal(want) {
		t.Errorf("b's retry = %v, want the failed poll's %v", retry, want)
	}
	// A release by one who no longer holds the feed moves nothing.
	if err := db.ReleaseFeed(ctx, "f", "a", due.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if st, err := db.FeedState(ctx, "f"); err != nil || !st.NextPoll.Equal(due.Add(time.Minute)) {
		t.Errorf("next poll after a release by no holder = %v (err %v), want %v", st.NextPoll, err, due.Add(time.Minute))
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

// TestChangesAfter: what was stored since a mark is replayed in the order
// it was stored, the items in their stories as they are now and each join
// of stories after the items stored before it; Latest moves the mark past
// it all; retention drops the record of old joins.
func TestChangesAfter(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	var mark store.Seen
	inTx := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := db.InTx(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	add := func(tx *store.Tx, id string, storyID int64) int64 {
		t.Helper()
		storyID, err := addItem(ctx, tx, storyID, id, now, now.Add(2*time.Hour)) // stored after the joins
		if err != nil {
			t.Fatal(err)
		}
		return storyID
	}
	replay := func(from store.Seen) []string {
		t.Helper()
		var got []string
		inTx(func(tx *store.Tx) error {
			return tx.ChangesAfter(ctx, from, func(storyID int64, it *feeds.Item) {
				got = append(got, fmt.Sprintf("%s in %d", it.ID, storyID))
			}, func(into, from int64) {
				got = append(got, fmt.Sprintf("%d into %d", from, into))
			})
		})
		return got
	}
	var s0 int64
	inTx(func(tx *store.Tx) error {
		s0 = add(tx, "0", 0)
		var err error
		mark, err = tx.Latest(ctx)
		return err
	})
	var s1, s2 int64
	inTx(func(tx *store.Tx) error {
		s1, s2 = add(tx, "1", 0), add(tx, "2", 0)
		for _, from := range []int64{s0, s2} { // two joins after item 2
			if ok, err := tx.JoinStories(ctx, s1, from, now); err != nil || !ok {
				t.Fatalf("join %d into %d: %v, %v", from, s1, ok, err)
			}
		}
		add(tx, "3", s1)
		return nil
	})
	want := []string{fmt.Sprintf("1 in %d", s1), fmt.Sprintf("2 in %d", s1), // its story now
		fmt.Sprintf("%d into %d", s0, s1), fmt.Sprintf("%d into %d", s2, s1), fmt.Sprintf("3 in %d", s1)}
	if got := replay(mark); !slices.Equal(got, want) {
		t.Errorf("changes after the mark = %q, want %q", got, want)
	}
	inTx(func(tx *store.Tx) error {
		var err error
		mark, err = tx.Latest(ctx)
		return err
	})
	if got := replay(mark); len(got) != 0 {
		t.Errorf("changes after the latest mark = %q, want none", got)
	}
	// Retention drops the joins made before its cut-off; the stories stay
	// (their items were stored after it).
	all := store.Seen{Item: mark.Item} // every join
	if got := replay(all); len(got) != 2 {
		t.Fatalf("joins before retention = %q, want 2", got)
	}
	if n, err := db.Prune(ctx, now.Add(time.Hour), now.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("prune: %d stories, %v; want none", n, err)
	}
	if got := replay(all); len(got) != 0 {
		t.Errorf("joins after retention = %q, want none", got)
	}
}
