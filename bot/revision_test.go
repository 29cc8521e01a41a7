package bot_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
)

// edit returns it with a new title (and text), as a feed that fixed it
// serves it again under the same ID.
func edit(it feeds.Item, title string) feeds.Item {
	it.Title, it.Text, it.Hash = title, title, it.Hash+"+"+title
	return it
}

// TestEditedItemIsNotDigestedAgain is the regression test of a story coming
// back in the next digest because an outlet fixed a typo: an edit that
// still matches the digest rule adds nothing to a digest, pending or sent,
// and counts no rule hit.
func TestEditedItemIsNotDigestedAgain(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"))
	ctx := context.Background()
	first := bottest.Item("a", "tass.com", "CSTO hold drills in Tajikistan", f.Clock.Now())
	res := f.Ingest(t, first)
	if res.Digest != 1 || res.RuleHits["csto"] != 1 {
		t.Fatalf("ingest = %+v, want 1 digest entry, 1 hit of csto", res)
	}
	// Edited while its digest waits: it waits once, and counts once.
	res = f.Ingest(t, edit(first, "CSTO holds drills in Tajikistan"))
	if res.Revised != 1 || res.Digest != 0 || len(res.RuleHits) != 0 {
		t.Errorf("ingest of an edit while the digest waits = %+v, want 1 revised, no digest entry, no rule hit", res)
	}
	f.Clock.Advance(23 * time.Hour) // 08:00: the digest
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 1 {
		t.Fatalf("queued %d digests at the cron time (%v), want 1", n, err)
	}
	if msgs := f.Sent(t); len(msgs) != 1 || len(msgs[0].Stories) != 1 {
		t.Fatalf("sent %+v, want one digest of the story", msgs)
	}
	// Edited after its digest went out: not in the next one.
	res = f.Ingest(t, edit(first, "CSTO holds drills in Tajikistan this week"))
	if res.Revised != 1 || res.Digest != 0 || len(res.RuleHits) != 0 {
		t.Errorf("ingest of an edit after the digest = %+v, want 1 revised, no digest entry, no rule hit", res)
	}
	f.Clock.Advance(24 * time.Hour)
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 0 {
		t.Errorf("queued %d digests after the edit (%v), want 0: the story was in the last one", n, err)
	}
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Errorf("sent %d messages after the edit (first: %s of %q), want nothing", len(msgs), msgs[0].Kind, msgs[0].Stories[0].Title)
	}
}

// TestEditMatchingANewDigestRuleJoinsItsDigest: an edit that makes an item
// match a digest rule it did not match puts its story in that rule's next
// digest, and only that one's, and counts a hit of that rule only.
func TestEditMatchingANewDigestRuleJoinsItsDigest(t *testing.T) {
	f := newFixture(t,
		bottest.MustRule(t, "kabulov", "kabulov", bot.ModeDigest, "desk"),
		bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"))
	ctx := context.Background()
	first := bottest.Item("a", "tass.com", "Kabulov meets Taliban delegation in Moscow", f.Clock.Now())
	if res := f.Ingest(t, first); !maps.Equal(res.RuleHits, map[string]int{"kabulov": 1}) {
		t.Fatalf("rule hits = %v, want kabulov 1", res.RuleHits)
	}
	f.Clock.Advance(23 * time.Hour)
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 1 {
		t.Fatalf("queued %d digests at the cron time (%v), want 1 (kabulov)", n, err)
	}
	f.Sent(t)
	res := f.Ingest(t, edit(first, "Kabulov meets Taliban delegation in Moscow ahead of CSTO summit"))
	if res.Revised != 1 || res.Digest != 1 || !maps.Equal(res.RuleHits, map[string]int{"csto": 1}) {
		t.Errorf("ingest of the edit = %+v, want 1 revised, 1 digest entry, rule hits csto 1", res)
	}
	f.Clock.Advance(24 * time.Hour)
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 1 {
		t.Fatalf("queued %d digests after the edit (%v), want 1 (csto)", n, err)
	}
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Rule != "csto" || len(msgs[0].Stories) != 1 {
		t.Fatalf("sent %+v, want csto's digest of the story", msgs)
	}
}

// TestItemStoredWithContentHashIsNotEdited: an item stored by a version
// before EditHash has a ContentHash; polled again unchanged after the
// upgrade it is not an edit (no revision, nothing matched again), and
// changed it is.
func TestItemStoredWithContentHashIsNotEdited(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "csto", "csto", bot.ModeAlert, "desk"))
	old := bottest.Item("a", "tass.com", "CSTO hold drills in Tajikistan", f.Clock.Now())
	old.Hash = feeds.ContentHash(old.Title, old.Text)
	if res := f.Ingest(t, old); res.New != 1 || res.Alerts != 1 {
		t.Fatalf("first ingest = %+v, want 1 new, 1 alert", res)
	}
	again := old
	again.Hash = feeds.EditHash(again.Title, again.Text)
	if res := f.Ingest(t, again); res.New != 0 || res.Revised != 0 || len(res.RuleHits) != 0 {
		t.Errorf("ingest of the same item hashed by EditHash = %+v, want nothing: it is not edited", res)
	}
	edited := again
	edited.Title = "CSTO holds drills in Tajikistan"
	edited.Hash = feeds.EditHash(edited.Title, edited.Text)
	if res := f.Ingest(t, edited); res.Revised != 1 {
		t.Errorf("ingest of an edit = %+v, want 1 revised", res)
	}
}

