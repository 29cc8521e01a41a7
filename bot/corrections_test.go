package bot_test

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/store"
)

// alertsOf returns the alerts among msgs, by story ID.
func alertsOf(msgs []*bot.Message) map[string]int {
	out := map[string]int{}
	for _, m := range msgs {
		if m.Kind == "alert" {
			out[m.Stories[0].ID]++
		}
	}
	return out
}

// twoStories ingests two reports of Kabulov from two outlets, each a story
// of its own, published at; it returns the stories.
func twoStories(t *testing.T, f *fixture, at time.Time) (a, b int64) {
	t.Helper()
	f.Ingest(t, bottest.Item("1", "tass.com", "Kabulov: Moscow keeps talking to Taliban", at),
		bottest.Item("2", "dawn.com", "Kabulov says talks go on", at.Add(time.Minute)))
	list, err := f.DB.Stories(context.Background(), time.Time{}, 0)
	if err != nil || len(list) != 2 {
		t.Fatalf("stories = %d (%v), want 2", len(list), err)
	}
	for _, s := range list {
		if s.Items[0].Source == "tass.com" {
			a = s.ID
		} else {
			b = s.ID
		}
	}
	return a, b
}

// TestMergeAlertsAsAnIngestWould: a person's merge that brings a story
// held for min_outlets the outlets it waits for alerts it, once, as the
// ingest of an item would; not when its rule is muted, nor when all its
// items are older than their feed's max_age, nor again in a channel
// alerted before.
func TestMergeAlertsAsAnIngestWould(t *testing.T) {
	for _, c := range []struct {
		name    string
		age     time.Duration // of the items
		mute    bool
		outlets int // the rule's min_outlets
		want    int // alerts of the merged story after the merge
	}{
		{"held, now carried by enough outlets", 0, false, 2, 1},
		{"held, still short of outlets", 0, false, 3, 0},
		{"held, its rule muted", 0, true, 2, 0},
		{"held, every item older than max_age", 72 * time.Hour, false, 2, 0},
		{"both alerted before", 0, false, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops")
			r.MinOutlets = c.outlets
			f := newFixture(t, r)
			ctx := context.Background()
			a, b := twoStories(t, f, f.Clock.Now().Add(-c.age))
			f.Sent(t)
			if c.mute {
				if err := f.DB.SetMute(ctx, &store.Mute{Rule: "kabulov", Until: f.Clock.Now().Add(time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			// Through the archive, as chat's merge does.
			if err := bot.NewArchive(f.DB, f.Rules, []bot.Feed{f.Feed}).Merge(ctx, a, b, f.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			got := alertsOf(f.Sent(t))
			if got[strconv.FormatInt(a, 10)] != c.want || len(got) > 1 {
				t.Errorf("the merge sent alerts %v, want %d of story %d", got, c.want, a)
			}
			// A later report does not alert it again.
			f.Ingest(t, bottest.Item("3", "khaama.com", "Kabulov says talks go on", f.Clock.Now()))
			if got := alertsOf(f.Sent(t)); c.want == 1 && len(got) != 0 {
				t.Errorf("a later report sent alerts %v, want none", got)
			}
		})
	}
}

// TestCLIMergeAlerts: bot.Merge (the command line's) alerts as the
// archive's merge does.
func TestCLIMergeAlerts(t *testing.T) {
	r := bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops")
	r.MinOutlets = 2
	f := newFixture(t, r)
	a, b := twoStories(t, f, f.Clock.Now())
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Fatalf("sent %d messages, want both stories held", len(msgs))
	}
	if err := bot.Merge(context.Background(), f.DB, f.Rules, []bot.Feed{f.Feed}, a, b, f.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := alertsOf(f.Sent(t)); len(got) != 1 || got[strconv.FormatInt(a, 10)] != 1 {
		t.Errorf("the merge sent alerts %v, want one of story %d", got, a)
	}
}

// TestConsolidationAlertsHeldStory: the grouper's consolidation that
// brings a story held for min_outlets its second outlet alerts it in the
// same ingest.
func TestConsolidationAlertsHeldStory(t *testing.T) {
	r := bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops")
	r.MinOutlets = 2
	f := newFixture(t, r)
	g := &scriptedConsolidator{
		scriptedJoiner: scriptedJoiner{join: map[string]string{}, links: map[string][]string{}, story: map[string]int64{}},
		after:          map[string][2]string{"3": {"1", "2"}},
	}
	f.Pipeline = bot.NewPipeline(f.DB, g, f.Rules, slog.New(slog.DiscardHandler), f.Clock.Now)
	f.Pipeline.SetFeeds([]bot.Feed{f.Feed})
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("1", "tass.com", "Kabulov: Moscow keeps talking to Taliban", now))
	f.Ingest(t, bottest.Item("2", "dawn.com", "Kabulov says talks go on", now.Add(time.Minute)))
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Fatalf("sent %d messages, want both stories held", len(msgs))
	}
	g.ingested("3")
	res := f.Ingest(t, bottest.Item("3", "ariananews.af", "Afghan cabinet meets", now.Add(2*time.Minute)))
	if res.Joined != 1 || res.Alerts != 1 {
		t.Errorf("ingest = %+v, want 1 story consolidated and 1 alert", res)
	}
	if got := alertsOf(f.Sent(t)); len(got) != 1 || got[strconv.FormatInt(g.story["1"], 10)] != 1 {
		t.Errorf("sent alerts %v, want one of the consolidated story %d", got, g.story["1"])
	}
}

// TestSplitAlertsAsAnIngestWould: the story split off is matched with its
// feed's tags and language, and alerted as its items were when ingested:
// never for items older than max_age, never by a rule the feed's tags
// exclude, and by a rule that asks for them.
func TestSplitAlertsAsAnIngestWould(t *testing.T) {
	for _, c := range []struct {
		name   string
		query  string
		tags   []string // the rule's
		feed   []string // the feed's tags
		lang   string   // the feed's language
		age    time.Duration
		ingest int // alerts of the ingest
		split  int // alerts of the split-off story
	}{
		{"fresh items", "kabulov", nil, nil, "", 0, 1, 1},
		{"items older than max_age", "kabulov", nil, nil, "", 72 * time.Hour, 0, 0},
		{"a tag the query excludes", "kabulov -tag:state", nil, []string{"state"}, "", 0, 0, 0},
		{"a tag the query asks for", "kabulov tag:state", nil, []string{"state"}, "", 0, 1, 1},
		{"a tag the rule asks for", "kabulov", []string{"central-asia"}, []string{"central-asia"}, "", 0, 1, 1},
		{"the feed's language, not the one detected", "kabulov lang:ru", nil, nil, "ru", 0, 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := bottest.MustRule(t, "kabulov", c.query, bot.ModeAlert, "ops")
			r.Tags = c.tags
			f := newFixture(t, r)
			f.Feed.Tags, f.Feed.Lang = c.feed, c.lang
			ctx := context.Background()
			at := f.Clock.Now().Add(-c.age)
			const title = "Kabulov says Moscow will keep talking to the Taliban"
			f.Ingest(t, bottest.Item("1", "tass.com", title, at), bottest.Item("2", "dawn.com", title, at.Add(time.Minute)))
			if got := alertsOf(f.Sent(t)); len(got) != min(c.ingest, 1) {
				t.Fatalf("the ingest sent alerts %v, want %d", got, c.ingest)
			}
			list, _ := f.DB.Stories(ctx, time.Time{}, 0)
			if len(list) != 1 {
				t.Fatalf("stories = %d, want 1", len(list))
			}
			c2, err := bot.NewArchive(f.DB, f.Rules, []bot.Feed{f.Feed}).Split(ctx, list[0].ID, "https://dawn.com/2", f.Clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			got := alertsOf(f.Sent(t))
			if got[strconv.FormatInt(c2, 10)] != c.split || len(got) > c.split {
				t.Errorf("the split sent alerts %v, want %d of story %d", got, c.split, c2)
			}
			// The split-off story records the rule where the ingest did.
			sc, err := f.DB.Story(ctx, c2)
			if err != nil {
				t.Fatal(err)
			}
			if want := c.ingest > 0 || c.age > 0; (len(sc.Rules) == 1) != want {
				t.Errorf("split-off story rules = %v, want kabulov: %v", sc.Rules, want)
			}
		})
	}
}

// TestSplitHoldsForOutlets: a split-off story of one outlet is held by a
// rule's min_outlets, as an ingest holds it.
func TestSplitHoldsForOutlets(t *testing.T) {
	r := bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops")
	r.MinOutlets = 2
	f := newFixture(t, r)
	ctx := context.Background()
	now := f.Clock.Now()
	const title = "Kabulov says Moscow will keep talking to the Taliban"
	f.Ingest(t, bottest.Item("1", "tass.com", title, now), bottest.Item("2", "dawn.com", title, now),
		bottest.Item("3", "khaama.com", title, now))
	if got := alertsOf(f.Sent(t)); len(got) != 1 {
		t.Fatalf("the ingest sent alerts %v, want the story alerted", got)
	}
	list, _ := f.DB.Stories(ctx, time.Time{}, 0)
	if _, err := bot.Split(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, list[0].ID, "https://dawn.com/2", now); err != nil {
		t.Fatal(err)
	}
	if got := alertsOf(f.Sent(t)); len(got) != 0 {
		t.Errorf("the split sent alerts %v, want the one-outlet story held", got)
	}
}

// TestSplitJoinsDigests: a story split off by a person joins the pending
// digest of each digest rule its items match, as a new story's first item
// would: the next digest lists both stories.
func TestSplitJoinsDigests(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"))
	ctx := context.Background()
	now := f.Clock.Now() // 09:00: the next digest is at 08:00 tomorrow
	const drills = "CSTO holds drills in Tajikistan this week"
	f.Ingest(t, bottest.Item("1", "tass.com", drills, now), bottest.Item("2", "tolonews.com", drills, now))
	list, _ := f.DB.Stories(ctx, time.Time{}, 0)
	if len(list) != 1 {
		t.Fatalf("stories = %d, want 1", len(list))
	}
	c2, err := bot.Split(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, list[0].ID, "https://tolonews.com/2", now)
	if err != nil {
		t.Fatal(err)
	}
	f.Clock.Advance(23 * time.Hour)
	if n, _, err := f.Digester.Queue(ctx, false); err != nil || n != 1 {
		t.Fatalf("queued %d digests (%v), want 1", n, err)
	}
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Kind != "digest" {
		t.Fatalf("sent %+v, want one digest", msgs)
	}
	var got []string
	for _, s := range msgs[0].Stories {
		got = append(got, s.ID)
	}
	slices.Sort(got)
	want := []string{strconv.FormatInt(list[0].ID, 10), strconv.FormatInt(c2, 10)}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("digest lists stories %v, want %v (the story and the one split off)", got, want)
	}
}

// TestMergeAnnouncesOutlets: a person's merge tells each channel alerted
// of one story, and not of the other, of the outlets the other brings, in
// one update, as the grouper's join does; a channel alerted of both gets
// nothing.
func TestMergeAnnouncesOutlets(t *testing.T) {
	for _, c := range []struct {
		name  string
		rules []bot.Rule
		want  map[string][]string // channel → the URLs its update names
	}{
		{"each channel alerted of one story",
			[]bot.Rule{bottest.MustRule(t, "moscow", "moscow", bot.ModeAlert, "ops"), bottest.MustRule(t, "says", "says", bot.ModeAlert, "desk")},
			map[string][]string{"ops": {"https://dawn.com/2"}, "desk": {"https://tass.com/1"}}},
		{"a channel alerted of both",
			[]bot.Rule{bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops")}, map[string][]string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, c.rules...)
			ctx := context.Background()
			a, b := twoStories(t, f, f.Clock.Now())
			if got := alertsOf(f.Sent(t)); len(got) != 2 {
				t.Fatalf("the ingest sent alerts %v, want both stories alerted", got)
			}
			if err := bot.Merge(ctx, f.DB, f.Rules, []bot.Feed{f.Feed}, a, b, f.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			got := map[string][]string{}
			for range 2 { // once: nothing more an interval later
				f.Clock.Advance(bot.UpdateInterval)
				for _, m := range f.Sent(t) {
					if m.Kind != "update" || m.Stories[0].ID != strconv.FormatInt(a, 10) {
						t.Fatalf("sent a %s of story %s, want updates of story %d only", m.Kind, m.Stories[0].ID, a)
					}
					got[m.Channel] = append(got[m.Channel], m.New...)
				}
			}
			if !maps.EqualFunc(got, c.want, slices.Equal) {
				t.Errorf("updates name %v, want %v", got, c.want)
			}
		})
	}
}
