package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
)

// scripted is a Sender answering each Send with the next error of its
// script (nil: success), counting the calls and keeping the messages.
type scripted struct {
	errs []error
	msgs []*bot.Message
}

func (s *scripted) Send(_ context.Context, m *bot.Message) (string, error) {
	s.msgs = append(s.msgs, m)
	var err error
	if len(s.errs) > 0 {
		err, s.errs = s.errs[0], s.errs[1:]
	}
	if err != nil {
		return "", err
	}
	return "ts-1", nil
}

func TestPermanentErrorPausesChannel(t *testing.T) {
	f := newFixture(t, mustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	ctx := context.Background()
	out := &scripted{errs: []error{bot.Permanent(errors.New("slack: not_in_channel")), nil, nil}}
	disp := bot.NewDispatcher(f.db, f.rules, map[string]bot.Sender{"ops": out}, slog.New(slog.DiscardHandler), f.clk.Now)
	now := f.clk.Now()
	f.ingest(t, item("1", "tass.com", headline, now))

	flush := func() bot.FlushResult {
		t.Helper()
		res, err := disp.Flush(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := flush(); res.Failed != 1 {
		t.Fatalf("first flush = %+v, want 1 failed", res)
	}
	paused, _ := f.db.PausedChannels(ctx)
	if len(paused) != 1 || paused[0].Channel != "ops" || !paused[0].RetryAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("paused = %+v, want ops until now+1h", paused)
	}

	// A new alert while paused is not tried before the retry time.
	f.clk.Advance(time.Minute)
	f.ingest(t, item("2", "akipress.com", "Kabulov meets Afghan delegation", f.clk.Now()))
	if res := flush(); res.Sent+res.Failed != 0 || len(out.msgs) != 1 {
		t.Fatalf("flush while paused = %+v after %d sends, want no attempt", res, len(out.msgs))
	}

	// At the retry time both go out, oldest first, and the pause ends.
	f.clk.Set(now.Add(time.Hour))
	if res := flush(); res.Sent != 2 || res.Pending != 0 {
		t.Fatalf("flush at the retry time = %+v, want 2 sent", res)
	}
	if paused, _ := f.db.PausedChannels(ctx); len(paused) != 0 {
		t.Errorf("paused after success = %+v, want none", paused)
	}
	// The retried alert was started before: its sender is told to look.
	if got := [3]bool{out.msgs[0].Resend, out.msgs[1].Resend, out.msgs[2].Resend}; got != [3]bool{false, true, false} {
		t.Errorf("Resend = %v, want [false true false]", got)
	}
}
