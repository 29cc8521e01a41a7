package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store"
)

// fixture is the pipeline and dispatcher on a fresh store, delivering the
// channels "ops" and "desk" to one recorder, f.Out.
type fixture struct{ *bottest.Fixture }

func newFixture(t *testing.T, rs ...bot.Rule) *fixture {
	t.Helper()
	f := bottest.New(t, nil, nil, rs...)
	f.Record("ops", "desk")
	return &fixture{f}
}

const headline = "Kabulov says Moscow will keep talking to the Taliban"

func TestAlertOncePerStoryAndChannel(t *testing.T) {
	f := newFixture(t,
		bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"),
		bottest.MustRule(t, "taliban", "taliban", bot.ModeAlert, "ops", "desk"))
	now := f.Clock.Now()
	res := f.Ingest(t, bottest.Item("1", "tass.com", headline, now.Add(-time.Hour)), bottest.Item("2", "tolonews.com", headline, now))
	if res.New != 2 || res.Alerts != 2 {
		t.Fatalf("ingest = %+v, want 2 new, 2 alerts (ops and desk)", res)
	}
	msgs := f.Sent(t)
	if len(msgs) != 2 {
		t.Fatalf("sent %d messages, want 2", len(msgs))
	}
	s := msgs[0].Stories[0]
	if s.Sources != 2 || len(s.Rules) != 2 {
		t.Errorf("story sources = %d rules = %v, want 2 and [kabulov taliban]", s.Sources, s.Rules)
	}
	// The same items again: nothing new.
	if res := f.Ingest(t, bottest.Item("1", "tass.com", headline, now.Add(-time.Hour))); res.New != 0 || res.Alerts != 0 {
		t.Errorf("re-ingest = %+v, want nothing", res)
	}
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Errorf("sent %d messages after re-ingest, want 0", len(msgs))
	}
}

func TestUpdateWhenStoryGainsOutlet(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("1", "tass.com", headline, now))
	f.Sent(t)
	// Same outlet again (another item): no update. A new outlet: one update,
	// even though its own text does not match the rule.
	res := f.Ingest(t, bottest.Item("2", "tass.com", headline, now), feeds.Item{Feed: "f", ID: "3", URL: "https://urdupoint.com/3",
		Title: headline, Text: "Russia's envoy spoke.", Source: "urdupoint.com", Published: now, Dated: true})
	if res.Updates != 1 || res.Alerts != 0 {
		t.Fatalf("ingest = %+v, want 1 update, 0 alerts", res)
	}
	// Held: the alert went out less than UpdateInterval ago.
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Fatalf("sent %d messages right after the alert, want the update held", len(msgs))
	}
	// Another outlet meanwhile joins the held update rather than making a
	// second message.
	f.Clock.Advance(5 * time.Minute)
	if res := f.Ingest(t, bottest.Item("4", "khaama.com", headline, f.Clock.Now())); res.Updates != 0 {
		t.Fatalf("second outlet queued %d new updates, want it merged into the held one", res.Updates)
	}
	f.Clock.Advance(5 * time.Minute)
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Kind != "update" {
		t.Fatalf("sent %+v, want one update", msgs)
	}
	if got := msgs[0].Stories[0].Sources; got != 3 {
		t.Errorf("updated story has %d outlets, want 3", got)
	}
	if msgs[0].ReplyTo != "remote-ops" {
		t.Errorf("update ReplyTo = %q, want the alert's remote id", msgs[0].ReplyTo)
	}
	if got := msgs[0].New; len(got) != 2 || got[0] != "https://urdupoint.com/3" || got[1] != "https://khaama.com/4" {
		t.Errorf("update new = %v, want the urdupoint.com and khaama.com URLs", got)
	}
}

