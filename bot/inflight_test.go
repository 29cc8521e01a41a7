package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
)

// hookSender runs during before returning from each Send: what happens
// while a message is on its way.
type hookSender struct {
	during func(m *bot.Message)
	sent   []*bot.Message
}

func (h *hookSender) Send(_ context.Context, m *bot.Message) (string, error) {
	if h.during != nil {
		h.during(m)
	}
	h.sent = append(h.sent, m)
	return "remote", nil
}

// TestNewOutletWhileDeliveryInFlight is the regression test of a lost
// update: a new outlet that arrived while the alert (or an update) was
// being sent was merged into that delivery, and so never shown.
func TestNewOutletWhileDeliveryInFlight(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	now := f.Clock.Now()
	h := &hookSender{}
	disp := bot.NewDispatcher(f.DB, f.Rules, map[string]bot.Sender{"ops": h}, slog.New(slog.DiscardHandler), f.Clock.Now)
	flush := func() {
		t.Helper()
		if _, err := disp.Flush(context.Background(), true); err != nil {
			t.Fatal(err)
		}
	}
	f.Ingest(t, bottest.Item("1", "tass.com", headline, now))
	// While the alert is on its way, a second outlet reports the story.
	h.during = func(*bot.Message) {
		h.during = nil
		f.Ingest(t, bottest.Item("2", "tolonews.com", headline, now))
	}
	flush()
	// That outlet's update is held as any other: at most one message per
	// story and channel every UpdateInterval, counted from the alert's start.
	if res, err := disp.Flush(context.Background(), false); err != nil || res.Sent != 0 {
		t.Fatalf("flush right after the alert = %+v, %v; want the update held", res, err)
	}
	// While that update is on its way, a third one does.
	h.during = func(*bot.Message) {
		h.during = nil
		f.Ingest(t, bottest.Item("3", "afghanistantimes.af", headline, now))
	}
	f.Clock.Advance(bot.UpdateInterval)
	flush()
	f.Clock.Advance(bot.UpdateInterval)
	flush()
	var shown []string
	for _, m := range h.sent {
		switch m.Kind {
		case "alert":
			for _, it := range m.Stories[0].Items {
				shown = append(shown, it.URL)
			}
		case "update":
			shown = append(shown, m.New...)
		}
	}
	for _, want := range []string{"https://tass.com/1", "https://tolonews.com/2", "https://afghanistantimes.af/3"} {
		if !slices.Contains(shown, want) {
			t.Errorf("%s was never shown; messages showed %q", want, shown)
		}
	}
}

// blockingSender holds each Send until released, saying when it started.
type blockingSender struct {
	started chan struct{}
	release chan struct{}
	mu      sync.Mutex
	n       int
}

func (b *blockingSender) Send(context.Context, *bot.Message) (string, error) {
	b.started <- struct{}{}
	<-b.release
	b.mu.Lock()
	b.n++
	b.mu.Unlock()
	return "remote", nil
}

// TestTwoDispatchersNeverSendOneDeliveryTwice is the regression test of two
// processes on one database (once beside run) sending the same delivery:
// each claims a delivery before sending it.
func TestTwoDispatchersNeverSendOneDeliveryTwice(t *testing.T) {
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	f.Ingest(t, bottest.Item("1", "tass.com", headline, f.Clock.Now()))
	log := slog.New(slog.DiscardHandler)
	slow := &blockingSender{started: make(chan struct{}, 1), release: make(chan struct{})}
	a := bot.NewDispatcher(f.DB, f.Rules, map[string]bot.Sender{"ops": slow}, log, f.Clock.Now)
	other := &hookSender{}
	b := bot.NewDispatcher(f.DB, f.Rules, map[string]bot.Sender{"ops": other}, log, f.Clock.Now)
	done := make(chan error, 1)
	go func() { _, err := a.Flush(context.Background(), true); done <- err }()
	<-slow.started // a holds the alert, on its way
	res, err := b.Flush(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(other.sent) != 0 || res.Sent != 0 {
		t.Errorf("the second dispatcher sent %d (%+v) while the first was sending, want 0", len(other.sent), res)
	}
	close(slow.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	f.Clock.Advance(time.Hour)
	if res, _ := b.Flush(context.Background(), true); res.Sent != 0 || len(other.sent) != 0 {
		t.Errorf("after the first sent it, the second sent %d, want 0", len(other.sent))
	}
	if slow.n != 1 {
		t.Errorf("the first dispatcher sent %d, want 1", slow.n)
	}
}

// TestDigestRetryShowsWhatItShowed: a digest whose attempt failed (part of
// it may be posted: a chat sender splits a long one into messages) is
// handed to its sender again as it was the first time, although a story
// gained an outlet meanwhile, so that its parts split as before. Chat
// senders skip the parts posted already; a digest shown otherwise would
// put a story in no part, or in two.
func TestDigestRetryShowsWhatItShowed(t *testing.T) {
	f := bottest.New(t, nil, nil, bottest.MustRule(t, "csto", "csto", bot.ModeDigest, "desk"))
	ctx := context.Background()
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("1", "akipress.com", "CSTO drills, day 1", now),
		bottest.Item("2", "akipress.com", "CSTO drills, day 2", now))
	if n, _, err := f.Digester.Queue(ctx, true); n != 1 || err != nil {
		t.Fatalf("queued %d digests (%v), want 1", n, err)
	}
	shown := func(m *bot.Message) []string {
		var out []string
		for _, s := range m.Stories {
			out = append(out, s.Title+" ("+s.Coverage()+")")
		}
		return out
	}
	h := &hookSender{}
	f.Dispatch(map[string]bot.Sender{"desk": failing{h}})
	if res := f.Flush(t); res.Failed != 1 || len(h.sent) != 1 {
		t.Fatalf("flush = %+v, %d attempts; want the digest tried and failed", res, len(h.sent))
	}
	first := h.sent[0]
	// The story listed last gains an outlet: listed now, it comes first.
	last := first.Stories[len(first.Stories)-1]
	f.Clock.Advance(time.Minute)
	f.Ingest(t, bottest.Item("3", "tass.com", last.Title, f.Clock.Now()))
	f.Record("desk")
	f.Clock.Advance(time.Hour)
	msgs := f.Sent(t)
	if len(msgs) != 1 || !msgs[0].Resend {
		t.Fatalf("sent %d messages, want the digest again, as a resend", len(msgs))
	}
	if got, want := shown(msgs[0]), shown(first); !slices.Equal(got, want) {
		t.Errorf("the retry shows %q, want %q as the first attempt", got, want)
	}
}

// failing is a sender that sees each message, then fails.
type failing struct{ h *hookSender }

func (s failing) Send(ctx context.Context, m *bot.Message) (string, error) {
	s.h.Send(ctx, m)
	return "", errors.New("timeout")
}
