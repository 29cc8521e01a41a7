package command_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/command"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// The archive and the digester are what the commands work with.
var (
	_ command.Stories     = (*bot.Archive)(nil)
	_ command.Searcher    = (*bot.Archive)(nil)
	_ command.Health      = (*bot.Archive)(nil)
	_ command.Mutes       = (*bot.Archive)(nil)
	_ command.Corrections = (*bot.Archive)(nil)
	_ command.Digests     = (*bot.Digester)(nil)
)

// recorder is a Sender that keeps what it was sent.
type recorder struct{ msgs []*bot.Message }

func (r *recorder) Send(_ context.Context, m *bot.Message) (string, error) {
	r.msgs = append(r.msgs, m)
	return "remote-" + m.Channel, nil
}

// cmdFixture is a store, a pipeline and a dispatcher, with the command
// set over them.
type cmdFixture struct {
	db    *store.DB
	clk   *storetest.Clock
	p     *bot.Pipeline
	disp  *bot.Dispatcher
	dig   *bot.Digester
	out   *recorder
	feed  bot.Feed
	rules []bot.Rule
	cmds  *command.Set
	log   *bytes.Buffer
}

func newCmdFixture(t *testing.T, rs ...bot.Rule) *cmdFixture {
	t.Helper()
	db := storetest.MustOpen(t)
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	clk := storetest.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	sched, _ := cron.ParseStandard("@every 10m")
	f := &cmdFixture{db: db, clk: clk, out: &recorder{}, rules: rs, log: &buf,
		p:    bot.NewPipeline(db, stories.Exact{Window: 72 * time.Hour}, rs, log, clk.Now),
		dig:  bot.NewDigester(db, rs, time.UTC, log, clk.Now),
		feed: bot.Feed{Name: "f", Schedule: sched, MaxAge: 48 * time.Hour},
	}
	f.disp = bot.NewDispatcher(db, rs, map[string]bot.Sender{"ops": f.out, "desk": f.out}, log, clk.Now)
	f.cmds = newSet(db, rs, []bot.Feed{f.feed, {Name: "quiet"}}, f.dig, log, clk.Now)
	return f
}

// newSet returns the command set over db, as the daemon wires it.
func newSet(db *store.DB, rs []bot.Rule, fs []bot.Feed, dig *bot.Digester, log *slog.Logger, now bot.Clock) *command.Set {
	a := bot.NewArchive(db, rs)
	return command.New(command.Config{Stories: a, Search: a, Health: a, Mutes: a, Corrections: a, Digests: dig,
		Rules: rs, Feeds: fs, Location: time.UTC, Log: log, Now: now})
}

// run runs a command line as a user (an admin when admin is set).
func (f *cmdFixture) run(text string, admin bool) *bot.Reply {
	return f.cmds.Run(context.Background(), command.Request{Text: text, Prefix: "/wirewatch", User: "U1", Admin: admin})
}

func mustRule(t *testing.T, name, query, mode string, channels ...string) bot.Rule {
	t.Helper()
	q, err := rules.Parse(query)
	if err != nil {
		t.Fatalf("rule %s: %v", name, err)
	}
	r := bot.Rule{Name: name, Query: q, Channels: channels, Mode: mode}
	if mode == bot.ModeDigest {
		r.Digest, _ = cron.ParseStandard("0 8 * * *")
	}
	return r
}

func item(id, source, title string, published time.Time) feeds.Item {
	return feeds.Item{Feed: "f", ID: id, URL: "https://" + source + "/" + id, Title: title, Text: title,
		Source: source, Published: published, Dated: true, Hash: id}
}

func (f *cmdFixture) ingest(t *testing.T, items ...feeds.Item) bot.IngestResult {
	t.Helper()
	res, err := f.p.Ingest(context.Background(), f.feed, items, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (f *cmdFixture) flush(t *testing.T) []*bot.Message {
	t.Helper()
	f.out.msgs = nil
	if _, err := f.disp.Flush(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	return f.out.msgs
}

const headline = "Kabulov says Moscow will keep talking to the Taliban"