func TestMaxAgeStoresButNeverAlerts(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	res := f.Ingest(t, bottest.Item("old", "tass.com", headline, f.Clock.Now().Add(-72*time.Hour)))
	if res.New != 1 || res.Alerts != 0 {
		t.Fatalf("ingest = %+v, want stored without alert", res)
	}
	list, err := f.DB.Stories(context.Background(), time.Time{}, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("stories = %d (%v), want the old item's story", len(list), err)
	}
}

func TestDigestCollectsUntilCron(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"))
	ctx := context.Background()
	now := f.Clock.Now() // 09:00, so the next digest is at 08:00 tomorrow
	f.Ingest(t, bottest.Item("a", "tass.com", "CSTO holds drills in Tajikistan this week", now),
		bottest.Item("b", "tolonews.com", "CSTO holds drills in Tajikistan this week", now),
		bottest.Item("c", "eurasianet.org", "CSTO secretary general visits Dushanbe", now))
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 0 {
		t.Fatalf("queued %d digests before the cron time (%v), want 0", n, err)
	}
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Fatalf("sent %d before the digest time, want 0", len(msgs))
	}
	f.Clock.Advance(23 * time.Hour)
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 1 {
		t.Fatalf("queued %d digests at the cron time (%v), want 1", n, err)
	}
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Kind != "digest" || msgs[0].Rule != "csto" || len(msgs[0].Stories) != 2 {
		t.Fatalf("sent %+v, want one digest of 2 stories", msgs)
	}
	if msgs[0].Stories[0].Sources != 2 {
		t.Errorf("digest lists %d-outlet story first, want the 2-outlet one", msgs[0].Stories[0].Sources)
	}
	line, _ := json.Marshal(msgs[0])
	var shape map[string]any
	json.Unmarshal(line, &shape)
	for _, k := range []string{"kind", "channel", "stories", "rule"} {
		if _, ok := shape[k]; !ok {
			t.Errorf("digest JSON lacks %q: %s", k, line)
		}
	}
	// Nothing pending any more: the next cron time queues nothing.
	f.Clock.Advance(24 * time.Hour)
	if n, _, _ := f.Digester.Queue(ctx, false); n != 0 {
		t.Errorf("queued %d digests with nothing pending, want 0", n)
	}
}

// TestDigestWaitsForItsScheduleAfterQuietPeriod is the regression test of
// digests firing off schedule: a cron time that passed with nothing pending
// was remembered as due, so the next story triggered a digest at once.
func TestDigestWaitsForItsScheduleAfterQuietPeriod(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"))
	ctx := context.Background()
	f.Ingest(t, bottest.Item("a", "tass.com", "CSTO holds drills in Tajikistan this week", f.Clock.Now()))
	f.Clock.Advance(23 * time.Hour) // 08:00: the first digest
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 1 {
		t.Fatalf("queued %d digests at the cron time (%v), want 1", n, err)
	}
	f.Sent(t)
	// Two quiet days, then a story at 10:00: its digest is tomorrow 08:00.
	f.Clock.Advance(50 * time.Hour)
	f.Ingest(t, bottest.Item("b", "eurasianet.org", "CSTO secretary general visits Dushanbe", f.Clock.Now()))
	n, next, err := f.Digester.Queue(ctx, false)
	if err != nil || n != 0 {
		t.Fatalf("queued %d digests at 10:00 after a quiet period (%v), want 0 until 08:00", n, err)
	}
	if want := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC); !next.Equal(want) {
		t.Errorf("next digest at %v, want %v", next, want)
	}
	f.Clock.Advance(22 * time.Hour)
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 1 {
		t.Fatalf("queued %d digests at the next cron time (%v), want 1", n, err)
	}
}

