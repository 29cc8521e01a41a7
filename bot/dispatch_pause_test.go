package bot_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/bottest"
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
	f := newFixture(t, bottest.MustRule(t, "kabulov", "kabulov", bot.ModeAlert, "ops"))
	ctx := context.Background()
	out := &scripted{errs: []error{bot.Permanent(errors.New("slack: not_in_channel")), nil, nil}}
	f.Dispatch(map[string]bot.Sender{"ops": out})
	now := f.Clock.Now()
	f.Ingest(t, bottest.Item("1", "tass.com", headline, now))

	if res := f.Flush(t); res.Failed != 1 {
		t.Fatalf("first flush = %+v, want 1 failed", res)
	}
	paused, _ := f.DB.PausedChannels(ctx)
	if len(paused) != 1 || paused[0].Channel != "ops" || !paused[0].RetryAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("paused = %+v, want ops until now+1h", paused)
	}

	// A new alert while paused is not tried before the retry time.
	f.Clock.Advance(time.Minute)
	f.Ingest(t, bottest.Item("2", "akipress.com", "Kabulov meets Afghan delegation", f.Clock.Now()))
	if res := f.Flush(t); res.Sent+res.Failed != 0 || len(out.msgs) != 1 {
		t.Fatalf("flush while paused = %+v after %d sends, want no attempt", res, len(out.msgs))
	}

	// At the retry time both go out, oldest first, and the pause ends.
	f.Clock.Set(now.Add(time.Hour))
	if res := f.Flush(t); res.Sent != 2 || res.Pending != 0 {
		t.Fatalf("flush at the retry time = %+v, want 2 sent", res)
	}
	if paused, _ := f.DB.PausedChannels(ctx); len(paused) != 0 {
		t.Errorf("paused after success = %+v, want none", paused)
	}
	// The retried alert was started before: its sender is told to look.
	if got := [3]bool{out.msgs[0].Resend, out.msgs[1].Resend, out.msgs[2].Resend}; got != [3]bool{false, true, false} {
		t.Errorf("Resend = %v, want [false true false]", got)
	}
}
