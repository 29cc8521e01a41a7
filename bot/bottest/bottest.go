// Package bottest gives the tests of bot, its commands and its chat
// adapters one fixture: the pipeline, digester and dispatcher on a real
// store (store/storetest) with a settable clock, and the rules, items and
// stories they work with.
package bottest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/command"
	"github.com/wirewatch/wirewatch/bot/schedule"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/rules"
	"github.com/wirewatch/wirewatch/store"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// Start returns the time a fixture's clock starts at: 2026-11-20 09:00 UTC.
func Start() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) }

// Fixture is the pipeline, digester and dispatcher of one feed, "f", on a
// store, as the daemon wires them.
type Fixture struct {
	DB         *store.DB
	Clock      *storetest.Clock // what the pipeline, digester and dispatcher take as now
	Log        *slog.Logger
	Rules      []bot.Rule
	Feed       bot.Feed // "f", polled every 10 minutes, items up to 48 hours old
	Pipeline   *bot.Pipeline
	Digester   *schedule.Digester
	Dispatcher *bot.Dispatcher // nil until Dispatch or Record
	Out        *Recorder       // set by Record
}

// New returns the fixture over db (nil: a fresh store) logging to log
// (nil: nowhere), its clock at Start.
func New(tb testing.TB, db *store.DB, log *slog.Logger, rs ...bot.Rule) *Fixture {
	tb.Helper()
	if db == nil {
		db = storetest.MustOpen(tb)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	clk := storetest.NewClock(Start())
	sched, _ := cron.ParseStandard("@every 10m")
	return &Fixture{DB: db, Clock: clk, Log: log, Rules: rs,
		Feed:     bot.Feed{Name: "f", Schedule: sched, MaxAge: 48 * time.Hour},
		Pipeline: bot.NewPipeline(db, stories.Exact{Window: 72 * time.Hour}, rs, log, clk.Now),
		Digester: schedule.NewDigester(db, rs, time.UTC, log, clk.Now),
	}
}

// Dispatch makes the dispatcher deliver to senders.
func (f *Fixture) Dispatch(senders map[string]bot.Sender) {
	f.Dispatcher = bot.NewDispatcher(f.DB, f.Rules, senders, f.Log, f.Clock.Now)
}

// Record makes the dispatcher deliver the channels to one new Recorder,
// Out.
func (f *Fixture) Record(channels ...string) {
	f.Out = &Recorder{}
	senders := map[string]bot.Sender{}
	for _, c := range channels {
		senders[c] = f.Out
	}
	f.Dispatch(senders)
}

// Commands returns the command set over the fixture's store, rules and
// digester and the feeds fs, as the daemon wires it, logging to log (nil:
// the fixture's log).
func (f *Fixture) Commands(log *slog.Logger, fs ...bot.Feed) *command.Set {
	if log == nil {
		log = f.Log
	}
	a := bot.NewArchive(f.DB, f.Rules, fs)
	return command.New(command.Config{Stories: a, Search: a, Health: a, Mutes: a, Corrections: a, Digests: f.Digester,
		Rules: f.Rules, Feeds: fs, Location: time.UTC, Log: log, Now: f.Clock.Now})
}

// Ingest runs the pipeline on items of the feed.
func (f *Fixture) Ingest(tb testing.TB, items ...feeds.Item) bot.IngestResult {
	tb.Helper()
	res, err := f.Pipeline.Ingest(context.Background(), f.Feed, items, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// Flush delivers what is due.
func (f *Fixture) Flush(tb testing.TB) bot.FlushResult {
	tb.Helper()
	res, err := f.Dispatcher.Flush(context.Background(), false)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// Sent delivers what is due and returns what Out was sent by it.
func (f *Fixture) Sent(tb testing.TB) []*bot.Message {
	tb.Helper()
	f.Out.Msgs = nil
	f.Flush(tb)
	return f.Out.Msgs
}

// Recorder is a Sender that keeps what it was sent, or fails with Err.
type Recorder struct {
	Msgs []*bot.Message
	Err  error
}

// Send implements bot.Sender; the remote id is "remote-" and the channel.
func (r *Recorder) Send(_ context.Context, m *bot.Message) (string, error) {
	if r.Err != nil {
		return "", r.Err
	}
	r.Msgs = append(r.Msgs, m)
	return "remote-" + m.Channel, nil
}

// MustQuery parses a rule query.
func MustQuery(tb testing.TB, src string) *rules.Query {
	tb.Helper()
	q, err := rules.Parse(src)
	if err != nil {
		tb.Fatalf("query %q: %v", src, err)
	}
	return q
}

// MustRule returns the rule; a digest rule's digest is at 08:00.
func MustRule(tb testing.TB, name, query, mode string, channels ...string) bot.Rule {
	tb.Helper()
	r := bot.Rule{Name: name, Query: MustQuery(tb, query), Channels: channels, Mode: mode}
	if mode == bot.ModeDigest {
		r.Digest, _ = cron.ParseStandard("0 8 * * *")
	}
	return r
}

// DeskRules are the chat adapters' rules: kabulov alerts and csto
// digests, both to the channel "desk".
func DeskRules(tb testing.TB) []bot.Rule {
	tb.Helper()
	return []bot.Rule{
		MustRule(tb, "kabulov", `kabulov OR "zamir kabulov"`, bot.ModeAlert, "desk"),
		MustRule(tb, "csto", "csto", bot.ModeDigest, "desk"),
	}
}

// Item is a parsed item of the feed as feeds makes it, attributed: its URL
// is https://source/id, its text the title.
func Item(id, source, title string, published time.Time) feeds.Item {
	it := feeds.Item{Feed: "f", ID: id, URL: "https://" + source + "/" + id, Title: title, Text: title,
		Source: source, Published: published, Dated: true, Hash: id}
	it.Attribute()
	return it
}

// Story is a story of rule kabulov with one item from each outlet, a
// minute apart from Start, updated an hour after it.
func Story(title string, outlets ...string) *bot.Story {
	at := Start()
	st := &bot.Story{ID: "7", Title: title, FirstSeen: at, Updated: at.Add(time.Hour), Rules: []string{"kabulov"}}
	for i, o := range outlets {
		st.Items = append(st.Items, bot.StoryItem{URL: fmt.Sprintf("https://%s/news/%d", o, i), Title: title, Source: o,
			Published: at.Add(time.Duration(i) * time.Minute)})
		st.Outlets = append(st.Outlets, o)
	}
	st.Sources, st.Independent = len(outlets), max(1, len(outlets)-1)
	return st
}

// SyncBuffer is a bytes.Buffer safe for concurrent writers and readers: a
// log the code under test writes while the test reads it, or a process's
// output.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
