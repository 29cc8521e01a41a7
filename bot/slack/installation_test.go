package slack_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
	wslack "github.com/wirewatch/wirewatch/bot/slack"
)

// TestResendIgnoresAnotherInstallationsMessage is the regression test of
// the resend check matching another database's message: with the outbox id
// alone in the metadata, a second installation (or a recreated database)
// posting to the same channel took the other's message with the same id
// for its own, never posted, and later edited it. Messages carry the
// installation id, and a resend matches on both.
func TestResendIgnoresAnotherInstallationsMessage(t *testing.T) {
	ctx := context.Background()
	a := newEnv(t, "")
	a.Ingest(t, bottest.Item("1", "tass.com", "Kabulov says Moscow will keep talking", at))
	if res := a.Flush(t); res.Sent != 1 {
		t.Fatalf("first installation: flush = %+v, want the alert sent", res)
	}
	// A second database posts to the same channel; its delivery 1 was
	// started before a crash, so it looks for it before posting.
	b := newEnv(t, "")
	b.f = a.f
	ib, err := b.DB.InstallationID(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	c := wslack.New(wslack.ClientConfig{BotToken: botToken, APIURL: b.f.url()}, slog.New(slog.DiscardHandler))
	s := wslack.NewSender(c, wslack.SenderConfig{Name: "desk", Channel: "C0NEWSDESK", Location: time.UTC, Installation: ib})
	b.Dispatcher = bot.NewDispatcher(b.DB, b.Rules, map[string]bot.Sender{"desk": s}, slog.New(slog.DiscardHandler), b.Clock.Now)
	b.Ingest(t, bottest.Item("1", "tolonews.com", "CSTO to hold drills near the Afghan border, Kabulov says", at))
	if _, err := b.DB.StartDelivery(ctx, 1, at); err != nil {
		t.Fatal(err)
	}
	if res := b.Flush(t); res.Sent != 1 {
		t.Fatalf("second installation: flush = %+v, want its alert sent", res)
	}
	if n := len(a.f.allPosts()); n != 2 {
		t.Errorf("%d posts in the channel, want 2 (one per installation)", n)
	}
}
