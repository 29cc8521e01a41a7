package command_test

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/bot/command"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/store"
)

func storyTitles(r *bot.Reply) []string {
	var out []string
	for _, s := range r.Stories {
		out = append(out, s.Title)
	}
	return out
}

func TestCommandsLookups(t *testing.T) {
	held := bottest.MustRule(t, "held", "zzyzx", bot.ModeAlert, "ops")
	held.MinSources, held.MinOutlets = 3, 2
	f := newCmdFixture(t,
		bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"),
		bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"), held)
	now := f.Clock.Now()
	f.Ingest(t,
		bottest.Item("1", "tass.com", headline, now.Add(-2*time.Hour)),
		bottest.Item("2", "tolonews.com", headline, now.Add(-time.Hour)),
		bottest.Item("3", "akipress.com", "CSTO drills begin in Tajikistan", now.Add(-3*24*time.Hour)),
		bottest.Item("4", "akipress.com", "Old Kabulov interview resurfaces", now.Add(-10*24*time.Hour)))
	ctx := context.Background()
	f.DB.SaveFeedState(ctx, &store.FeedState{Name: "f", URL: "https://x.org/rss?token=SECRET", LastSuccess: now.Add(-time.Hour),
		LastError: "fetch https://x.org/rss?token=SECRET: 503 Service Unavailable", Failures: 3, NextPoll: now.Add(4 * time.Minute), RetryUntil: now.Add(4 * time.Minute), ItemCount: 4})
	f.DB.PauseChannel(ctx, "ops", "slack: not_in_channel", now.Add(-time.Hour), now)
	storyID := f.run("search kabulov", false).Stories[0].ID

	tests := []struct {
		name        string
		text        string
		wantTitle   string   // a substring of the title
		wantStories []string // titles, in order
		wantText    []string // substrings of the plain text
		notText     []string
	}{
		{"empty is help", "", "commands", nil, []string{"/wirewatch search QUERY [since:30d] [page:N]", "mute RULE DURATION — ", "(admins)"}, nil},
		{"help", "help", "commands", nil, []string{"/wirewatch story ID"}, nil},
		{"unknown", "frobnicate", `Unknown command "frobnicate"`, nil, []string{"/wirewatch help"}, nil},
		{"search default all history", "search kabulov", "2 stories matching kabulov in all history", []string{headline, "Old Kabulov interview resurfaces"}, nil, nil},
		{"search since week", "search kabulov since:7d", "1 story matching kabulov in the last 7d", []string{headline},
			[]string{"2 outlets · updated", "    tass.com, tolonews.com", "rules: kabulov", "https://tass.com/1"}, []string{"Page"}},
		{"search since", "search kabulov since:30d", "2 stories", []string{headline, "Old Kabulov interview resurfaces"}, nil, nil},
		{"search since:0 is all", "search kabulov since:0", "2 stories matching kabulov in all history", []string{headline, "Old Kabulov interview resurfaces"}, nil, nil},
		{"search alias and phrase", `s "drills begin"`, "1 story", []string{"CSTO drills begin in Tajikistan"}, nil, nil},
		{"search nothing found", "search zzzz", "0 stories", nil, nil, []string{"Older stories match"}},
		{"search nothing in the window", "search resurfaces since:7d", "0 stories matching resurfaces in the last 7d", nil,
			[]string{"Older stories match: /wirewatch search resurfaces finds them."}, nil},
		{"search nothing in the window nor before", "search zzzz since:7d", "0 stories", nil, nil, []string{"Older stories match"}},
		{"search bad query", "search kabulov AND", "query", nil, []string{"Usage: /wirewatch search QUERY"}, nil},
		{"search without query", "search", "search for what?", nil, nil, nil},
		{"bad since", "search kabulov since:soon", "since:", nil, nil, nil},
		{"bad page", "stories page:0", "page:", nil, nil, nil},
		// Regression: a huge page:N overflowed page × size to "no limit".
		{"huge page", "stories page:9223372036854775807", "page:", nil, nil, nil},
		{"stories default day", "stories", "last 1d", []string{headline}, nil, nil},
		{"stories since", "stories since:7d", "last 7d", []string{headline, "CSTO drills begin in Tajikistan"}, nil, nil},
		{"stories since:0 is all", "stories since:0", "latest updated first", []string{headline, "CSTO drills begin in Tajikistan", "Old Kabulov interview resurfaces"}, nil, nil},
		{"stories takes no words", "stories kabulov", "use search", nil, nil, nil},
		{"stories none in the window", "stories since:30m", "last 30m", nil,
			[]string{"None updated since then; the latest was updated 2026-11-20 08:00 UTC (/wirewatch stories since:0 lists them all)."}, nil},
		{"story", "story " + storyID, "Story #" + storyID, []string{headline},
			[]string{"#3 Kabulov says", "• tass.com · 2026-11-20 07:00 UTC https://tass.com/1", "• tolonews.com · 2026-11-20 08:00 UTC", "https://tolonews.com/2"}, nil},
		{"story with hash", "story #" + storyID, "Story #" + storyID, []string{headline}, nil, nil},
		{"story missing", "story 99", "there is no story 99", nil, nil, nil},
		{"story bad id", "story x", `"x" is not a story ID`, nil, nil, nil},
		{"rules", "rules", "3 rules", nil, []string{"kabulov: alert to ops · query: kabulov", "csto: digest (next 2026-11-21 08:00 UTC) to desk",
			"held: alert, held until 3 independent sources, held until 2 outlets to ops"}, nil},
		{"feeds", "feeds", "2 feeds, 1 failing; 1 channel paused", nil,
			[]string{"Channel ops is PAUSED", "not_in_channel", "f: FAILING (3 in a row): fetch https://x.org/rss?…: 503", "503 Service Unavailable (its server asked for no poll before 2026-11-20 09:04 UTC) · last success", "next poll 2026-11-20 09:04 UTC", "quiet: never polled"},
			[]string{"SECRET", "token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.run(tt.text, false)
			if !strings.Contains(r.Title, tt.wantTitle) {
				t.Errorf("title = %q, want it to contain %q", r.Title, tt.wantTitle)
			}
			if got := storyTitles(r); strings.Join(got, "|") != strings.Join(tt.wantStories, "|") {
				t.Errorf("stories = %q, want %q", got, tt.wantStories)
			}
			text := r.Text()
			for _, w := range tt.wantText {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.notText {
				if strings.Contains(text, w) {
					t.Errorf("text contains %q:\n%s", w, text)
				}
			}
			if r.Public {
				t.Errorf("reply is public, want it only for the asker")
			}
		})
	}
	if r := f.run("stories in:channel", false); !r.Public {
		t.Errorf("in:channel: reply is not public")
	}
}

func TestCommandsPaginate(t *testing.T) {
	f := newCmdFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	now := f.Clock.Now()
	var items []feeds.Item
	for i := range 12 {
		items = append(items, bottest.Item(fmt.Sprint(i), fmt.Sprintf("outlet%d.com", i), fmt.Sprintf("Kabulov statement number %d on talks", i), now.Add(-time.Duration(i)*time.Minute)))
	}
	f.Ingest(t, items...)

	tests := []struct {
		name      string
		text      string
		stories   int
		page      int
		pages     int
		next      string
		wantTitle string
	}{
		{"search first page", "search kabulov", 10, 1, 2, "/wirewatch search kabulov page:2", "12 stories"},
		{"search last page", "search kabulov page:2", 2, 2, 2, "", "12 stories"},
		{"search past the end", "search kabulov page:3", 0, 0, 0, "", "there are only 2 pages"},
		{"stories first page keeps options", "stories since:2d page:1", 10, 1, 0, "/wirewatch stories since:2d page:2", "Stories"},
		{"stories last page", "stories since:2d page:2", 2, 2, 0, "", "Stories"},
		{"stories past the end", "stories page:3", 0, 0, 0, "", "no more stories"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.run(tt.text, false)
			if got := len(r.Stories); got != tt.stories {
				t.Errorf("stories = %d, want %d", got, tt.stories)
			}
			if r.Page != tt.page || r.Pages != tt.pages || r.Next != tt.next {
				t.Errorf("page %d of %d, next %q; want page %d of %d, next %q", r.Page, r.Pages, r.Next, tt.page, tt.pages, tt.next)
			}
			if !strings.Contains(r.Title, tt.wantTitle) {
				t.Errorf("title = %q, want it to contain %q", r.Title, tt.wantTitle)
			}
			if tt.next != "" && !strings.Contains(r.Text(), "Next page: "+tt.next) {
				t.Errorf("text does not say how to get the next page:\n%s", r.Text())
			}
		})
	}
	// Newest first: the first page starts with the newest item's story.
	if r := f.run("search kabulov", false); r.Stories[0].Title != "Kabulov statement number 0 on talks" {
		t.Errorf("first result %q, want the newest", r.Stories[0].Title)
	}
}

func TestCommandsAdminOnly(t *testing.T) {
	f := newCmdFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	for _, text := range []string{"mute kabulov 2h", "unmute kabulov", "digest"} {
		t.Run(text, func(t *testing.T) {
			r := f.run(text, false)
			if !strings.HasPrefix(r.Title, "Sorry, only admins can use ") {
				t.Errorf("title = %q, want a polite refusal", r.Title)
			}
		})
	}
	mutes, _ := f.DB.Mutes(context.Background(), f.Clock.Now())
	if len(mutes) != 0 {
		t.Errorf("a refused mute was stored: %+v", mutes)
	}
}

func TestMuteDropsHits(t *testing.T) {
	f := newCmdFixture(t,
		bottest.MustRule(t, "envoy", "envoy", bot.ModeAlert, "ops"),
		bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"),
		bottest.MustRule(t, "taliban", "taliban", bot.ModeAlert, "desk"))

	tests := []struct {
		text      string
		wantTitle string
	}{
		{"mute envoy", "name a rule and a duration"},
		{"mute nosuch 2h", `there is no rule named "nosuch"`},
		{"mute envoy soon", "bad duration"},
		{"mute envoy 90d", "at most 30d"},
		{"mute envoy 2h", "Muted envoy until 2026-11-20 11:00 UTC."},
		{"mute csto 2h", "Muted csto until"},
	}
	for _, tt := range tests {
		if r := f.run(tt.text, true); !strings.Contains(r.Title, tt.wantTitle) {
			t.Errorf("%s: title = %q, want it to contain %q", tt.text, r.Title, tt.wantTitle)
		}
	}
	if r := f.run("rules", false); !strings.Contains(r.Text(), "envoy: alert to ops · query: envoy · MUTED until 2026-11-20 11:00 UTC") {
		t.Errorf("rules does not show the mute:\n%s", r.Text())
	}

	// While muted: envoy and csto hits are dropped; taliban still alerts.
	now := f.Clock.Now()
	envoy := bottest.Item("1", "tass.com", headline, now)
	envoy.Text = "The envoy spoke in Moscow."
	res := f.Ingest(t, envoy, bottest.Item("2", "akipress.com", "CSTO drills begin in Tajikistan", now))
	if res.Alerts != 1 || res.Digest != 0 || res.Muted != 2 {
		t.Fatalf("ingest while muted = %+v, want 1 alert (taliban), no digest entry, 2 muted hits", res)
	}
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Channel != "desk" {
		t.Fatalf("sent %d messages, want the taliban alert in desk only", len(msgs))
	}
	if n, _, _ := f.Digester.Queue(context.Background(), true); n != 0 {
		t.Errorf("queued %d digests of muted hits, want 0", n)
	}

	// After the mute: the story gains an outlet whose item does not match
	// envoy by itself; the dropped hit is not held, so envoy does not alert.
	f.Clock.Advance(2 * time.Hour)
	later := bottest.Item("3", "urdupoint.com", headline, f.Clock.Now())
	later.Text = "Nothing more was said."
	if res = f.Ingest(t, later); res.Alerts != 0 || res.Muted != 0 {
		t.Errorf("ingest after the mute = %+v, want no alert for the dropped hit", res)
	}
	// A new hit after the mute alerts as usual.
	if res = f.Ingest(t, bottest.Item("4", "tass.com", "Envoy meets Afghan delegation in Moscow", f.Clock.Now())); res.Alerts != 1 {
		t.Errorf("ingest of a new hit after the mute = %+v, want 1 alert", res)
	}

	// Unmute.
	f.run("mute envoy 1h", true)
	if r := f.run("unmute envoy", true); r.Title != "Unmuted envoy." {
		t.Errorf("unmute: %q", r.Title)
	}
	if r := f.run("unmute envoy", true); r.Title != "envoy was not muted." {
		t.Errorf("unmute again: %q", r.Title)
	}
}

func TestDigestCommand(t *testing.T) {
	f := newCmdFixture(t,
		bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"),
		bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"),
		bottest.MustRule(t, "drills", "drills", bot.ModeDigest, "ops"))
	tests := []struct {
		text      string
		wantTitle string
		queued    int // digest deliveries sent after the command
	}{
		{"digest csto", "No stories are waiting", 0},
		{"digest kabulov", "kabulov is an alert rule", 0},
		{"digest nosuch", `no rule named "nosuch"`, 0},
		{"ingest", "", 0},
		{"digest csto", "Queued 1 digest;", 1},
		{"digest csto", "No stories are waiting", 0},
		{"digest", "Queued 1 digest;", 1}, // drills's
	}
	for i, tt := range tests {
		if tt.text == "ingest" {
			f.Ingest(t, bottest.Item("1", "akipress.com", "CSTO drills begin in Tajikistan", f.Clock.Now()))
			continue
		}
		r := f.run(tt.text, true)
		if !strings.Contains(r.Title, tt.wantTitle) {
			t.Errorf("%d %s: title = %q, want it to contain %q", i, tt.text, r.Title, tt.wantTitle)
		}
		if msgs := f.Sent(t); len(msgs) != tt.queued {
			t.Errorf("%d %s: sent %d digests, want %d", i, tt.text, len(msgs), tt.queued)
		}
	}
}

func TestCommandInternalErrors(t *testing.T) {
	tests := []struct {
		name      string
		cmds      func(f *cmdFixture) *command.Set
		wantInLog string
	}{
		{"panic", func(f *cmdFixture) *command.Set {
			// Nothing to search with: the command panics on it.
			return command.New(command.Config{Location: time.UTC, Log: slog.New(slog.NewTextHandler(f.log, nil)), Now: f.Clock.Now})
		}, "command panicked"},
		{"store error", func(f *cmdFixture) *command.Set {
			f.DB.Close()
			return f.cmds
		}, "database is closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newCmdFixture(t)
			cmds := tt.cmds(f)
			r := cmds.Run(context.Background(), command.Request{Text: "search kabulov", Prefix: "/wirewatch", User: "U1"})
			m := regexp.MustCompile(`^Internal error, logged as ([0-9a-f]{8})\.$`).FindStringSubmatch(r.Title)
			if m == nil {
				t.Fatalf("title = %q, want an internal error with an id", r.Title)
			}
			logged := f.log.String()
			if !strings.Contains(logged, "error_id="+m[1]) || !strings.Contains(logged, tt.wantInLog) {
				t.Errorf("log lacks error_id=%s and %q:\n%s", m[1], tt.wantInLog, logged)
			}
			if strings.Contains(r.Text(), "closed") || strings.Contains(r.Text(), "nil pointer") {
				t.Errorf("reply shows the error's detail: %s", r.Text())
			}
		})
	}
}

// deadSearch is a search whose deadline has passed: it reads nothing.
type deadSearch struct{}

func (deadSearch) SearchStoryIDs(ctx context.Context, req bot.SearchRequest) ([]int64, error) {
	<-ctx.Done() // the command bounds the search's time
	return nil, bot.ErrSearchCut
}

// TestChatSearchIsBounded is the regression test of a chat search over
// years scanning every item with no bound: the command gives the search a
// deadline and says when the search stopped early.
func TestChatSearchIsBounded(t *testing.T) {
	f := newCmdFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	a := bot.NewArchive(f.DB, f.Rules, nil)
	set := command.New(command.Config{Stories: a, Search: deadSearch{}, Health: a, Mutes: a, Corrections: a,
		Digests: f.Digester, Rules: f.Rules, Location: time.UTC, Log: slog.New(slog.DiscardHandler), Now: f.Clock.Now})
	r := set.Run(context.Background(), command.Request{Text: "search kabulov since:3650d", Prefix: "/wirewatch", User: "U1"})
	if !strings.Contains(r.Title, "stopped early") {
		t.Errorf("title = %q, want it to say the search stopped early", r.Title)
	}
}
