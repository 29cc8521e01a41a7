package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/store"
)

// opsTexts delivers what is due and returns the notices' texts.
func opsTexts(t *testing.T, f *bottest.Fixture) []string {
	t.Helper()
	var out []string
	for _, m := range f.Sent(t) {
		if m.Kind != "notice" || m.Channel != "ops" {
			t.Errorf("sent %s to %s, want notices to ops", m.Kind, m.Channel)
		}
		out = append(out, m.Text)
	}
	return out
}

func wantTexts(t *testing.T, step string, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: notices %q, want %d", step, got, len(want))
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("%s: notice %q lacks %q", step, got[i], want[i])
		}
	}
}

// TestOpsChannel: a feed failing for a day, a paused channel and a refused
// reload are each told once, and once when they recover, a restart (a new
// Ops on the same store) repeating nothing.
func TestOpsChannel(t *testing.T) {
	f := bottest.New(t, nil, nil)
	f.Record("ops", "desk")
	ctx := context.Background()
	newOps := func() *schedule.Ops {
		return &schedule.Ops{DB: f.DB, Channel: "ops", Feeds: []bot.Feed{f.Feed, {Name: "fine"}}, Log: f.Log, Now: f.Clock.Now}
	}
	ops := newOps()
	check := func(o *schedule.Ops) {
		t.Helper()
		if err := o.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	save := func(st *store.FeedState) {
		t.Helper()
		if err := f.DB.SaveFeedState(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	start := f.Clock.Now()
	save(&store.FeedState{Name: "fine", LastSuccess: start, LastAttempt: start})
	save(&store.FeedState{Name: "f", LastSuccess: start.Add(-2 * time.Hour), LastAttempt: start,
		Failures: 3, LastError: "fetch https://user:pw@f.example/rss: http 503 Service Unavailable"})
	check(ops)
	wantTexts(t, "failing 2h", opsTexts(t, f))

	f.Clock.Advance(23 * time.Hour)
	save(&store.FeedState{Name: "f", LastSuccess: start.Add(-2 * time.Hour), LastAttempt: f.Clock.Now(),
		Failures: 40, LastError: "fetch https://user:pw@f.example/rss: http 503 Service Unavailable"})
	check(ops)
	got := opsTexts(t, f)
	wantTexts(t, "failing 25h", got, "⚠ Feed f has failed for 25h (40 polls in a row): fetch")
	if strings.Contains(got[0], "pw@") {
		t.Errorf("the notice shows the URL's password: %q", got[0])
	}
	check(ops)
	check(newOps()) // a restart
	wantTexts(t, "told already", opsTexts(t, f))

	// A channel paused by a permanent error.
	if _, err := f.DB.PauseChannel(ctx, "desk", "not_in_channel", f.Clock.Now(), f.Clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	check(ops)
	check(newOps())
	wantTexts(t, "paused", opsTexts(t, f), "Channel desk is paused: not_in_channel")

	// A refused reload, twice; then a good one, twice.
	cause := errors.New(`wirewatch.toml:12: rule[1].channels: no channel named "ops2"`)
	ops.ReloadRefused(ctx, cause)
	newOps().ReloadRefused(ctx, cause)
	wantTexts(t, "refused", opsTexts(t, f), `The changed configuration was refused; the previous one stays in force: wirewatch.toml:12`)
	ops.Reloaded(ctx)
	ops.Reloaded(ctx)
	wantTexts(t, "reloaded", opsTexts(t, f), "The configuration was reloaded")

	// Recoveries.
	f.Clock.Advance(time.Hour)
	save(&store.FeedState{Name: "f", LastSuccess: f.Clock.Now(), LastAttempt: f.Clock.Now()})
	if _, err := f.DB.ResumeChannel(ctx, "desk"); err != nil {
		t.Fatal(err)
	}
	check(ops)
	check(newOps())
	wantTexts(t, "recovered", opsTexts(t, f), "✓ Feed f works again (it had failed since 2026-11-20 07:00 UTC)", "Channel desk works again")
	check(ops)
	wantTexts(t, "quiet", opsTexts(t, f))

	// A feed failing for a while that recovers before a day tells nothing.
	save(&store.FeedState{Name: "fine", LastSuccess: f.Clock.Now(), LastAttempt: f.Clock.Now(), Failures: 1, LastError: "timeout"})
	check(ops)
	f.Clock.Advance(3 * time.Hour)
	save(&store.FeedState{Name: "fine", LastSuccess: f.Clock.Now(), LastAttempt: f.Clock.Now()})
	check(ops)
	wantTexts(t, "short failure", opsTexts(t, f))
}

// TestOpsNeverSucceeded: a feed that never worked counts from when it was
// first seen failing.
func TestOpsNeverSucceeded(t *testing.T) {
	f := bottest.New(t, nil, nil)
	f.Record("ops")
	ctx := context.Background()
	ops := &schedule.Ops{DB: f.DB, Channel: "ops", Feeds: []bot.Feed{f.Feed}, Log: f.Log, Now: f.Clock.Now}
	for i := range 26 {
		st := &store.FeedState{Name: "f", LastAttempt: f.Clock.Now(), Failures: i + 1, LastError: "no such host"}
		if err := f.DB.SaveFeedState(ctx, st); err != nil {
			t.Fatal(err)
		}
		if err := ops.Check(ctx); err != nil {
			t.Fatal(err)
		}
		got := opsTexts(t, f)
		switch {
		case i < 24 && len(got) > 0:
			t.Fatalf("after %dh: %q, want nothing yet", i, got)
		case i == 24:
			wantTexts(t, "24h", got, "⚠ Feed f has failed for 1d (25 polls in a row): no such host")
		case i > 24 && len(got) > 0:
			t.Fatalf("after %dh: %q again", i, got)
		}
		f.Clock.Advance(time.Hour)
	}
}