func TestFailedDeliveryStaysInOutbox(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	f.Ingest(t, bottest.Item("1", "tass.com", headline, f.Clock.Now()))
	f.Out.Err = bot.RetryAfter(io.ErrUnexpectedEOF, 5*time.Minute)
	res, err := f.Dispatcher.Flush(context.Background(), false)
	if err != nil || res.Failed != 1 || res.Pending != 1 {
		t.Fatalf("flush = %+v, %v; want 1 failed, 1 pending", res, err)
	}
	f.Out.Err = nil
	// Not due before Retry-After has passed…
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Fatalf("resent %d before Retry-After, want 0", len(msgs))
	}
	f.Clock.Advance(5 * time.Minute)
	if msgs := f.Sent(t); len(msgs) != 1 {
		t.Fatalf("sent %d after Retry-After, want 1", len(msgs))
	}
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Errorf("sent %d more, want 0 (no doubles)", len(msgs))
	}
}

func TestMinSourcesHoldsAlertUntilIndependentSource(t *testing.T) {
	r := bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops")
	r.MinSources = 2
	f := newFixture(t, r)
	now := f.Clock.Now()
	wire := bottest.Item("1", "tass.com", headline, now)
	wire.Credits = []string{"tass"}
	wire.Attribute()
	reReport := bottest.Item("2", "tolonews.com", headline, now)
	reReport.Credits = []string{"tass"} // "told TASS": the same source
	reReport.Attribute()
	if res := f.Ingest(t, wire, reReport); res.Alerts != 0 || res.Held == 0 {
		t.Fatalf("ingest = %+v, want the alert held (one independent source)", res)
	}
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Fatalf("sent %d before the second independent source, want 0", len(msgs))
	}
	own := bottest.Item("3", "dawn.com", headline, now) // its own reporting
	if res := f.Ingest(t, own); res.Alerts != 1 {
		t.Fatalf("ingest = %+v, want the alert once a second source reports", res)
	}
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Kind != "alert" {
		t.Fatalf("sent %+v, want one alert", msgs)
	}
	s := msgs[0].Stories[0]
	if s.Sources != 3 || s.Independent != 2 {
		t.Errorf("story: %d outlets, %d independent; want 3 and 2 (%v)", s.Sources, s.Independent, s.Origins)
	}
}

func TestEditedItemIsARevision(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "csto", "csto", bot.ModeAlert, "ops"))
	now := f.Clock.Now()
	first := bottest.Item("1", "tass.com", "Kabulov meets Taliban delegation in Moscow", now)
	if res := f.Ingest(t, first); res.New != 1 || res.Alerts != 0 {
		t.Fatalf("ingest = %+v, want 1 new, no alert", res)
	}
	edited := first
	edited.Title = "Kabulov meets Taliban delegation in Moscow ahead of CSTO summit"
	edited.Text = edited.Title
	edited.Hash = "changed"
	res := f.Ingest(t, edited)
	if res.New != 0 || res.Revised != 1 || res.Alerts != 1 {
		t.Fatalf("ingest of the edit = %+v, want 0 new, 1 revised, 1 alert (it now matches)", res)
	}
	list, err := f.DB.Stories(context.Background(), time.Time{}, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("stories = %d (%v), want 1: an edit is not a new story", len(list), err)
	}
	s := list[0]
	if len(s.Items) != 1 || s.Items[0].Title != edited.Title {
		t.Fatalf("story items = %+v, want the edited item only", s.Items)
	}
	if s.Title != edited.Title {
		t.Errorf("story title = %q, want the latest headline %q", s.Title, edited.Title)
	}
	revs := s.Items[0].Revisions
	if len(revs) != 1 || revs[0].Title != first.Title {
		t.Errorf("revisions = %+v, want the first version", revs)
	}
	// The same edit again is not another revision.
	if res := f.Ingest(t, edited); res.Revised != 0 {
		t.Errorf("re-ingest of the same edit = %+v, want nothing", res)
	}
}

