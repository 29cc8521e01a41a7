package bot_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	"github.com/wirewatch/wirewatch/feeds"
	"github.com/wirewatch/wirewatch/feeds/stories"
	"github.com/wirewatch/wirewatch/store/storetest"
)

// plainRecorder is a recorder whose messages show no snippet.
type plainRecorder struct{ bottest.Recorder }

func (*plainRecorder) NoSnippets() {}

var _ bot.SnippetFree = (*plainRecorder)(nil)

// TestSnippetOnlyForSendersThatShowIt: a chat sender's alert carries the
// snippet of why it matched; a bot.SnippetFree sender's does not (none is
// worked out), and is otherwise the same message.
func TestSnippetOnlyForSendersThatShowIt(t *testing.T) {
	fm, err := farm.Start(farm.Options{Feeds: 1, MaxItems: 8, MaxBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fm.Close() })
	db := storetest.MustOpen(t)
	log := slog.New(slog.DiscardHandler)
	rs := []bot.Rule{bottest.MustRule(t, "any", "the OR said OR of OR to OR in OR and OR a", bot.ModeAlert, "chat", "plain")}
	pipeline := bot.NewPipeline(db, stories.Exact{Window: 72 * time.Hour}, rs, log, time.Now)
	poller := bot.NewPoller(db, feeds.NewFetcher(feeds.FetcherOptions{Transport: fm.Transport()}), pipeline, log, time.Now)
	chat, plain := &bottest.Recorder{}, &plainRecorder{}
	disp := bot.NewDispatcher(db, rs, map[string]bot.Sender{"chat": chat, "plain": plain}, log, time.Now)
	sched, _ := cron.ParseStandard("@every 10m")
	if _, err := poller.Poll(context.Background(), bot.Feed{Name: "f0", URL: fm.URL(0), Schedule: sched, MaxAge: 48 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	if _, err := disp.Flush(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if len(chat.Msgs) == 0 || len(chat.Msgs) != len(plain.Msgs) {
		t.Fatalf("got %d chat and %d plain messages, want the same number, some", len(chat.Msgs), len(plain.Msgs))
	}
	for i := range chat.Msgs {
		c, p := chat.Msgs[i], plain.Msgs[i]
		if c.Snippet == nil {
			t.Errorf("chat message %d has no snippet", i)
		}
		if p.Snippet != nil {
			t.Errorf("plain message %d has a snippet: %v", i, p.Snippet)
		}
		if c.Kind != p.Kind || c.Stories[0].Title != p.Stories[0].Title || len(c.Matched) != len(p.Matched) {
			t.Errorf("message %d: chat %s %q %v, plain %s %q %v; want the same", i, c.Kind, c.Stories[0].Title, c.Matched,
				p.Kind, p.Stories[0].Title, p.Matched)
		}
	}
}
