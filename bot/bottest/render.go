package bottest

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/command"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
)

// update rewrites golden files instead of comparing with them:
// go test ./bot/slack/ ./bot/matrix/ -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Golden compares got with testdata/NAME.golden (rewriting it with -update).
func Golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run the test with -update to write it)", err)
	}
	if string(got) != string(want) {
		tb.Errorf("%s differs from the golden file (rerun with -update if the change is meant):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// The render scenario's story: Tolo News reports first, TASS (a wire
// agency, whose headline the story takes) an hour later, then six more
// outlets; the text of each report opens with page clutter and repeats its
// headline.
const (
	toloTitle = "Russia ready to cooperate with Taliban on security, says Kabulov"
	tassTitle = "Kabulov: Russia ready to cooperate with Taliban on security"
	clutter   = "Skip to main content Latest news Thumbnail Home / Latest Updates / "
	body      = " Moscow is ready to work with the Taliban government on security along the Tajik-Afghan border, " +
		"presidential envoy Zamir Kabulov told TASS on Thursday. The Taliban's foreign ministry welcomed the remarks " +
		"and said talks in Moscow would go on in the spring."
)

// RenderRules are the scenario's rules: kabulov alerts in "desk",
// russia-taliban is a digest in "desk", taliban alerts in "ops" only.
// Alerts bold where kabulov matched: "Zamir Kabulov", and the Taliban near
// Kabulov, not the Taliban further off.
func RenderRules(tb testing.TB) []bot.Rule {
	return []bot.Rule{
		MustRule(tb, "kabulov", `"zamir kabulov" OR kabulov NEAR/5 taliban`, bot.ModeAlert, "desk"),
		MustRule(tb, "russia-taliban", "russia AND taliban", bot.ModeDigest, "desk"),
		MustRule(tb, "taliban", "taliban", bot.ModeAlert, "ops"),
	}
}

// Rendered are the scenario's messages in "desk", as the dispatcher makes
// them, and its command set.
type Rendered struct {
	Alert, Update, Digest *bot.Message
	Commands              *command.Set
	Fixture               *Fixture
}

// Render runs the scenario: the story's first two reports are alerted,
// six more outlets update it, and the digest lists it.
func Render(tb testing.TB) *Rendered {
	tb.Helper()
	f := New(tb, nil, nil, RenderRules(tb)...)
	f.Pipeline = bot.NewPipeline(f.DB, stories.NewSimilar(stories.SimilarOptions{}), f.Rules, f.Log, f.Clock.Now)
	f.Record("desk")
	at := Start()
	report := func(id, source, title string, published time.Time) feeds.Item {
		it := Item(id, source, title, published)
		it.Text = clutter + title + "." + body
		it.Attribute()
		return it
	}
	f.Ingest(tb, report("1", "tolonews.com", toloTitle, at), report("2", "tass.com", tassTitle, at.Add(time.Hour)))
	f.Clock.Advance(2 * time.Hour)
	out := &Rendered{Fixture: f, Commands: f.Commands(nil, f.Feed)}
	out.Alert = one(tb, f.Sent(tb), "alert")
	f.Clock.Advance(bot.UpdateInterval)
	var more []feeds.Item
	for i, o := range []string{"khaama.com", "amu.tv", "afintl.com", "urdupoint.com", "akipress.com", "eurasianet.org"} {
		more = append(more, report(string(rune('3'+i)), o, toloTitle, f.Clock.Now().Add(time.Duration(i)*time.Minute)))
	}
	f.Ingest(tb, more...)
	f.Clock.Advance(bot.UpdateInterval)
	out.Update = one(tb, f.Sent(tb), "update")
	if _, err := f.Digester.QueueRule(context.Background(), "russia-taliban"); err != nil {
		tb.Fatal(err)
	}
	out.Digest = one(tb, f.Sent(tb), "digest")
	return out
}

// one returns the one message of kind among msgs.
func one(tb testing.TB, msgs []*bot.Message, kind string) *bot.Message {
	tb.Helper()
	var out *bot.Message
	for _, m := range msgs {
		if m.Kind == kind {
			if out != nil {
				tb.Fatalf("two %s messages", kind)
			}
			out = m
		}
	}
	if out == nil {
		tb.Fatalf("no %s among %d messages", kind, len(msgs))
	}
	return out
}

// Answer is a command line and its answer.
type Answer struct {
	Name  string // for the golden file's name
	Reply *bot.Reply
}

// Answers runs every command of the set, as an admin unless said, on the
// scenario's story (#1).
func (r *Rendered) Answers(tb testing.TB, prefix string, shared bool) []Answer {
	tb.Helper()
	ctx := context.Background()
	var out []Answer
	for _, c := range []struct {
		name, text string
		admin      bool
	}{
		{"help", "help", false},
		{"search", "search kabulov", false},
		{"stories", "stories since:7d", false},
		{"story", "story #1", false},
		{"rules", "rules", false},
		{"feeds", "feeds", false},
		{"mute", "mute kabulov 2h", true},
		{"unmute", "unmute kabulov", true},
		{"digest", "digest russia-taliban", true},
		{"split", "split 1 amu.tv", true},
		{"merge", "merge 1 2", true},
		{"refused", "mute kabulov 2h", false},
		{"unknown", "serach kabulov", false},
		{"usage", "story", false},
	} {
		reply := r.Commands.Run(ctx, command.Request{Text: c.text, Prefix: prefix, User: "U1", Admin: c.admin, Shared: shared})
		out = append(out, Answer{Name: c.name, Reply: reply})
	}
	return out
}