func TestCorrectionsMergeAndSplit(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	ctx := context.Background()
	now := f.Clock.Now()
	const other = "Kabulov: Moscow Format talks to resume in spring"
	f.Ingest(t, bottest.Item("1", "tass.com", headline, now), bottest.Item("2", "dawn.com", other, now))
	if msgs := f.Sent(t); len(msgs) != 2 {
		t.Fatalf("sent %d alerts, want 2 (two stories)", len(msgs))
	}
	list, _ := f.DB.Stories(ctx, time.Time{}, 0)
	byTitle := map[string]int64{}
	for _, s := range list {
		byTitle[s.Title] = s.ID
	}
	a, b := byTitle[headline], byTitle[other]

	// A person merges b into a: nothing is alerted again, and a later report
	// of b's headline joins a as an update.
	if err := bot.Merge(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, a, b, f.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Fatalf("merge sent %d messages, want 0", len(msgs))
	}
	f.Clock.Advance(bot.UpdateInterval)
	res := f.Ingest(t, bottest.Item("3", "khaama.com", other, f.Clock.Now()))
	if res.Alerts != 0 || res.Updates != 1 {
		t.Fatalf("ingest after merge = %+v, want 1 update of the merged story, no alert", res)
	}
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Stories[0].ID != strconv.FormatInt(a, 10) || msgs[0].Stories[0].Sources != 3 {
		t.Fatalf("sent %+v, want one update of story %d with 3 outlets", msgs, a)
	}
	if err := bot.Merge(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, a, b, f.Clock.Now()); !errors.Is(err, store.ErrCorrection) {
		t.Errorf("merging b again: err = %v, want ErrCorrection", err)
	}

	// Splitting the dawn.com item out makes a story of its own, matched by
	// kabulov and so alerted (once) where kabulov alerts.
	c, err := bot.Split(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, a, "https://dawn.com/2", f.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.DB.Story(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Items) != 1 || sc.Items[0].Source != "dawn.com" || len(sc.Rules) != 1 {
		t.Errorf("split story = %d items %v rules, want the dawn.com item matched by kabulov", len(sc.Items), sc.Rules)
	}
	sa, _ := f.DB.Story(ctx, a)
	if got := sa.Sources(); len(got) != 2 {
		t.Errorf("story a outlets after split = %v, want tass.com and khaama.com", got)
	}
	if msgs := f.Sent(t); len(msgs) != 1 || msgs[0].Kind != "alert" || msgs[0].Stories[0].ID != strconv.FormatInt(c, 10) {
		t.Errorf("split sent %+v, want one alert of the split-off story %d", msgs, c)
	}
	if _, err := bot.Split(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, c, "https://dawn.com/2", f.Clock.Now()); !errors.Is(err, store.ErrCorrection) {
		t.Errorf("splitting a story's only item: err = %v, want ErrCorrection", err)
	}
}

// TestSplitIsFollowedByLaterItems: after a person splits an item out of a
// story, a re-report of that item joins the split-off story, not the old
// one — the pipeline rebuilds its story index after corrections.
func TestSplitIsFollowedByLaterItems(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	f.Pipeline = bot.NewPipeline(f.DB, stories.NewSimilar(stories.SimilarOptions{}), f.Rules,
		slog.New(slog.DiscardHandler), f.Clock.Now)
	ctx := context.Background()
	now := f.Clock.Now()
	mk := func(id, source, title, text string) feeds.Item {
		it := bottest.Item(id, source, title, now)
		it.Text = text
		return it
	}
	f.Ingest(t, mk("1", "tass.com", "Kabulov: Moscow to keep talking to Taliban",
		"Russia will keep its contacts with the Taliban on security along the Tajik-Afghan border, presidential envoy Zamir Kabulov told TASS on Thursday, adding that the fourteenth round of the Moscow Format consultations would be held in Kazan in February with 11 delegations."))
	railway := "Uzbekistan and Afghanistan signed a 1.1 billion dollar contract for the Naibabad to Pul-e-Khumri railway section in Termez on Thursday, the Uzbek transport ministry said, with construction to start in April and 14 stations planned along the route."
	f.Ingest(t, mk("2", "kun.uz", "Uzbekistan signs $1.1bn railway contract with Afghanistan", railway))
	list, _ := f.DB.Stories(ctx, time.Time{}, 0)
	if len(list) != 2 {
		t.Fatalf("stories = %d, want 2 before the corrections", len(list))
	}
	var a, b int64
	for _, s := range list {
		if s.Items[0].Source == "tass.com" {
			a = s.ID
		} else {
			b = s.ID
		}
	}
	// A wrong merge, undone by a split.
	if err := bot.Merge(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, a, b, f.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	c, err := bot.Split(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, a, "https://kun.uz/2", now)
	if err != nil {
		t.Fatal(err)
	}
	// A re-report of the railway contract follows the split.
	f.Ingest(t, mk("3", "trend.az", "Uzbekistan, Afghanistan sign railway deal",
		"Uzbekistan and Afghanistan signed a 1.1 billion dollar contract for the Naibabad to Pul-e-Khumri railway section in Termez, the Uzbek transport ministry said. Construction is to start in April, with 14 stations planned along the route."))
	sc, err := f.DB.Story(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.Sources(); len(got) != 2 {
		t.Errorf("split-off story outlets = %v, want kun.uz and trend.az", got)
	}
	sa, _ := f.DB.Story(ctx, a)
	if got := sa.Sources(); len(got) != 1 {
		t.Errorf("kabulov story outlets = %v, want tass.com only", got)
	}
}

// TestDigestListsAStoryMergedAfterItWasQueuedOnce: a person merges two
// stories of a digest after it was queued and before it is sent: the
// digest lists the merged story once, not the story merged away, empty.
func TestDigestListsAStoryMergedAfterItWasQueuedOnce(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"))
	ctx := context.Background()
	const drills, visit = "CSTO holds drills in Tajikistan this week", "CSTO secretary general visits Dushanbe"
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("a", "tass.com", drills, now), bottest.Item("b", "tolonews.com", drills, now),
		bottest.Item("c", "eurasianet.org", visit, now))
	f.Clock.Advance(23 * time.Hour)
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 1 {
		t.Fatalf("queued %d digests (%v), want 1", n, err)
	}
	list, _ := f.DB.Stories(ctx, time.Time{}, 0)
	ids := map[string]int64{}
	for _, s := range list {
		ids[s.Title] = s.ID
	}
	if err := bot.Merge(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, ids[drills], ids[visit], f.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Kind != "digest" {
		t.Fatalf("sent %+v, want one digest", msgs)
	}
	if got := msgs[0].Stories; len(got) != 1 || got[0].ID != strconv.FormatInt(ids[drills], 10) || got[0].Sources != 3 {
		for _, s := range got {
			t.Logf("story %s %q: %d outlets, %d items", s.ID, s.Title, s.Sources, len(s.Items))
		}
		t.Errorf("digest lists %d stories, want the merged story %d once, with 3 outlets", len(got), ids[drills])
	}
}

// TestDigestOnceOnTheAutumnNight: a digest at 01:30 in a zone with
// daylight saving posts once on the night 01:30 comes twice (it posted
// again an hour later, with what had matched meanwhile).
func TestDigestOnceOnTheAutumnNight(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	r := bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk")
	if r.Digest, err = cron.ParseStandard("30 1 * * *"); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, r)
	f.Digester = schedule.NewDigester(f.DB, f.Rules, ny, f.Log, f.Clock.Now)
	ctx := context.Background()
	f.Clock.Set(time.Date(2026, 11, 1, 5, 0, 0, 0, time.UTC)) // 01:00 EDT
	f.Ingest(t, bottest.Item("a", "tass.com", "CSTO holds drills in Tajikistan this week", f.Clock.Now()))
	f.Clock.Set(time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)) // 01:30 EDT
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 1 {
		t.Fatalf("queued %d digests at 01:30 EDT (%v), want 1", n, err)
	}
	f.Sent(t)
	f.Clock.Set(time.Date(2026, 11, 1, 5, 45, 0, 0, time.UTC))
	f.Ingest(t, bottest.Item("b", "eurasianet.org", "CSTO secretary general visits Dushanbe", f.Clock.Now()))
	f.Clock.Set(time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC)) // 01:30 EST, the same minute again
	n, next, err := f.Digester.Queue(ctx, false)
	if err != nil || n != 0 {
		t.Fatalf("queued %d digests at 01:30 EST (%v), want 0: it posted at 01:30 already", n, err)
	}
	if want := time.Date(2026, 11, 2, 6, 30, 0, 0, time.UTC); !next.Equal(want) {
		t.Errorf("next digest at %v, want %v (01:30 EST the next day)", next, want)
	}
}