// TestEditAfterAMuteBringsBackNothing is the regression test of a mute's
// dropped hits coming back: an item that matched muted rules, its typo
// fixed by its outlet once the mute was over, alerted its story and put it
// in the next digest, as if the hits had been held.
func TestEditAfterAMuteBringsBackNothing(t *testing.T) {
	f := newFixture(t,
		bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"),
		bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"))
	ctx := context.Background()
	for _, rule := range []string{"kabulov", "csto"} {
		if err := f.DB.SetMute(ctx, &store.Mute{Rule: rule, Until: f.Clock.Now().Add(2 * time.Hour), At: f.Clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	first := bottest.Item("a", "tass.com", "Kabulov hold talks on the CSTO", f.Clock.Now())
	if res := f.Ingest(t, first); res.Muted != 2 || res.Alerts != 0 || res.Digest != 0 {
		t.Fatalf("ingest while muted = %+v, want 2 muted hits dropped", res)
	}
	f.Clock.Advance(3 * time.Hour) // the mute is over
	res := f.Ingest(t, edit(first, "Kabulov holds talks on the CSTO"))
	if res.Revised != 1 || res.Alerts != 0 || res.Digest != 0 || len(res.RuleHits) != 0 {
		t.Errorf("ingest of the edit after the mute = %+v, want 1 revised, no alert, no digest entry, no rule hit", res)
	}
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Errorf("sent %d messages (first: %s), want none: the mute dropped those hits", len(msgs), msgs[0].Kind)
	}
	f.Clock.Advance(24 * time.Hour)
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 0 {
		t.Errorf("queued %d digests (%v), want 0", n, err)
	}
	// A later report that matches a rule is a hit of its own: it alerts.
	if res := f.Ingest(t, bottest.Item("b", "dawn.com", "Kabulov hold talks on the CSTO", first.Published)); res.Alerts != 1 {
		t.Errorf("ingest of a new report = %+v, want its alert", res)
	}
}

// TestEditOfAnOldItemIsNotAlerted is the regression test of max_age read
// on an edit's own date: an undated item, which feeds date by the poll,
// edited days after it was first seen, alerted its old story and put it in
// a digest, and so did an item its feed dated anew when it edited it.
func TestEditOfAnOldItemIsNotAlerted(t *testing.T) {
	f := newFixture(t,
		bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"),
		bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"))
	ctx := context.Background()
	undated := bottest.Item("a", "tass.com", "Lavrov holds talks in Moscow", f.Clock.Now())
	undated.Dated = false // Published is when it was first seen
	dated := bottest.Item("b", "dawn.com", "Envoy holds talks in Dushanbe", f.Clock.Now())
	if res := f.Ingest(t, undated, dated); res.New != 2 || res.Alerts != 0 {
		t.Fatalf("ingest = %+v, want 2 new, no alert", res)
	}
	f.Clock.Advance(72 * time.Hour) // past max_age (48h)
	undatedEdit := edit(undated, "Lavrov and Kabulov hold talks on the CSTO in Moscow")
	undatedEdit.Published = f.Clock.Now() // an undated item's date is the poll's (feeds.Parse)
	datedEdit := edit(dated, "Kabulov holds talks on the CSTO in Dushanbe")
	datedEdit.Published = f.Clock.Now() // dated anew by its feed
	res := f.Ingest(t, undatedEdit, datedEdit)
	if res.Revised != 2 || res.Alerts != 0 || res.Digest != 0 {
		t.Errorf("ingest of the edits = %+v, want 2 revised, no alert, no digest entry: the items are 72h old", res)
	}
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Errorf("sent %d messages (first: %s of %q), want none", len(msgs), msgs[0].Kind, msgs[0].Stories[0].Title)
	}
	f.Clock.Advance(24 * time.Hour)
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 0 {
		t.Errorf("queued %d digests (%v), want 0", n, err)
	}
}