// digestTimes runs a digest rule on the schedule spec, read in zone, from
// from to to: every step the digester looks for due digests, and every
// stories (a multiple of step) a new csto story is matched after it. It
// returns the local times digests were queued at.
func digestTimes(t *testing.T, spec string, zone *time.Location, from, to time.Time, step, stories time.Duration) []string {
	t.Helper()
	r := bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk")
	var err error
	if r.Digest, err = cron.ParseStandard(spec); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, r)
	f.Digester = schedule.NewDigester(f.DB, f.Rules, zone, f.Log, f.Clock.Now)
	ctx := context.Background()
	var got []string
	for now, i := from, 0; !now.After(to); now, i = now.Add(step), i+1 {
		f.Clock.Set(now)
		n, _, err := f.Digester.Queue(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		for range n {
			got = append(got, now.In(zone).Format("01-02 15:04 MST"))
		}
		if now.Sub(from)%stories == 0 {
			f.Ingest(t, bottest.Item(strconv.Itoa(i), "tass.com", "CSTO drills, day report "+strconv.Itoa(i), now))
		}
	}
	return got
}

// TestDigestOnceOnTheSpringNight: a digest at 02:30 in a zone with
// daylight saving posts once on the night the clocks skip from 02:00 to
// 03:00, at 03:00 (cron's own schedule skipped the day), and at 02:30 the
// days before and after.
func TestDigestOnceOnTheSpringNight(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	got := digestTimes(t, "30 2 * * *", berlin, time.Date(2026, 3, 28, 0, 0, 0, 0, berlin),
		time.Date(2026, 3, 31, 0, 0, 0, 0, berlin), 5*time.Minute, 5*time.Minute)
	want := []string{"03-28 02:30 CET", "03-29 03:00 CEST", "03-30 02:30 CEST"}
	if !slices.Equal(got, want) {
		t.Errorf("digests at %q, want %q", got, want)
	}
}

// TestDigestDailyWhereTheClocksMoveHalfAnHour: a daily 08:00 digest in
// Australia/Lord_Howe, whose clocks go back half an hour on 5 April 2026
// (02:00 +11 -> 01:30 +1030) and forward half an hour on 4 October
// (02:00 +1030 -> 02:30 +11), posts at 08:00 every day (it skipped the
// day of each change).
func TestDigestDailyWhereTheClocksMoveHalfAnHour(t *testing.T) {
	lordHowe, err := time.LoadLocation("Australia/Lord_Howe")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	for _, tc := range []struct {
		name string
		from time.Time
		want []string
	}{
		{"autumn", time.Date(2026, 4, 4, 0, 0, 0, 0, lordHowe), []string{"04-04 08:00 +11", "04-05 08:00 +1030", "04-06 08:00 +1030"}},
		{"spring", time.Date(2026, 10, 3, 0, 0, 0, 0, lordHowe), []string{"10-03 08:00 +1030", "10-04 08:00 +11", "10-05 08:00 +11"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := digestTimes(t, "0 8 * * *", lordHowe, tc.from, tc.from.Add(3*24*time.Hour-time.Minute), 30*time.Minute, 2*time.Hour)
			if !slices.Equal(got, tc.want) {
				t.Errorf("digests at %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDigestOnceOnTheAutumnNightLateOrZoned: a daily digest at 02:30
// posts once on the night 02:30 comes twice also when it posted late the
// first time (polled at 02:40), and when its rule reads its schedule in a
// zone of its own (CRON_TZ=) while the default zone has no such night.
func TestDigestOnceOnTheAutumnNightLateOrZoned(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	for _, tc := range []struct {
		name, spec string
		zone       *time.Location
		from       time.Time
		step       time.Duration
		want       []string
	}{
		{"late", "30 2 * * *", berlin, time.Date(2026, 10, 25, 0, 10, 0, 0, berlin), 30 * time.Minute,
			[]string{"10-25 02:40 CEST"}},
		{"own zone", "CRON_TZ=Europe/Berlin 30 2 * * *", time.UTC, time.Date(2026, 10, 24, 22, 0, 0, 0, time.UTC), 5 * time.Minute,
			[]string{"10-25 00:30 UTC"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := digestTimes(t, tc.spec, tc.zone, tc.from, tc.from.Add(6*time.Hour), tc.step, tc.step)
			if !slices.Equal(got, tc.want) {
				t.Errorf("digests at %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDigestAroundDaylightSaving: daily and half-hourly digests neither
// bunch up nor leave a gap on the nights the clocks change (Europe/Berlin:
// 02:00 CET -> 03:00 CEST on 29 March 2026, 03:00 CEST -> 02:00 CET on
// 25 October).
func TestDigestAroundDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	spring := time.Date(2026, 3, 29, 0, 0, 0, 0, berlin)
	autumn := time.Date(2026, 10, 25, 0, 0, 0, 0, berlin)
	for _, tc := range []struct {
		name, spec string
		day        time.Time
		stories    time.Duration // how often a story is matched
		want       []string
	}{
		{"daily spring", "0 2 * * *", spring, 5 * time.Minute, []string{"03-29 03:00 CEST"}},
		{"daily autumn", "0 2 * * *", autumn, 5 * time.Minute, []string{"10-25 02:00 CEST"}},
		{"half-hourly spring", "*/30 * * * *", spring, 5 * time.Minute, []string{"03-29 00:30 CET", "03-29 01:00 CET", "03-29 01:30 CET",
			"03-29 03:00 CEST", "03-29 03:30 CEST", "03-29 04:00 CEST", "03-29 04:30 CEST"}},
		{"half-hourly autumn", "*/30 * * * *", autumn, 5 * time.Minute, []string{"10-25 00:30 CEST", "10-25 01:00 CEST", "10-25 01:30 CEST",
			"10-25 02:00 CEST", "10-25 02:30 CEST", "10-25 02:00 CET", "10-25 02:30 CET",
			"10-25 03:00 CET", "10-25 03:30 CET", "10-25 04:00 CET", "10-25 04:30 CET"}},
		// A story at 02:30 CEST, after that digest, goes at 02:00 CET, not
		// at 02:30 CET as if 02:00 had been served at 02:00 CEST.
		{"half-hourly autumn, a story every 50 minutes", "*/30 * * * *", autumn, 50 * time.Minute, []string{
			"10-25 00:30 CEST", "10-25 01:00 CEST", "10-25 02:00 CEST", "10-25 02:00 CET", "10-25 02:30 CET",
			"10-25 03:30 CET", "10-25 04:30 CET"}},
		{"hourly autumn", "0 * * * *", autumn, 5 * time.Minute, []string{"10-25 01:00 CEST", "10-25 02:00 CEST",
			"10-25 02:00 CET", "10-25 03:00 CET", "10-25 04:00 CET"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			end := time.Date(tc.day.Year(), tc.day.Month(), tc.day.Day(), 5, 0, 0, 0, berlin).Add(-time.Second) // 00:00 to 05:00 local
			got := digestTimes(t, tc.spec, berlin, tc.day, end, 5*time.Minute, tc.stories)
			if !slices.Equal(got, tc.want) {
				t.Errorf("digests at %q, want %q", got, tc.want)
			}
		})
	}
}
